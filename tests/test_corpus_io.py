"""The corpus on disk: round trip, byte-stable re-import of the bundled corpus, bad directories."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from analysis.corpus_io import TABLES, bundled_corpus_path, load_corpus, read_corpus, write_corpus
from analysis.errors import InputError, OutputError
from analysis.importers import import_source
from analysis.outputs import json_dumps

from conftest import ROOT, SEED

BUNDLED = ROOT / "corpus" / "higashimatsuyama"


def test_bundled_path_is_the_repository_corpus():
    assert bundled_corpus_path() == BUNDLED.resolve()
    assert (BUNDLED / "manifest.json").is_file()


def test_bundled_source_is_the_verbatim_seed():
    data = SEED.read_bytes()
    corpus = read_corpus(BUNDLED)
    assert corpus.sources[0]["sha256"] == hashlib.sha256(data).hexdigest()
    shared = ROOT.parent / "shared" / "seeds" / SEED.name
    if shared.exists():
        assert shared.read_bytes() == data


def test_reimporting_the_verbatim_source_gives_exactly_the_committed_files(tmp_path):
    out = tmp_path / "higashimatsuyama"
    corpus = import_source(SEED, name="higashimatsuyama")
    write_corpus(corpus, out, sources=[SEED])
    committed = sorted(p.relative_to(BUNDLED) for p in BUNDLED.rglob("*") if p.is_file())
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert written == committed
    for name in committed:
        assert (out / name).read_bytes() == (BUNDLED / name).read_bytes(), name


def test_read_write_round_trip(tmp_path):
    corpus = import_source(SEED, name="x")
    write_corpus(corpus, tmp_path / "c")
    assert read_corpus(tmp_path / "c") == corpus


def test_round_trip_of_awkward_text(tmp_path):
    corpus = import_source(SEED, name="x")
    d = next(corpus.directions())
    d.evaluation = '複数行の評価,\n"引用"と、カンマ。\r\n末尾 '
    d.initiatives = ["", " 空白 "]
    d.priority = 0
    write_corpus(corpus, tmp_path / "c")
    assert read_corpus(tmp_path / "c") == corpus


def test_tables_are_excel_friendly(tmp_path):
    for name in TABLES:
        data = (BUNDLED / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" in data
    assert not (BUNDLED / "manifest.json").read_bytes().startswith(b"\xef\xbb\xbf")


def test_rewrite_keeps_the_sources(tmp_path):
    target = tmp_path / "c"
    shutil.copytree(BUNDLED, target)
    write_corpus(read_corpus(target), target)
    assert (target / "source" / SEED.name).read_bytes() == SEED.read_bytes()


def test_planner_edits_in_excel_cp932_are_read(tmp_path):
    target = tmp_path / "c"
    shutil.copytree(BUNDLED, target)
    path = target / "directions.csv"
    text = path.read_bytes().decode("utf-8-sig").replace("地域力の向上", "地域力の向上（修正）")
    path.write_bytes(text.encode("cp932"))
    assert read_corpus(target).direction("P2-1-1").title == "地域力の向上（修正）"


@pytest.mark.parametrize("table, old, new, field, message", [
    ("directions.csv", "P2,1,1,地域力の向上", "P2,1,x,地域力の向上", "number", "whole number"),
    ("directions.csv", ",P2,1,1,地域力の向上", ",P7,1,1,地域力の向上", "goal", "unknown goal"),
    ("links.csv", "P2-1-1,P3-1-1", "P2-1-1,P3-9-9", "to", "unknown direction"),
    ("links.csv", ",stated,0,", ",guessed,0,", "kind", "stated or content"),
    ("plans.csv", "P2,2,evaluated", "P2,,evaluated", "generation", "expected a number"),
])
def test_bad_edits_name_file_line_and_field(tmp_path, table, old, new, field, message):
    target = tmp_path / "c"
    shutil.copytree(BUNDLED, target)
    path = target / table
    text = path.read_bytes().decode("utf-8-sig")
    assert old in text
    line = text[:text.index(old)].count("\n") + 1
    path.write_bytes(("\ufeff" + text.replace(old, new, 1)).encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_corpus(target)
    assert (info.value.file, info.value.line, info.value.field) == (str(path), line, field)
    assert message in str(info.value)


def test_not_a_corpus_directory(tmp_path):
    with pytest.raises(InputError, match="no manifest.json"):
        read_corpus(tmp_path)
    target = tmp_path / "c"
    shutil.copytree(BUNDLED, target)
    (target / "links.csv").unlink()
    with pytest.raises(InputError, match="missing table links.csv"):
        read_corpus(target)


def test_load_corpus_dispatch(tmp_path):
    assert load_corpus() == read_corpus(BUNDLED)
    assert load_corpus(SEED).plans == read_corpus(BUNDLED).plans
    with pytest.raises(InputError, match="no such"):
        load_corpus(tmp_path / "missing")
    as_json = tmp_path / "corpus.json"
    as_json.write_text(json_dumps(read_corpus(BUNDLED).to_dict()), encoding="utf-8")
    assert load_corpus(as_json) == read_corpus(BUNDLED)
    as_json.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not a corpus JSON"):
        load_corpus(as_json)
    other = tmp_path / "notes.md"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="expected a corpus directory, a corpus JSON"):
        load_corpus(other)


def test_failed_write_leaves_the_old_directory(tmp_path):
    target = tmp_path / "c"
    shutil.copytree(BUNDLED, target)
    before = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}
    corpus = read_corpus(target)
    corpus.plans[0].goals[0].directions[0].plan_id = "P9"  # inconsistent: refused before writing
    with pytest.raises(InputError):
        write_corpus(corpus, target)
    assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == before
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        write_corpus(read_corpus(target), blocker)


def test_never_replaces_a_directory_that_is_not_a_corpus(tmp_path):
    (tmp_path / "notes.txt").write_text("大事なメモ", encoding="utf-8")
    with pytest.raises(OutputError, match="not a keikaku corpus directory"):
        write_corpus(read_corpus(BUNDLED), tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "大事なメモ"
    empty = tmp_path / "empty"
    empty.mkdir()
    write_corpus(read_corpus(BUNDLED), empty)
    assert (empty / "manifest.json").is_file()


def test_a_cell_longer_than_the_csv_field_limit_reads_back(tmp_path):
    """Issue 12 case 2: whatever import writes, read must read (csv's default limit is 131,072)."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.count("\t") >= 4 and "【" not in line)
    cells = lines[row].split("\t")
    long_cell = "見守り活動を続けた。" * 14_000  # 140,000 characters
    cells[4] = long_cell
    lines[row] = "\t".join(cells)
    source = tmp_path / "long.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    corpus = import_source(source, name="long")
    write_corpus(corpus, tmp_path / "c", sources=[source])
    back = read_corpus(tmp_path / "c")
    assert back == corpus
    assert any(long_cell in d.evaluation for d in back.directions())


@pytest.mark.parametrize("name, source, extra", [
    ("f.txt", SEED, []),
    ("plan.csv", ROOT / "corpus/examples/plan.csv", ["--mapping", str(ROOT / "corpus/examples/mapping.toml")]),
])
def test_a_fifo_source_is_read_once(tmp_path, name, source, extra):
    """Issue 12 case 6: a source that can be read only once (a FIFO) is imported, not waited on."""
    import os
    import subprocess
    import sys
    import threading

    fifo = tmp_path / name
    os.mkfifo(fifo)
    data = source.read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as pipe:  # blocks until keikaku opens it, once
            pipe.write(data)

    threading.Thread(target=feed, daemon=True).start()
    out = tmp_path / "o"
    # a second open would wait for a writer for ever: the timeout fails the test instead
    result = subprocess.run([sys.executable, "-m", "analysis", "import", str(fifo), "-o", str(out), *extra],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert (out / "source" / name).read_bytes() == data
    assert read_corpus(out).sources[0]["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", ["corpus.json", "manifest.json"])
def test_deep_nesting_is_an_input_error_naming_file_and_line(tmp_path, name):
    """Issue 12 case 7: JSON nested 100,000 deep is refused (depth limit), not a RecursionError."""
    from analysis.corpus_io import MAX_JSON_DEPTH

    text = '{"name": "x",\n "plans": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    if name == "manifest.json":
        corpus_dir = tmp_path / "c"
        write_corpus(import_source(SEED, name="c"), corpus_dir)
        (corpus_dir / name).write_text(text, encoding="utf-8")
        target = corpus_dir
    else:
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(target)
    assert caught.value.file == str(tmp_path / name if name == "corpus.json" else target / name)
    assert caught.value.line == 2
    assert str(MAX_JSON_DEPTH) in caught.value.message


def test_a_duplicated_links_row_counts_once_with_a_warning(tmp_path):
    """Issue 12 case 13: a links.csv row copied in Excel is one link, and the reader is told."""
    corpus = import_source(SEED, name="x")
    write_corpus(corpus, tmp_path / "c")
    links = tmp_path / "c" / "links.csv"
    lines = links.read_bytes().split(b"\r\n")
    lines.insert(3, lines[1])  # the first link again, as line 4
    links.write_bytes(b"\r\n".join(lines))
    back = read_corpus(tmp_path / "c")
    assert back.links == corpus.links
    [warning] = [w for w in back.warnings if w.file == "links.csv"]
    assert warning.line == 4 and warning.field == "from"
    assert corpus.links[0].source in warning.message and "2行目" in warning.message


def test_the_importer_never_writes_the_same_link_twice(tmp_path):
    """A continuation row under a carried next-plan cell links the same pair again: kept once."""
    path = tmp_path / "t.csv"
    path.write_text("基本目標,施策の方向,取組内容,次期計画の方向性\n"
                    "基本目標1 見守り,見守りの推進,訪問,（1）見守りの強化\n"
                    ",,声かけ,\n", encoding="utf-8")
    corpus = import_source(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向",
                                                       "initiatives": "取組内容", "next": "次期計画の方向性"},
                                           "table": {"carry_forward": ["goal", "next"]}})
    pairs = [(link.source, link.target, link.kind) for link in corpus.links]
    assert pairs and len(pairs) == len(set(pairs))
