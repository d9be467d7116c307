"""Atomic, deterministic writers."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings, strategies as st

from analysis.errors import OutputError
from analysis.outputs import atomic_directory, atomic_write_text, json_chunks, json_dumps, write_csv


def test_csv_has_bom_and_reads_back_japanese(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, ["テーマ", "件数"], [["担い手不足", 3], ["連携,協働", None]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["テーマ", "件数"], ["担い手不足", "3"], ["連携,協働", ""]]


def test_json_is_utf8_sorted_and_stable():
    text = json_dumps({"b": [1], "a": "見守り"})
    assert "見守り" in text and text.index('"a"') < text.index('"b"')
    assert json.loads(text) == {"a": "見守り", "b": [1]}
    assert json_dumps({"a": "見守り", "b": [1]}) == text


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "x.txt"
    atomic_write_text(path, "古い")
    atomic_write_text(path, "新しい")
    assert path.read_text(encoding="utf-8") == "新しい"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_atomic_write_into_unwritable_place_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as info:
        atomic_write_text(blocker / "sub" / "y.txt", "z")
    assert str(blocker) in str(info.value)


def test_atomic_directory_keeps_old_output_on_failure(tmp_path):
    target = tmp_path / "report"
    with atomic_directory(target) as staging:
        (staging / "index.html").write_text("v1", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as staging:
            (staging / "index.html").write_text("half", encoding="utf-8")
            raise RuntimeError("boom")
    assert (target / "index.html").read_text(encoding="utf-8") == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_atomic_directory_replaces_on_success(tmp_path):
    target = tmp_path / "out"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("1")
    with atomic_directory(target) as staging:
        (staging / "b.txt").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]


def test_atomic_directory_refuses_a_file(tmp_path):
    path = tmp_path / "f"
    path.write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        with atomic_directory(path):
            pass


def test_outputs_get_the_usual_permissions_not_private_temp_ones(tmp_path):
    from analysis.outputs import DIR_MODE, FILE_MODE

    path = tmp_path / "shared.csv"
    write_csv(path, ["a"], [[1]])
    assert path.stat().st_mode & 0o777 == FILE_MODE
    with atomic_directory(tmp_path / "out") as staging:
        (staging / "x").write_text("1")
    assert (tmp_path / "out").stat().st_mode & 0o777 == DIR_MODE


def test_the_current_folder_cannot_be_replaced(tmp_path, monkeypatch):
    from analysis.outputs import check_output_directory

    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="current folder"):
        check_output_directory(".", replaced=True)
    with pytest.raises(OutputError, match="current folder"):
        check_output_directory("..", replaced=True)
    check_output_directory(".")  # writing files into it is fine
    check_output_directory("new/sub", replaced=True)


def test_an_output_path_that_is_a_file_fails_before_any_work(tmp_path):
    from analysis.outputs import check_output_directory

    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        check_output_directory(path / "deeper")


def _gone_pid() -> int:
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    return int(finished.stdout)  # that process has exited


def test_a_run_killed_between_its_two_renames_loses_no_output(tmp_path):
    """kill -9 after the old output was renamed aside and before the new one took its place: the
    next run puts the old one back (it is the only copy), never deletes it."""
    from analysis.outputs import remove_stale_staging

    pid = _gone_pid()
    old = tmp_path / f".report.keikaku-{pid}-0000abcd.old"
    old.mkdir()
    (old / "index.html").write_text("前のレポート", encoding="utf-8")
    new = tmp_path / f".report.keikaku-{pid}-0000abce.new"
    new.mkdir()
    remove_stale_staging(tmp_path)
    assert (tmp_path / "report" / "index.html").read_text(encoding="utf-8") == "前のレポート"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    # the target is there again: a leftover .old of it is only a copy, and is removed
    old.mkdir()
    remove_stale_staging(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.sampled_from(list('ab"\\\n\t連携　😀')), max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12)


@settings(derandomize=True, deadline=None, database=None, max_examples=300)
@given(st.dictionaries(st.text(st.sampled_from(list('ab"連\n')), max_size=3), JSON_VALUES, max_size=4),
       st.text(st.sampled_from(list('abz"連')), max_size=3), st.lists(JSON_VALUES, max_size=4))
def test_json_chunks_join_to_json_dumps(fixed, key, items):
    whole = {**fixed, key: items}
    assert "".join(json_chunks({**fixed, key: iter(items)}, stream=key)) == json_dumps(whole)


def test_json_chunks_read_the_stream_an_item_at_a_time():
    made = []

    def rows():
        for i in range(3):
            made.append(i)
            yield {"n": i}

    chunks = json_chunks({"rows": rows(), "settings": {}}, stream="rows")
    seen = ""
    while '"n": 0' not in seen:
        seen += next(chunks)
    assert made == [0]  # the first row is out before the second is made
    assert json.loads(seen + "".join(chunks)) == {"rows": [{"n": 0}, {"n": 1}, {"n": 2}], "settings": {}}
