"""Property-based tests of the output guard and the terminal (issue 12): the classes of failure,
not only the inputs a hostile user first tried.

* **output targets**: whatever the name (ASCII, kana, kanji, emoji, spaces; short, at the file
  system's limit, over it) and whatever is already there (nothing, an empty folder, someone's
  files, a corpus, an earlier keikaku output, a file, a symbolic link to any of these), a command
  either writes its output or refuses with exit 5 and one line; it never fails otherwise, never
  changes a file it did not write, never leaves staging litter, and a link stays a link;
* **staging names** always fit when the target's name fits, and the clean-up removes only the
  staging names keikaku makes, of processes that are gone;
* **the terminal**: whatever the stream's encoding, every command succeeds and prints UTF-8 or
  what the encoding can take; a full stdout is exit 5.

Bounded and reproducible: a fixed number of examples, ``derandomize=True``, no example database.
The import and terminal properties run the real command in a subprocess; the folder-of-files
property (``graph``/``gaps``/``compare`` write through :func:`analysis.outputs.atomic_files`)
runs the writer itself, since an analysis per example would take seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis import outputs
from analysis.errors import EXIT_OUTPUT, OutputError

from conftest import ROOT

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"

PROPERTY = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Characters of names people give folders, and a few they should not but do.
NAME_CHARS = st.sampled_from(list("abcXYZ019-_ .") + list("あいうレポート計画評価東松山") + ["😀", "ｶ", "ﾅ", "　"])
NAMES = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=30),
    st.integers(80, 90).map(lambda n: "あ" * n),  # 240 to 270 bytes: around the limit
    st.integers(250, 260).map(lambda n: "r" * n),
).filter(lambda name: name.strip(" .　") != "" and not name.startswith("-"))
STATES = ("nothing", "empty", "foreign", "corpus", "marked", "file", "link-nothing", "link-foreign",
          "link-corpus", "dangling-link")


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def litter(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if ".keikaku-" in p.name and p.name != outputs.OUTPUT_MARK)


def fits(name: str) -> bool:
    return len(os.fsencode(name)) <= 255


def prepare(base: Path, name: str, state: str, corpus: Path) -> Path:
    """``base/name`` in ``state``; what a link points to lives in ``base/elsewhere``."""
    target = base / name
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    pointed = elsewhere / "dest"
    if state in ("empty",):
        target.mkdir()
    elif state in ("foreign", "link-foreign"):
        where = pointed if state.startswith("link") else target
        where.mkdir()
        (where / "links.csv").write_text("誰かの表\n", encoding="utf-8")
    elif state in ("corpus", "link-corpus"):
        shutil.copytree(corpus, pointed if state.startswith("link") else target)
    elif state == "marked":
        target.mkdir()
        (target / outputs.OUTPUT_MARK).mkdir()
        (target / "notes.txt").write_text("メモ", encoding="utf-8")
    elif state == "file":
        target.write_text("ただのファイル", encoding="utf-8")
    if state.startswith("link") or state == "dangling-link":
        target.symlink_to(pointed)
    return target


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus") / "example"
    result = subprocess.run([sys.executable, "-m", "analysis", "import", str(EXAMPLE), "--mapping", str(MAPPING),
                             "-o", str(d)], capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return d


# -- import -o (a directory replaced as a whole), the real command -------------------------------

@settings(max_examples=30, **PROPERTY)
@given(name=NAMES, state=st.sampled_from(STATES))
def test_import_writes_or_refuses_cleanly(tmp_path_factory, corpus, name, state):
    base = tmp_path_factory.mktemp("import")
    if not fits(name) and state != "nothing":
        state = "nothing"  # such a name cannot exist on disk to begin with
    target = prepare(base, name, state, corpus)
    before = digests(base)
    result = subprocess.run([sys.executable, "-m", "analysis", "import", str(EXAMPLE), "--mapping", str(MAPPING),
                             "-o", name], capture_output=True, timeout=300, cwd=base)
    err = result.stderr.decode("utf-8")
    assert result.returncode in (0, EXIT_OUTPUT), err
    assert litter(base) == []
    if state.startswith("link") or state == "dangling-link":
        assert target.is_symlink()
    # import owns corpus folders and may make new ones; everything else is refused untouched
    may_write = fits(name) and state in ("nothing", "empty", "corpus", "link-nothing", "link-corpus",
                                         "dangling-link")
    if may_write:
        assert result.returncode == 0, err
        assert (target / "manifest.json").is_file()
    else:
        assert result.returncode == EXIT_OUTPUT and err.count("\n") == 1 and err.startswith("keikaku: error: ")
        assert digests(base) == before


# -- atomic_files (graph -o, gaps --csv, compare --csv) -------------------------------------------

@settings(max_examples=60, **PROPERTY)
@given(name=NAMES, state=st.sampled_from(STATES), files=st.lists(st.sampled_from(
    ["links.csv", "goals.csv", "directions.csv", "continuity.json", "findings.csv"]), min_size=1, unique=True))
def test_files_go_only_into_folders_keikaku_owns(tmp_path_factory, corpus, name, state, files):
    base = tmp_path_factory.mktemp("files")
    if not fits(name) and state != "nothing":
        state = "nothing"
    target = prepare(base, name, state, corpus)
    before = digests(base)
    allowed = fits(name) and state in ("nothing", "empty", "marked", "link-nothing", "dangling-link")
    try:
        with outputs.atomic_files(base / name) as staging:
            for file in files:
                outputs.atomic_write_text(staging / file, "新しい内容\n")
    except OutputError as error:
        assert not allowed, error
        assert ".keikaku-" not in str(error)
        assert digests(base) == before
    else:
        assert allowed
        written = Path(os.path.realpath(target))
        assert sorted(p.name for p in written.iterdir()) == sorted(
            {*files, outputs.OUTPUT_MARK, *(["notes.txt"] if state == "marked" else [])})
        assert all(key.endswith(tuple(files)) or before[key] == value
                   for key, value in digests(base).items() if key in before)
    assert litter(base) == []
    if state.startswith("link") or state == "dangling-link":
        assert target.is_symlink()


# -- staging names and their clean-up --------------------------------------------------------------

@settings(max_examples=200, **PROPERTY)
@given(name=NAMES, kind=st.sampled_from(outputs.STAGING_KINDS))
def test_a_staging_name_fits_whenever_the_name_does(name, kind):
    staging = outputs.staging_name(name, kind)
    assert len(os.fsencode(staging)) <= 255
    assert staging.startswith(".") and staging.endswith(f".{kind}") and f".keikaku-{os.getpid()}-" in staging


@settings(max_examples=40, **PROPERTY)
@given(others=st.lists(st.text(NAME_CHARS, min_size=1, max_size=20).map(lambda s: "." + s).filter(
    lambda s: s.strip(".") != ""),
                       max_size=5, unique=True),
       dead=st.integers(0, 3), alive=st.integers(0, 2))
def test_the_clean_up_removes_only_the_leftovers_of_gone_runs(tmp_path_factory, others, dead, alive):
    base = tmp_path_factory.mktemp("stale")
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    gone = int(finished.stdout)  # that process has exited
    names_gone = [f".rep{i}.keikaku-{gone}-{i:08x}.{outputs.STAGING_KINDS[i % 3]}" for i in range(dead)]
    names_alive = [f".rep{i}.keikaku-{os.getppid()}-{i:08x}.new" for i in range(alive)]
    for n in names_gone + names_alive + others:
        (base / n).mkdir(exist_ok=True)
    (base / "report").mkdir()
    removed = outputs.remove_stale_staging(base)
    # a gone run's .old is the previous output renamed aside: with its own name free, it goes back
    put_back = {n: n[1:n.index(".keikaku-")] for n in names_gone if n.endswith(".old")}
    assert sorted(p.name for p in removed) == sorted(n for n in names_gone if n not in put_back)
    assert sorted(p.name for p in base.iterdir()) == sorted({*names_alive, *others, *put_back.values(),
                                                              "report"})


# -- the terminal, the real command -----------------------------------------------------------------

ENCODINGS = ["ascii", "latin-1", "cp1252", "cp437", "iso8859-5", "koi8-r", "utf-8", "cp932", "euc-jp",
             "shift_jis", "utf-8:strict", "ascii:strict"]
COMMANDS = [["--help"], ["corpus"], ["corpus", "--json"], ["kwic", "見守り"], ["kwic", "担い手", "--json"],
            ["terms", "--top", "2"], ["corpus", "{example}"], ["import", "--help"]]


@settings(max_examples=16, **PROPERTY)
@given(encoding=st.sampled_from(ENCODINGS), command=st.sampled_from(COMMANDS), c_locale=st.booleans())
def test_every_stream_encoding_gets_its_output(corpus, encoding, command, c_locale):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    if c_locale:
        env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    argv = [str(corpus) if a == "{example}" else a for a in command]
    result = subprocess.run([sys.executable, "-m", "analysis", *argv], capture_output=True, timeout=300, env=env)
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    name = encoding.split(":")[0]
    try:
        "計画".encode(name)
        text = result.stdout.decode(name)
    except UnicodeEncodeError:  # the encoding cannot take Japanese: keikaku writes UTF-8
        text = result.stdout.decode("utf-8")
    assert "計画" in text or "見守り" in text or "担い手" in text or "keikaku" in text


@settings(max_examples=6, **PROPERTY)
@given(command=st.sampled_from([c for c in COMMANDS if c[-1] != "--help"]))
def test_a_full_stdout_is_always_exit_5(corpus, command):
    argv = [str(corpus) if a == "{example}" else a for a in command]
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "analysis", *argv], stdout=full, stderr=subprocess.PIPE,
                                timeout=300)
    err = result.stderr.decode("utf-8")
    assert result.returncode == EXIT_OUTPUT, err
    assert err.count("\n") == 1 and err.startswith("keikaku: error: standard output: "), err
