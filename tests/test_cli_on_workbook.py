"""Every command runs on the other common shape of document (issue 11): one year of 事務事業評価
from a workbook, imported with `keikaku mapping`'s guess — exit 0, no traceback, and what cannot be
computed said in a note rather than left out."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbook_shapes import evaluation_workbook


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    source = evaluation_workbook(folder / "hyoka.xlsx")
    guessed = _run("mapping", source)
    assert guessed.returncode == 0, guessed.stderr
    (folder / "mapping.toml").write_text(guessed.stdout, encoding="utf-8")
    assert _run("import", source, "--mapping", folder / "mapping.toml", "-o", folder / "city").returncode == 0
    return folder


COMMANDS = [
    ("corpus", "city"), ("corpus", "city", "--json"), ("terms", "city", "--json"), ("themes", "city", "--json"),
    ("kwic", "担い手", "city", "--json"), ("tokens", "city", "--json"), ("graph", "city", "-o", "graph"),
    ("gaps", "city", "--json"), ("compare", "city", "--json"), ("report", "city", "-o", "report", "--quiet"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_runs_on_a_one_year_workbook(city, args):
    result = _run(*args, cwd=city)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_what_cannot_be_computed_is_said_and_what_can_is_given(city):
    gaps = json.loads(_run("gaps", "city", "--json", cwd=city).stdout)
    assert "single_period" in {n["code"] for n in gaps["notes"]}
    assert not [f for f in gaps["findings"] if f["kind"] == "direction"]  # no invented successors
    period = gaps["period_findings"]
    assert period["problems_kept"] and period["endings"]
    compare = json.loads(_run("compare", "city", "--json", cwd=city).stdout)
    assert compare["notes"] and compare["notes"][0]["code"] == "single_period"
    corpus = json.loads(_run("corpus", "city", "--json", cwd=city).stdout)
    units = [d for p in corpus["plans"] for g in p["goals"] for d in g["directions"]]
    assert all(u["decision"] and u["decision"]["class"] in {"continue", "improve", "end"} for u in units)
    assert {t["label"] for u in units for t in u["texts"]} >= {"担当課", "課長"}
    # the category column is a decision, never a next-plan direction
    assert len(corpus["plans"]) == 1 and not corpus["links"]
