"""The README is what a new user runs: its notebook example executes, and CI runs its test command."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README has no Python example"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert len(namespace["units"]) > 0
    assert not namespace["kk"].findings_frame(namespace["kk"].findings(namespace["graph"])).empty


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"^(python3 -m venv .*)$", README, flags=re.M)
    assert len(commands) == 2, commands
    main_job, tests = commands
    assert "keikaku report" in main_job
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_every_command_in_the_table_exists():
    from analysis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    listed = set(re.findall(r"^\| `keikaku (\w+)", README, flags=re.M))
    assert listed and listed <= set(sub.choices), listed - set(sub.choices)
