"""The five notebooks run top to bottom on the bundled corpus, in a kernel of this Python."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_corpus_overview.ipynb", "02_themes_and_terms.ipynb", "03_continuity_and_gaps.ipynb",
            "04_compare_generations.ipynb", "05_single_year_evaluations.ipynb"]


def test_the_five_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean_and_titled(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source.splitlines()[-1] == "CORPUS = None", "the one cell a planner changes"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "commit notebooks without outputs"
        # only the public API: `import analysis as kk`, never a private module
        assert "from analysis" not in cell.source and "kk._" not in cell.source
        assert "import analysis." not in cell.source
    prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert sum("\u3040" <= ch <= "\u9fff" for ch in prose) > 100, "Japanese prose"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # proves the kernel is this venv's Python (jupyter_client maps the kernelspec's "python" to
    # sys.executable of the process that starts it)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    client = NotebookClient(nb, kernel_name="python3", timeout=180,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    executable = "".join(o.get("text", "") for o in nb.cells[-1].outputs).strip()
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    figures = sum(1 for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs if "image/png" in o.get("data", {}))
    if "overview" not in path.stem:
        assert figures >= 1, "figures are shown inline"
    assert not list(tmp_path.iterdir()) or all(p.name.startswith(".") for p in tmp_path.iterdir())


@pytest.fixture(scope="module")
def workbook_corpus(tmp_path_factory):
    """A one-year 事務事業評価 workbook (filler row, two-line headers, decisions, ratings, two
    comment roles) imported as a planner would: `keikaku mapping`'s guess, then `import`."""
    import subprocess

    from workbook_shapes import evaluation_workbook

    folder = tmp_path_factory.mktemp("workbook")
    source = evaluation_workbook(folder / "hyoka.xlsx")
    run = lambda *args: subprocess.run([sys.executable, "-m", "analysis", *map(str, args)],  # noqa: E731
                                       capture_output=True, text=True, timeout=300)
    guessed = run("mapping", source)
    assert guessed.returncode == 0, guessed.stderr
    (folder / "mapping.toml").write_text(guessed.stdout, encoding="utf-8")
    imported = run("import", source, "--mapping", folder / "mapping.toml", "-o", folder / "city")
    assert imported.returncode == 0, imported.stderr
    return folder / "city"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_a_one_year_workbook_corpus(path, tmp_path, workbook_corpus):
    """Pointed at another shape of document (one period, decisions, ratings, no next plan), every
    notebook still runs and shows what applies, saying why where a section cannot be computed."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source = code.source.replace("CORPUS = None", f"CORPUS = {str(workbook_corpus)!r}")
    NotebookClient(nb, kernel_name="python3", timeout=180,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "".join(o.get("text", "") + "".join(o.get("data", {}).get("text/plain", ""))
                   for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Traceback" not in text
