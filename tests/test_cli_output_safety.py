"""Nothing lost, nothing half-written: the output and terminal cases of issue 12, as a hostile user
tries them, each through the real command (``python -m analysis`` in a subprocess).

* outputs never go into a corpus folder or a folder of someone else's files (exit 5);
* a killed run's staging folder is removed by the next run; SIGTERM and SIGHUP clean up like
  Ctrl-C (exit 128 + signal);
* a symbolic link as the output is written through and stays a link;
* a name too long for the file system is exit 5, and a name that fits always works;
* a full stdout is exit 5; a stdout that cannot encode Japanese never fails the command;
* a full disk names the output, not the hidden staging folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.errors import EXIT_OUTPUT

from conftest import ROOT, SEED

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"
BUNDLED = ROOT / "corpus" / "higashimatsuyama"


def run(*args, cwd=None, env=None, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True,
                          timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})}, **kwargs)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1 and err.startswith("keikaku: error: "), err
    assert "Traceback" not in err
    return err


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".keikaku-" in p.name or p.name.endswith(".new"))


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """A small corpus (the example table), imported once."""
    d = tmp_path_factory.mktemp("example")
    result = run("import", EXAMPLE, "--mapping", MAPPING, "-o", d / "example")
    assert result.returncode == 0, result.stderr
    return d / "example"


# -- 1. outputs written into a corpus folder -----------------------------------------------------

@pytest.mark.parametrize("command", [["compare", "{c}", "--csv", "{c}"], ["gaps", "{c}", "--csv", "{c}"],
                                     ["graph", "{c}", "-o", "{c}"]])
def test_outputs_are_never_written_into_a_corpus_folder(tmp_path, example, command):
    import shutil

    corpus = tmp_path / "cc"
    shutil.copytree(example, corpus)
    before = digests(corpus)
    result = run(*[str(corpus) if a == "{c}" else a for a in command])
    assert result.returncode == EXIT_OUTPUT
    assert "corpus folder" in one_error_line(result)
    assert digests(corpus) == before and litter(tmp_path) == []
    assert run("corpus", corpus).returncode == 0


def test_outputs_go_only_into_a_new_empty_or_own_folder(tmp_path, example):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "links.csv").write_text("my own table\n", encoding="utf-8")
    result = run("gaps", example, "--csv", foreign)
    assert result.returncode == EXIT_OUTPUT and "did not write" in one_error_line(result)
    assert (foreign / "links.csv").read_text(encoding="utf-8") == "my own table\n"
    out = tmp_path / "out"
    out.mkdir()  # empty: fine
    assert run("graph", example, "-o", out).returncode == 0
    (out / "notes.txt").write_text("メモ", encoding="utf-8")
    # written by keikaku before: the others may add to it, and the user's own file is kept
    assert run("gaps", example, "--csv", out).returncode == 0
    assert run("compare", example, "--csv", out).returncode == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "メモ"
    assert {"continuity.graphml", "findings.csv", "themes.csv"} <= {p.name for p in out.iterdir()}


# -- 3. killed runs leave litter -----------------------------------------------------------------

# The real command, slowed down where it writes its output (the report's index.html, the
# corpus's manifest.json) so that a signal lands mid-write.
SLOW = """
import sys, time
from pathlib import Path
import analysis.corpus_io as corpus_io
import analysis.outputs as outputs
def ready():
    Path(sys.argv[1]).write_text("ready")
    time.sleep(120)
write_text, dumps = outputs.atomic_write_text, corpus_io.json_dumps
def slow_write_text(path, text, **kw):
    write_text(path, text, **kw)
    if Path(path).name == "index.html":
        ready()
def slow_dumps(obj):
    ready()
    return dumps(obj)
outputs.atomic_write_text, corpus_io.json_dumps = slow_write_text, slow_dumps
from analysis.cli import main
sys.exit(main(sys.argv[2:]))
"""


def command_line(command: str, corpus: Path, target: Path) -> list[str]:
    if command == "report":
        return ["report", str(corpus), "-o", str(target), "--quiet", "--no-timestamp"]
    return ["import", str(SEED), "-o", str(target)]


def start_slow(tmp_path: Path, argv: list[str]) -> subprocess.Popen:
    ready = tmp_path / "ready"
    ready.unlink(missing_ok=True)
    process = subprocess.Popen([sys.executable, "-c", SLOW, str(ready), *argv],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not ready.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    ready.unlink()
    return process


@pytest.mark.parametrize("command", ["report", "import"])
@pytest.mark.parametrize("signal_number, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                                 (signal.SIGINT, 130)])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, example, command, signal_number, code):
    target = tmp_path / "out"
    argv = command_line(command, example, target)
    assert run(*argv).returncode == 0
    before = digests(target)
    process = start_slow(tmp_path, argv)
    assert litter(tmp_path), "the staging folder exists while the output is written"
    process.send_signal(signal_number)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code, err
    assert err.decode() == "keikaku: interrupted\n"
    assert litter(tmp_path) == [] and digests(target) == before


@pytest.mark.parametrize("command", ["report", "import"])
def test_the_next_run_removes_what_a_killed_run_left(tmp_path, example, command):
    target = tmp_path / "out"
    argv = command_line(command, example, target)
    process = start_slow(tmp_path, argv)
    process.kill()  # SIGKILL: nothing can clean up
    process.communicate(timeout=120)
    left = litter(tmp_path)
    assert left and all(f".keikaku-{process.pid}-" in name for name in left)
    # a staging folder of a run still going (this test's own PID) and a stranger's hidden folder
    running = tmp_path / f".out.keikaku-{os.getpid()}-0123abcd.new"
    running.mkdir()
    stranger = tmp_path / ".out.12345678.new"
    stranger.mkdir()
    assert run(*argv).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == sorted(
        [running.name, stranger.name])
    assert (target / ("index.html" if command == "report" else "manifest.json")).is_file()


# -- 4. a symbolic link as the output ------------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "graph", "import"])
def test_a_symlinked_output_is_written_through(tmp_path, example, command):
    real = tmp_path / "real" / "out"
    real.parent.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    argv = {"report": ["report", example, "-o", link, "--quiet", "--no-timestamp"],
            "graph": ["graph", example, "-o", link],
            "import": ["import", EXAMPLE, "--mapping", MAPPING, "-o", link]}[command]
    for _ in range(2):  # a new target, then replacing it
        result = run(*argv, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert real.is_dir() and not real.is_symlink() and any(real.iterdir())
        assert litter(tmp_path) == [] and litter(real.parent) == []


# -- 10. file names too long ---------------------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "import", "graph"])
def test_a_name_too_long_is_an_output_error(tmp_path, example, command):
    name = "あ" * 100  # 300 bytes
    argv = {"report": ["report", example, "-o", name, "--quiet"], "graph": ["graph", example, "-o", name],
            "import": ["import", SEED, "-o", name]}[command]
    result = run(*argv, cwd=tmp_path)
    assert result.returncode == EXIT_OUTPUT
    assert "too long" in one_error_line(result)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "import"])
def test_a_name_that_fits_is_never_refused_for_its_staging_name(tmp_path, example, command):
    name = "あ" * 84  # 252 bytes: mkdir takes it, so keikaku must too
    os.mkdir(tmp_path / name)
    os.rmdir(tmp_path / name)
    argv = {"report": ["report", example, "-o", name, "--quiet", "--no-timestamp"],
            "import": ["import", SEED, "-o", name]}[command]
    for _ in range(2):  # new, then replaced (the old one is renamed aside first)
        result = run(*argv, cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
    assert [p.name for p in tmp_path.iterdir()] == [name]


# -- 11. a full stdout ---------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["corpus", "--json"], ["corpus"], ["kwic", "見守り", "--json"],
                                  ["--help"]])
def test_a_full_stdout_is_an_output_error(argv):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "analysis", *argv], stdout=full,
                                stderr=subprocess.PIPE, timeout=300)
    assert result.returncode == EXIT_OUTPUT
    assert "standard output" in one_error_line(result) and "No space left" in result.stderr.decode()


# -- 12. a stdout that cannot encode Japanese --------------------------------------------------

C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"}, C_LOCALE,
                                 {**C_LOCALE, "PYTHONIOENCODING": "ascii"}])
@pytest.mark.parametrize("argv", [["--help"], ["corpus"], ["kwic", "見守り"], ["terms", "--top", "3"]])
def test_a_stdout_without_japanese_still_gets_it(env, argv):
    result = run(*argv, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")  # UTF-8 whatever the locale
    assert any("\u3040" <= ch <= "\u9fff" for ch in text)


def test_a_japanese_file_name_under_the_c_locale(tmp_path):
    source = tmp_path / "計画の評価表.txt"
    source.write_bytes(SEED.read_bytes())
    result = run("import", source.name, "-o", "コーパス", cwd=tmp_path, env=C_LOCALE)
    assert result.returncode == 0, result.stderr
    assert "コーパス" in result.stdout.decode("utf-8")
    manifest = json.loads((tmp_path / "コーパス" / "manifest.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in manifest["sources"]] == ["計画の評価表.txt"]
    report = run("report", "コーパス", "-o", "レポート", "--quiet", "--no-timestamp", cwd=tmp_path, env=C_LOCALE)
    assert report.returncode == 0 and report.stderr == b""
    assert "レポート" in report.stdout.decode("utf-8")


# -- 13. a full disk names the output --------------------------------------------------------------

def _small_files_only():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


@pytest.mark.parametrize("command", ["report", "graph"])
def test_a_full_disk_names_the_output_not_the_staging_folder(tmp_path, example, command):
    settings = tmp_path / "no-cache.toml"  # the token cache would only warn that it cannot write
    settings.write_text("[tokens]\ncache = false\n", encoding="utf-8")
    target = tmp_path / "out"
    argv = {"report": ["report", example, "-o", target, "--quiet"], "graph": ["graph", example, "-o", target]}
    result = run(*argv[command], "--settings", settings, preexec_fn=_small_files_only)
    assert result.returncode == EXIT_OUTPUT
    line = one_error_line(result)
    assert f"error: {target}{os.sep}" in line and "keikaku-" not in line and ".new" not in line
    assert "File too large" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-cache.toml"]
