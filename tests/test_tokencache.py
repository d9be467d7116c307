"""The token cache: hits and misses, what the key depends on, damage never changes a result."""

from __future__ import annotations

import multiprocessing
import sqlite3

import hypothesis
import pytest
from hypothesis import strategies as st

import analysis.tokens as tokens_module
from analysis import tokencache
from analysis.tokens import tokenize_columns, tokenize_units
from analysis.units import TextUnit

TEXTS = ["地域の見守り活動を推進した。担い手不足が課題。", "隨時、関係機関と連携した。", "", "😀\ud800"]


def unit(i: int, text: str) -> TextUnit:
    return TextUnit(id=f"u{i}", plan_id="P1", generation=1, goal_number=1, direction_id="P1-1-1",
                    field="evaluation", text=text, line=i)


@pytest.fixture
def counted(monkeypatch):
    """Count the texts that really reach Sudachi (the real tokenizer still does the work)."""
    calls: list[str] = []
    real = tokens_module.columns_for

    def counting(texts, **kwargs):
        calls.extend(texts)
        return real(texts, **kwargs)

    monkeypatch.setattr(tokens_module, "columns_for", counting)
    return calls


def expected(texts, mode="C"):
    return [tokenize_columns(t, split_mode=mode).encode() for t in texts]


def test_miss_then_hit(tmp_path, counted):
    path = tmp_path / "c.sqlite"
    first = tokens_module.cached_columns(TEXTS, path=path)
    assert counted == TEXTS
    second = tokens_module.cached_columns(TEXTS, path=path)
    assert counted == TEXTS  # nothing tokenized again
    assert [c.encode() for c in first] == [c.encode() for c in second] == expected(TEXTS)
    assert [c.text for c in second] == TEXTS


def test_duplicates_are_tokenized_once(tmp_path, counted):
    got = tokens_module.cached_columns(["連携", "連携", "協働"], path=tmp_path / "c.sqlite")
    assert counted == ["連携", "協働"]
    assert got[0].encode() == got[1].encode()


def test_key_changes_with_what_decides_tokens(monkeypatch):
    base = tokens_module.cache_key("市民後見人養成", split_mode="C", variants={})
    assert tokens_module.cache_key("市民後見人養成", split_mode="C", variants={}) == base
    assert tokens_module.cache_key("市民後見人養成", split_mode="A", variants={}) != base
    assert tokens_module.cache_key("市民後見人養成。", split_mode="C", variants={}) != base
    assert tokens_module.cache_key("市民後見人養成", split_mode="C", variants={"隨": "随"}) != base
    monkeypatch.setattr(tokens_module, "CODE_VERSION", "other")
    assert tokens_module.cache_key("市民後見人養成", split_mode="C", variants={}) != base
    monkeypatch.undo()
    monkeypatch.setattr(tokens_module, "dictionary_version", lambda: "sudachipy=9;sudachidict-core=1")
    assert tokens_module.cache_key("市民後見人養成", split_mode="C", variants={}) != base


def test_split_mode_is_not_mixed_up(tmp_path, counted):
    path = tmp_path / "c.sqlite"
    text = ["市民後見人養成"]
    c = tokens_module.cached_columns(text, split_mode="C", path=path)
    a = tokens_module.cached_columns(text, split_mode="A", path=path)
    assert counted == text * 2
    assert c[0].encode() == expected(text, "C")[0]
    assert a[0].encode() == expected(text, "A")[0]
    assert a[0].norms != c[0].norms


def test_damaged_file_is_set_aside_and_rebuilt(tmp_path, counted):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    got = tokens_module.cached_columns(TEXTS, path=path)
    assert [c.encode() for c in got] == expected(TEXTS)
    again = tokens_module.cached_columns(TEXTS, path=path)
    assert [c.encode() for c in again] == expected(TEXTS)
    assert len(counted) == len(TEXTS)  # the rebuilt cache served the second run
    assert list(tmp_path.glob("c.sqlite.damaged-*"))


def test_damaged_entries_are_tokenized_again(tmp_path, counted):
    path = tmp_path / "c.sqlite"
    tokens_module.cached_columns(TEXTS, path=path)
    db = sqlite3.connect(path)
    rows = db.execute("SELECT key, value FROM tokens").fetchall()
    damage = [
        lambda v: v[:-5],                           # truncated
        lambda v: v[:25] + bytes([v[25] ^ 0xFF]) + v[26:],  # one flipped byte
        lambda v: b"",                              # empty
    ]
    for (key, value), spoil in zip(rows, damage):
        db.execute("UPDATE tokens SET value = ? WHERE key = ?", (spoil(value), key))
    db.commit()
    db.close()
    got = tokens_module.cached_columns(TEXTS, path=path)
    assert [c.encode() for c in got] == expected(TEXTS)
    assert len(counted) == len(TEXTS) + min(len(rows), len(damage))


def test_wrong_but_well_formed_entry_for_another_text_is_refused(tmp_path):
    long_text, short_text = "連携した。" * 20, "連携"
    cols = tokenize_columns(long_text)
    assert tokens_module.TokenColumns.decode(long_text, cols.encode()).encode() == cols.encode()
    with pytest.raises(ValueError):
        tokens_module.TokenColumns.decode(short_text, cols.encode())


def _worker(path: str, texts: list[str], queue) -> None:
    got = tokens_module.cached_columns(texts, path=path)
    queue.put([c.encode() for c in got])


def test_concurrent_processes(tmp_path):
    path = str(tmp_path / "c.sqlite")
    texts = [f"第{i}層協議体で連携した。" for i in range(40)]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, texts, queue)) for _ in range(3)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert all(r == expected(texts) for r in results)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM tokens").fetchone()[0] == len(texts)
    db.close()


def test_tokenize_units_uses_the_cache_when_set(counted, monkeypatch, tmp_path):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path))
    units = [unit(i, t) for i, t in enumerate(TEXTS)]
    plain = tokenize_units(units, cache=False)
    assert len(counted) == len(TEXTS)
    first = tokenize_units(units, cache=True)
    second = tokenize_units(units, cache=True)
    assert len(counted) == 2 * len(TEXTS)  # the second cached run tokenized nothing
    assert plain.sentences == first.sentences == second.sentences
    assert (tmp_path / tokencache.FILE_NAME).exists()


def test_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "x"))
    assert tokencache.cache_path() == tmp_path / "x" / tokencache.FILE_NAME
    monkeypatch.delenv("KEIKAKU_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert tokencache.cache_dir().parts[-2:] == (".cache", "keikaku")


def test_unwritable_cache_still_gives_results(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    got = tokens_module.cached_columns(TEXTS, path=blocker / "sub" / "c.sqlite")
    assert [c.encode() for c in got] == expected(TEXTS)
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("keikaku: token cache not used (") and str(blocker) in line


def test_clear_token_cache(tmp_path, counted):
    path = tmp_path / "c.sqlite"
    tokens_module.cached_columns(["連携"], path=path)
    assert path.exists()
    tokencache.clear_token_cache(path)
    assert not path.exists()
    tokens_module.cached_columns(["連携"], path=path)
    assert counted == ["連携", "連携"]  # tokenized again after clearing


def test_the_cache_does_not_import_tokens():
    """Issue 10 §1: tokencache is a store of bytes; tokens uses it, never the other way round."""
    import ast
    import subprocess
    import sys

    tree = ast.parse(open(tokencache.__file__, encoding="utf-8").read())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and "tokens" in m}
    code = "import sys, analysis.tokencache; print('analysis.tokens' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def _read_only(path, monkeypatch):
    """Make ``path`` (a file or directory) read-only, even for root (immutable attribute)."""
    import os
    import shutil
    import subprocess

    if os.geteuid() != 0:
        path.chmod(0o555 if path.is_dir() else 0o444)
        return lambda: path.chmod(0o755 if path.is_dir() else 0o644)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
        pytest.skip("cannot make a file read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_cache_is_skipped_with_one_clean_line(tmp_path, monkeypatch, counted):
    """Issue 12 case 13: no raw RuntimeWarning with a source line; the cache file is left alone."""
    import subprocess
    import sys

    path = tmp_path / tokencache.FILE_NAME
    tokens_module.cached_columns(["連携"], path=path)
    data = path.read_bytes()
    undo = [_read_only(path, monkeypatch), _read_only(tmp_path, monkeypatch)]
    try:
        code = ("from analysis.tokens import cached_columns\n"
                f"print([c.norms for c in cached_columns(['連携', '新しい文です。'], path={str(path)!r})])")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    finally:
        for step in reversed(undo):
            step()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([tokenize_columns(t).norms for t in ["連携", "新しい文です。"]])
    lines = result.stderr.splitlines()
    assert len(lines) <= 1, result.stderr
    assert "Warning" not in result.stderr and "warn(" not in result.stderr
    assert all(line.startswith("keikaku: ") for line in lines)
    assert path.read_bytes() == data  # never set aside or changed


def test_no_home_directory_means_no_cache_and_no_directories_made(tmp_path, monkeypatch, capsys):
    """Issue 12 case 13: HOME=/nonexistent/home must not create that tree."""
    monkeypatch.delenv("KEIKAKU_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "nonexistent" / "home"))
    got = tokens_module.cached_columns(TEXTS)
    assert [c.encode() for c in got] == expected(TEXTS)
    assert not (tmp_path / "nonexistent").exists()
    assert len(capsys.readouterr().err.splitlines()) <= 1


def test_the_platform_cache_directory_rules(tmp_path, monkeypatch):
    monkeypatch.delenv("KEIKAKU_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tokencache.cache_dir() == tmp_path / "xdg" / "keikaku"
    tokens_module.cached_columns(["連携"])
    assert (tmp_path / "xdg" / "keikaku" / tokencache.FILE_NAME).is_file()  # XDG_CACHE_HOME is made
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # not absolute: ignored, as the spec says
    assert tokencache.cache_dir() == tmp_path / "home" / ".cache" / "keikaku"
    monkeypatch.delenv("XDG_CACHE_HOME")
    tokens_module.cached_columns(["連携"])
    assert (tmp_path / "home" / ".cache" / "keikaku" / tokencache.FILE_NAME).is_file()
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "mine" / "deep"))  # still wins, made whole
    tokens_module.cached_columns(["連携"])
    assert (tmp_path / "mine" / "deep" / tokencache.FILE_NAME).is_file()


@hypothesis.settings(max_examples=25, derandomize=True, deadline=None, database=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(home=st.sampled_from(["exists", "missing", "missing/deep"]),
                  xdg=st.sampled_from([None, "exists", "new", "missing/deep", "relative"]),
                  mine=st.sampled_from([None, "new/deep"]))
def test_property_the_cache_never_makes_a_missing_home_and_never_changes_a_result(tmp_path_factory, home, xdg,
                                                                                 mine):
    root = tmp_path_factory.mktemp("env")
    (root / "exists").mkdir()
    env = {"HOME": str(root / home)}
    if xdg is not None:
        env["XDG_CACHE_HOME"] = xdg if xdg == "relative" else str(root / xdg)
    if mine is not None:
        env["KEIKAKU_CACHE_DIR"] = str(root / mine)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("HOME", "XDG_CACHE_HOME", "KEIKAKU_CACHE_DIR"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        got = tokens_module.cached_columns(TEXTS[:2])
        where = tokencache.cache_dir()
    assert [c.encode() for c in got] == expected(TEXTS[:2])
    made = {p.relative_to(root).parts[0] for p in root.iterdir()} - {"exists"}
    allowed = {"new"} if mine else set()
    if xdg in ("new",) and not mine:
        allowed.add("new")  # XDG_CACHE_HOME itself may be made below a directory that exists
    assert made <= allowed, (made, env)
    if where.parent.parent.is_dir() or mine:
        assert (where / tokencache.FILE_NAME).is_file()
