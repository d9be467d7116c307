"""Same corpus and settings → same bytes (issue 7): JSON, CSV, GraphML/GEXF, the corpus directory,
the report's HTML, tables, workbook and figures — across two runs in one process AND across two
processes with different ``PYTHONHASHSEED`` (set and dict iteration orders differ between them).

The only allowed difference is the report's one "generated at" line (``SOURCE_DATE_EPOCH`` fixes
it; the second run of process B drops it, and then exactly that line differs — figures included,
whose metadata would otherwise also follow SOURCE_DATE_EPOCH).  Kept fast: the small example corpus, one shared token
cache, every command of a run in one process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLE = ROOT / "corpus" / "examples" / "plan.csv"
MAPPING = ROOT / "corpus" / "examples" / "mapping.toml"

# One process: every command twice (run1 with a cold token cache for the first texts, run2 warm).
# Inputs are given by the same relative path in every run, since results record the path.
SCRIPT = r'''
import contextlib, io, os, sys
from pathlib import Path
from analysis.cli import main

plan, mapping, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def run(name, *args):
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main([str(a) for a in args])
    assert code == 0, (name, code)
    return stdout.getvalue()

run("import", "import", plan, "--mapping", mapping, "-o", "corpus", "--name", "example")
for n in (1, 2):
    if n == 2 and sys.argv[4] == "run2-without-epoch":
        os.environ.pop("SOURCE_DATE_EPOCH", None)  # the report states the current time
    d = out / f"run{n}"
    d.mkdir(parents=True)
    run("import", "import", plan, "--mapping", mapping, "-o", d / "imported", "--name", "example")
    outputs = {
        "corpus.json": run("corpus", "corpus", "corpus", "--json"),
        "bundled.json": run("bundled", "corpus", "--json"),
        "terms.json": run("terms", "terms", "corpus", "--json"),
        "themes.json": run("themes", "themes", "corpus", "--json"),
        "kwic.json": run("kwic", "kwic", "見守り", "corpus", "--json"),
        "gaps.json": run("gaps", "gaps", "corpus", "--json", "--csv", d / "gaps-csv"),
        "compare.json": run("compare", "compare", "corpus", "--json", "--csv", d / "compare-csv"),
        "gaps.txt": run("gaps-text", "gaps", "corpus"),
    }
    run("graph", "graph", "corpus", "-o", d / "graph")
    run("report", "report", "corpus", "-o", d / "report", "--quiet")
    for name, text in outputs.items():
        (d / name).write_text(text, encoding="utf-8")
'''


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def start_process(workdir: Path, out: Path, hashseed: str, mode: str, **env: str) -> subprocess.Popen:
    environ = {**os.environ, "PYTHONHASHSEED": hashseed, **env}
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(EXAMPLE), str(MAPPING), str(out), mode],
                            cwd=workdir, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> None:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Two processes with different hash seeds, each running every command twice."""
    workdir = tmp_path_factory.mktemp("determinism")
    (workdir / "A").mkdir()
    a = start_process(workdir / "A", workdir / "A", "1", "same", SOURCE_DATE_EPOCH="1700000000")
    (workdir / "B").mkdir()
    b = start_process(workdir / "B", workdir / "B", "4242", "run2-without-epoch", SOURCE_DATE_EPOCH="1700000000")
    finish(a)
    finish(b)  # run side by side (two cores), each in its own directory with the same layout
    return {"A1": files(workdir / "A" / "run1"), "A2": files(workdir / "A" / "run2"),
            "B1": files(workdir / "B" / "run1"), "B2": files(workdir / "B" / "run2")}


EXPECTED = ["corpus.json", "bundled.json", "terms.json", "themes.json", "kwic.json", "gaps.json",
            "compare.json", "gaps.txt", "gaps-csv/findings.csv", "graph/continuity.graphml",
            "graph/continuity.gexf", "graph/continuity.json", "imported/manifest.json",
            "imported/directions.csv", "report/index.html", "report/keikaku.xlsx"]


def test_every_kind_of_output_was_made(outputs):
    made = outputs["A1"]
    for name in EXPECTED:
        assert name in made and made[name], name
    assert any(n.startswith("compare-csv/") and n.endswith(".csv") for n in made)
    assert any(n.startswith("report/tables/") and n.endswith(".csv") for n in made)
    assert any(n.startswith("report/figures/") and n.endswith(".svg") for n in made)
    assert any(n.startswith("report/graph/") and n.endswith(".graphml") for n in made)


@pytest.mark.parametrize("other", ["A2", "B1", "B2"])
def test_two_runs_and_two_processes_give_the_same_bytes(outputs, other):
    reference, candidate = outputs["A1"], outputs[other]
    assert sorted(candidate) == sorted(reference)
    different = [name for name in reference if reference[name] != candidate[name]]
    # B2 ran without SOURCE_DATE_EPOCH: only the report's generated-at line may differ (next test)
    allowed = ["report/index.html"] if other == "B2" else []
    assert different == allowed, f"A1 and {other} differ in {different}"


def test_report_differs_only_in_the_generated_at_line_without_source_date_epoch(outputs):
    a = outputs["A1"]["report/index.html"].decode("utf-8").splitlines()
    b = outputs["B2"]["report/index.html"].decode("utf-8").splitlines()
    assert len(a) == len(b)
    changed = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(changed) == 1, changed[:3]
    assert "作成日時" in changed[0][0] and "2023-11-14" in changed[0][0]  # SOURCE_DATE_EPOCH=1700000000


def test_json_is_utf8_with_sorted_keys(outputs):
    import json

    for name in ("corpus.json", "terms.json", "themes.json", "gaps.json", "compare.json", "kwic.json"):
        text = outputs["A1"][name].decode("utf-8")
        data = json.loads(text)
        assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n", name


def test_csv_opens_in_excel_as_utf8_with_bom(outputs):
    for name, data in outputs["A1"].items():
        if name.endswith(".csv") and "/source/" not in name:  # source/ holds the input verbatim
            assert data.startswith(b"\xef\xbb\xbf"), name
            data.decode("utf-8")
