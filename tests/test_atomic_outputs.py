"""A failing command leaves the previous output intact and no temporary files behind (issue 7).

End to end through the CLI, for ``import -o``, ``graph -o``, ``report -o`` and the ``--csv`` of
``gaps`` / ``compare``: first a good run makes an output, then a run that fails part-way (a later
stage raising, the disk filling up after a few files, a settings file that turns out to be
unreadable only when the lexicon is needed, an output path that is a file) must leave every
previous file byte-identical, add nothing, and leave no temporary sibling.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from analysis import cli, outputs
from analysis.errors import EXIT_INTERNAL, EXIT_OUTPUT, EXIT_SETTINGS, OutputError

from conftest import ROOT

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or the file itself) with its bytes."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def leftovers(parent: Path, expected: set[str]) -> list[str]:
    """Entries of ``parent`` other than ``expected`` (temporary files or directories)."""
    return sorted(p.name for p in parent.iterdir() if p.name not in expected)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("atomic-corpus") / "example"
    assert cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(d)]) == 0
    return d


@pytest.fixture
def fail_after(monkeypatch):
    """Make the (n+1)-th atomic file write fail as a full disk would."""
    def install(n: int):
        real = outputs.atomic_write_bytes
        calls = {"count": 0}

        def write(path, data):
            calls["count"] += 1
            if calls["count"] > n:
                raise OutputError("cannot write: No space left on device", file=str(path))
            return real(path, data)

        monkeypatch.setattr(outputs, "atomic_write_bytes", write)
        return calls
    return install


def bad_lexicon_settings(directory: Path) -> Path:
    """Settings that load fine; the lexicon they name fails only when themes are coded."""
    (directory / "lexicon.toml").write_text('[[theme]]\nname = "見守り"\nterms = ["見守り"\n', encoding="utf-8")
    path = directory / "settings.toml"
    path.write_text('[data]\nlexicon = "lexicon.toml"\n', encoding="utf-8")
    return path


def check_intact(target: Path, before: dict[str, bytes], siblings: set[str]) -> None:
    assert snapshot(target) == before, "the previous output was changed"
    assert leftovers(target.parent, siblings) == [], "temporary files were left behind"


# -- import -o -------------------------------------------------------------------------------------

def test_import_failing_midway_keeps_the_previous_corpus(tmp_path, monkeypatch, corpus):
    target = tmp_path / "corpus"
    assert cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(target)]) == 0
    before = snapshot(target)
    from analysis import corpus_io

    real, calls = corpus_io.csv_text, {"n": 0}

    def csv_text(header, rows):  # a later table fails to render
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("simulated failure while writing the fourth table")
        return real(header, rows)

    monkeypatch.setattr(corpus_io, "csv_text", csv_text)
    other = tmp_path / "other.csv"
    other.write_bytes(EXAMPLE.read_bytes().replace("見守り".encode(), "声かけ".encode()))
    assert cli.main(["import", str(other), "--mapping", str(MAPPING), "-o", str(target)]) == EXIT_INTERNAL
    check_intact(target, before, {"corpus", "other.csv"})


def test_import_on_a_full_disk_is_an_output_error_and_keeps_the_previous_corpus(tmp_path, monkeypatch, capsys):
    target = tmp_path / "corpus"
    assert cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(target)]) == 0
    before = snapshot(target)
    real, calls = Path.write_bytes, {"n": 0}

    def write_bytes(self, data):
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    capsys.readouterr()
    code = cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(target), "--owner", "別の町"])
    monkeypatch.undo()
    assert code == EXIT_OUTPUT, capsys.readouterr().err
    check_intact(target, before, {"corpus"})


def test_import_onto_a_file_leaves_the_file(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("大事なメモ", encoding="utf-8")
    assert cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(target)]) == EXIT_OUTPUT
    check_intact(target, {"notes.txt": "大事なメモ".encode()}, {"notes.txt"})


# -- graph -o ----------------------------------------------------------------------------------------

@pytest.fixture
def graph_output(tmp_path, corpus):
    target = tmp_path / "graph"
    assert cli.main(["graph", str(corpus), "-o", str(target)]) == 0
    (target / "my-notes.txt").write_text("利用者のメモ", encoding="utf-8")  # not keikaku's: must survive
    return target, snapshot(target)


@pytest.mark.parametrize("written", [0, 1, 3, 5])
def test_graph_failing_after_some_files_keeps_the_previous_output(graph_output, fail_after, corpus, written,
                                                                  tmp_path_factory):
    target, before = graph_output
    if written == 1:
        assert_changes_output(["graph", str(corpus), "--settings", str(_changed_settings(target.parent)), "-o"],
                              before, tmp_path_factory.mktemp("scratch") / "graph")
    fail_after(written)
    assert cli.main(["graph", str(corpus), "-o", str(target), "--settings", str(_changed_settings(target.parent))]) \
        == EXIT_OUTPUT
    check_intact(target, before, {"graph", "changed.toml"})


def test_graph_with_a_lexicon_that_fails_midway_keeps_the_previous_output(graph_output, corpus):
    target, before = graph_output
    settings = bad_lexicon_settings(target.parent)
    assert cli.main(["graph", str(corpus), "-o", str(target), "--settings", str(settings)]) == EXIT_SETTINGS
    check_intact(target, before, {"graph", "lexicon.toml", "settings.toml"})


def _changed_settings(directory: Path) -> Path:
    """Settings that change the results (so a half-written output would show)."""
    path = directory / "changed.toml"
    path.write_text("[continuity]\nmin_content_score = 0.05\nkey_terms = 5\n"
                    "[compare]\nweight_number = 1.0\nmin_similarity = 0.9\n", encoding="utf-8")
    return path


def assert_changes_output(argv: list[str], before: dict[str, bytes], scratch: Path) -> None:
    """The changed settings do change what is written (else a half-written output would not show)."""
    assert cli.main(argv + [str(scratch)] if argv[-1] in ("-o", "--csv") else argv) == 0
    after = snapshot(scratch)
    assert [n for n in after if after[n] != before.get(n)], "the changed settings change nothing"


# -- gaps --csv / compare --csv ------------------------------------------------------------------------

@pytest.mark.parametrize("command, written", [("gaps", 1), ("compare", 2)])
def test_csv_directories_failing_midway_keep_the_previous_files(tmp_path, fail_after, corpus, command, written):
    target = tmp_path / "tables"
    assert cli.main([command, str(corpus), "--csv", str(target)]) == 0
    before = snapshot(target)
    assert len(before) > written
    changed = str(_changed_settings(tmp_path))
    assert_changes_output([command, str(corpus), "--settings", changed, "--csv"], before, tmp_path / "scratch")
    fail_after(written)
    assert cli.main([command, str(corpus), "--csv", str(target), "--settings", changed]) == EXIT_OUTPUT
    check_intact(target, before, {"tables", "changed.toml", "scratch"})


# -- report -o -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_output(tmp_path_factory, corpus):
    parent = tmp_path_factory.mktemp("atomic-report")
    target = parent / "report"
    assert cli.main(["report", str(corpus), "-o", str(target), "--quiet", "--no-timestamp"]) == 0
    return target, snapshot(target)


@pytest.mark.parametrize("written", [0, 4])
def test_report_failing_midway_keeps_the_previous_report(report_output, fail_after, corpus, written):
    target, before = report_output
    fail_after(written)
    assert cli.main(["report", str(corpus), "-o", str(target), "--quiet"]) == EXIT_OUTPUT
    check_intact(target, before, {"report", "settings.toml", "lexicon.toml"})


def test_report_with_a_lexicon_that_fails_midway_keeps_the_previous_report(report_output, corpus):
    target, before = report_output
    settings = bad_lexicon_settings(target.parent)
    assert cli.main(["report", str(corpus), "-o", str(target), "--quiet", "--settings", str(settings)]) \
        == EXIT_SETTINGS
    check_intact(target, before, {"report", "settings.toml", "lexicon.toml"})


def test_report_swap_failure_restores_the_previous_report(report_output, corpus, monkeypatch):
    """The last step (renaming the new directory into place) fails: the old one is put back."""
    import os

    target, before = report_output
    real = os.replace

    def replace(src, dst):
        if Path(dst) == target and ".new" in Path(src).name:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert cli.main(["report", str(corpus), "-o", str(target), "--quiet"]) == EXIT_OUTPUT
    monkeypatch.undo()
    check_intact(target, before, {"report", "settings.toml", "lexicon.toml"})


# -- the writers themselves ----------------------------------------------------------------------------

def test_atomic_write_never_leaves_a_half_file_or_a_temp(tmp_path, monkeypatch):
    import os

    target = tmp_path / "findings.csv"
    outputs.write_csv(target, ["a"], [["前の内容"]])
    before = target.read_bytes()

    def replace(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError):
        outputs.write_csv(target, ["a"], [["新しい内容"]])
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert leftovers(tmp_path, {"findings.csv"}) == []
