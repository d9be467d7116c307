"""Every CLI error is ONE clear line on stderr with a documented exit code (issue 7).

Table-driven: each command × each kind of bad input (missing file, a directory that is not a
corpus, bad encoding, binary file, invalid settings TOML, unknown setting key, bad lexicon,
unwritable output).  Exit codes are those of :mod:`analysis.errors` (2 usage, 3 input,
4 settings, 5 output, 6 environment, 70 internal).  A few cases run as real processes to check
what a user sees (no traceback, no warning noise) and that ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.errors import EXIT_INPUT, EXIT_OUTPUT, EXIT_SETTINGS, EXIT_USAGE, KeikakuError

from conftest import ROOT

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    """The bad inputs, and one small good corpus to combine them with."""
    d = tmp_path_factory.mktemp("bad")
    paths = {"dir": d}
    assert cli.main(["import", str(EXAMPLE), "--mapping", str(MAPPING), "-o", str(d / "good")]) == 0
    paths["good"] = d / "good"
    paths["missing"] = d / "nothing-here"
    paths["not_a_corpus"] = d / "holiday-photos"
    paths["not_a_corpus"].mkdir()
    (paths["not_a_corpus"] / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    paths["bad_encoding"] = d / "sheet.txt"
    paths["bad_encoding"].write_bytes("【基本目標】\t【施策の方向】\n".encode() + b"\x81\x20\xff\xfe\n")
    paths["binary"] = d / "image.txt"
    paths["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    paths["bad_toml"] = d / "broken.toml"
    paths["bad_toml"].write_text("[tokens]\nsplit_mode = \"C\n", encoding="utf-8")
    paths["unknown_key"] = d / "typo.toml"
    paths["unknown_key"].write_text("[tokens]\nsplit_mod = \"A\"\n", encoding="utf-8")
    paths["bad_value"] = d / "wrong-type.toml"
    paths["bad_value"].write_text("[terms]\ntop = \"many\"\n", encoding="utf-8")
    (d / "lexicon-syntax.toml").write_text("[[theme]]\nname = \"見守り\"\nterms = [\"見守り\"\n", encoding="utf-8")
    paths["bad_lexicon"] = d / "settings-lexicon.toml"
    paths["bad_lexicon"].write_text("[data]\nlexicon = \"lexicon-syntax.toml\"\n", encoding="utf-8")
    (d / "lexicon-rule.toml").write_text(
        "[[theme]]\nname = \"見守り\"\nrules = [\"theme:存在しないテーマ & 見守り\"]\n", encoding="utf-8")
    paths["bad_rule"] = d / "settings-rule.toml"
    paths["bad_rule"].write_text("[data]\nlexicon = \"lexicon-rule.toml\"\n", encoding="utf-8")
    paths["a_file"] = d / "a-file.txt"
    paths["a_file"].write_text("not a directory", encoding="utf-8")
    paths["unwritable"] = paths["a_file"] / "out"  # a directory under a regular file
    return paths


# command -> argv builder: (corpus PATH, extra options) -> argv
COMMANDS = {
    "corpus": lambda path, out: ["corpus", path, "--json"],
    "import": lambda path, out: ["import", path, "-o", out],
    "terms": lambda path, out: ["terms", path],
    "themes": lambda path, out: ["themes", path],
    "kwic": lambda path, out: ["kwic", "見守り", path],
    "graph": lambda path, out: ["graph", path, "-o", out],
    "gaps": lambda path, out: ["gaps", path, "--csv", out],
    "compare": lambda path, out: ["compare", path, "--csv", out],
    "report": lambda path, out: ["report", path, "-o", out, "--quiet", "--no-timestamp"],
}
TEXT = ("terms", "themes", "kwic", "graph", "gaps", "compare", "report")  # commands that tokenize
LEXICON = ("themes", "graph", "gaps", "compare", "report")  # commands that code themes
SETTINGS_USERS = TEXT  # commands whose work depends on settings

# (case, commands, exit code, the file the message must name)
CASES = [
    ("missing", tuple(COMMANDS), EXIT_INPUT, "missing"),
    ("not_a_corpus", tuple(COMMANDS), EXIT_INPUT, "not_a_corpus"),
    ("bad_encoding", tuple(COMMANDS), EXIT_INPUT, "bad_encoding"),
    ("binary", tuple(COMMANDS), EXIT_INPUT, "binary"),
    ("bad_toml", tuple(COMMANDS), EXIT_SETTINGS, "bad_toml"),
    ("unknown_key", tuple(COMMANDS), EXIT_SETTINGS, "unknown_key"),
    ("bad_value", SETTINGS_USERS, EXIT_SETTINGS, "bad_value"),
    ("bad_lexicon", LEXICON, EXIT_SETTINGS, "lexicon-syntax.toml"),
    ("bad_rule", LEXICON, EXIT_SETTINGS, "lexicon-rule.toml"),
    ("unwritable", ("import", "graph", "gaps", "compare", "report"), EXIT_OUTPUT, "unwritable"),
]
TABLE = [pytest.param(case, command, code, named, id=f"{command}-{case}")
         for case, commands, code, named in CASES for command in commands]


def argv_for(bad: dict[str, Path], case: str, command: str) -> list[str]:
    path, out, options = bad["good"], bad["dir"] / f"out-{command}-{case}", []
    if case in ("missing", "not_a_corpus", "bad_encoding", "binary"):
        path = bad[case]
    elif case == "unwritable":
        out = bad["unwritable"]
    else:
        options = ["--settings", str(bad[case])]
    if command == "import" and path == bad["good"]:
        path = EXAMPLE
        options += ["--mapping", str(MAPPING)]
    return COMMANDS[command](str(path), str(out)) + options


@pytest.mark.parametrize("case, command, code, named", TABLE)
def test_one_line_and_documented_exit_code(bad, capsys, case, command, code, named):
    argv = argv_for(bad, case, command)
    assert cli.main(argv) == code, argv
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("keikaku: error: "), err
    assert "Traceback" not in err
    name = bad[named].name if named in bad else named
    assert name in err, f"the message does not name {name}: {err}"


@pytest.mark.parametrize("case, command, code, named", [p.values for p in TABLE if p.values[1] in ("terms", "report")
                                                        and p.values[0] in ("bad_toml", "bad_encoding")])
def test_debug_raises_the_error_itself(bad, case, command, code, named):
    with pytest.raises(KeikakuError) as info:
        cli.main(argv_for(bad, case, command) + ["--debug"])
    assert info.value.exit_code == code


def test_a_message_with_a_line_break_stays_one_line(bad, capsys):
    """A header cell holding a line break is quoted in the error: still one line on stderr.
    (Headers match across line breaks now, so the mapping names a header that is not there.)"""
    table = bad["dir"] / "multiline.csv"
    table.write_text('"基本\n目標",施策の方向\r\n目標,見守り\r\n', encoding="utf-8")
    code = cli.main(["import", str(table), "--column", "goal=基本方針", "--column", "direction=施策の方向",
                     "-o", str(bad["dir"] / "out-multiline")])
    assert code == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err


def test_usage_errors_exit_2_and_end_with_one_error_line(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["import"])  # SOURCE and -o missing
    assert info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("keikaku import: error: ")
    assert "Traceback" not in err


# -- as a user sees it: a real process -------------------------------------------------------------

def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "default"})


@pytest.mark.parametrize("case, command", [("bad_encoding", "corpus"), ("bad_lexicon", "themes"),
                                           ("unwritable", "import")])
def test_process_prints_exactly_one_line(bad, case, command):
    result = run(*argv_for(bad, case, command))
    assert result.returncode in (EXIT_INPUT, EXIT_SETTINGS, EXIT_OUTPUT)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("keikaku: error: "), result.stderr
    assert result.stdout == ""


def test_process_debug_shows_the_traceback(bad):
    result = run(*argv_for(bad, "bad_encoding", "corpus"), "--debug")
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "InputError" in result.stderr and bad["bad_encoding"].name in result.stderr


# -- a corpus JSON (as `keikaku corpus --json` prints it) edited by hand --------------------------

def _direction(data):
    return data["plans"][0]["goals"][0]["directions"][0]


JSON_EDITS = {
    "generation as text": lambda d: d["plans"][0].__setitem__("generation", "二"),
    "title null": lambda d: _direction(d).__setitem__("title", None),
    "evaluation a number": lambda d: _direction(d).__setitem__("evaluation", 5),
    "initiatives a text": lambda d: _direction(d).__setitem__("initiatives", "訪問"),
    "source lines a text": lambda d: _direction(d).__setitem__("source_lines", "6"),
    "goal number a text": lambda d: d["plans"][0]["goals"][0].__setitem__("number", "1"),
    "warning line a text": lambda d: d.__setitem__("warnings", [{"line": "三", "message": "x"}]),
    "plans not a list": lambda d: d.__setitem__("plans", "P2"),
}


@pytest.mark.parametrize("command", ["corpus", "themes", "gaps"])
@pytest.mark.parametrize("edit", list(JSON_EDITS))
def test_a_corpus_json_with_wrong_types_is_an_input_error(bad, capsys, edit, command):
    import json

    from analysis.corpus_io import load_corpus

    data = load_corpus(bad["good"]).to_dict()
    JSON_EDITS[edit](data)
    path = bad["dir"] / f"edited-{len(list(bad['dir'].glob('edited-*')))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli.main([command, str(path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("keikaku: error: ") and path.name in err, err


def test_kwic_accepts_options_between_word_and_path(bad, capsys):
    assert cli.main(["kwic", "見守り", "--json", str(bad["good"])]) == 0
