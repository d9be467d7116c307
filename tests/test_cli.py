"""The keikaku command's shared behaviour: help, version, errors and exit codes, cold start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import cli
from analysis.errors import EXIT_INPUT, EXIT_INTERNAL, InputError


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          timeout=120)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("corpus", "import"):
        assert command in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("keikaku ")


def test_unknown_command_is_a_usage_error():
    result = run("nosuchcommand")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_startup_imports_nothing_heavy():
    code = ("import sys, analysis.cli as c; c.build_parser(); "
            "heavy = [m for m in ('pandas', 'sklearn', 'matplotlib', 'networkx', 'sudachipy', 'scipy') "
            "if m in sys.modules]; print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _parser_with(handler):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    probe = sub.add_parser("probe", parents=[cli.common_options()])
    probe.set_defaults(handler=handler)
    return parser


@pytest.fixture
def probe_command(monkeypatch):
    def install(handler):
        parser = _parser_with(handler)
        monkeypatch.setattr(cli, "build_parser", lambda: parser)
    return install


def test_user_error_is_one_line_and_exit_code(probe_command, capsys):
    def handler(args):
        raise InputError("空のファイルです", file="plan.csv", line=1)
    probe_command(handler)
    assert cli.main(["probe"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err == "keikaku: error: plan.csv:1: 空のファイルです\n"


def test_debug_shows_the_traceback(probe_command):
    def handler(args):
        raise InputError("broken", file="x.csv", line=2)
    probe_command(handler)
    with pytest.raises(InputError):
        cli.main(["probe", "--debug"])


def test_internal_error_is_one_line_without_debug(probe_command, capsys):
    def handler(args):
        raise ZeroDivisionError("division by zero")
    probe_command(handler)
    assert cli.main(["probe"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--debug" in err and "Traceback" not in err


def test_debug_before_the_command_counts_too(probe_command):
    def handler(args):
        raise InputError("broken", file="x.csv", line=2)
    probe_command(handler)
    with pytest.raises(InputError):
        cli.main(["--debug", "probe"])


def test_two_leftover_words_are_still_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["corpus", "a", "b"])
    assert info.value.code == 2
    assert "unrecognized arguments: b" in capsys.readouterr().err
