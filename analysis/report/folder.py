"""The report directory: ``index.html``, tables (CSV, Excel), figures and graph files, written
as a whole, and the guard that it only ever replaces an earlier report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .data import Progress, ReportData, report_data
from .figures import figure_tables, report_figures
from .html import GENERATOR_MARK, render_html
from .tables import report_tables
from .workbook import write_workbook

GRAPH_FORMATS = ("graphml", "gexf", "json")  # Gephi and Cytoscape, and node-link JSON


def write_report(data: ReportData, directory: str | Path = "report", *, generated_at: Any = None,
                 progress: Progress | None = None) -> Path:
    """Write the report directory as a whole (atomically).

    It holds ``index.html``, ``tables/*.csv`` (UTF-8 with BOM; the co-occurrence network's nodes,
    edges and Jaccard matrix among them), ``keikaku.xlsx``, ``figures/*.svg`` (and ``*.png`` when
    ``[report] png``), the co-occurrence network as ``graph/cooccurrence.graphml`` and, with two
    generations or more, the continuity graph as GraphML, GEXF and node-link JSON (``graph/``).

    Parameters
    ----------
    data : ReportData
    directory : str or Path, default "report"
        Replaced as a whole; on failure an existing directory is left untouched.
    generated_at : datetime, str, False or None, default None
        See :func:`analysis.report.html.generated_at_text`.
    progress : callable(step, done, total), optional

    Returns
    -------
    Path
        ``directory``.

    Raises
    ------
    OutputError
        When ``directory`` holds anything but an earlier report (:func:`check_replaceable`), or
        cannot be written.
    """
    from .. import plots
    from ..outputs import atomic_directory, atomic_write_bytes, atomic_write_text, write_frame_csv

    report_progress = progress or (lambda step, done, total: None)
    directory = Path(directory)
    check_replaceable(directory)
    png = data.settings.get("report", "png")
    figures = report_figures(data)
    tables = {**report_tables(data), **figure_tables(data)}
    svgs = {}
    for i, (name, fig) in enumerate(figures.items(), 1):
        report_progress("図を作成中", i, len(figures))
        svgs[name] = plots.figure_svg(fig)
    with atomic_directory(directory) as staging:
        report_progress("レポートを書き出し中", 0, 1)
        atomic_write_text(staging / "index.html", render_html(data, generated_at=generated_at, figures=svgs))
        for name, frame in tables.items():
            write_frame_csv(staging / "tables" / f"{name}.csv", frame)
        write_workbook(staging / "keikaku.xlsx", tables)
        for name, fig in figures.items():
            atomic_write_bytes(staging / "figures" / f"{name}.svg", svgs[name])
            if png:
                atomic_write_bytes(staging / "figures" / f"{name}.png", plots.figure_png(fig))
        if data.graph is not None:
            _write_graphs(data.graph, staging / "graph")
        if data.cooccurrence is not None:
            _write_cooccurrence_graph(data.cooccurrence, staging / "graph" / "cooccurrence.graphml")
    plots.figures_close(figures.values())
    return directory


def check_replaceable(directory: str | Path) -> None:
    """Refuse a directory that holds anything but an earlier keikaku report.

    The report replaces its directory as a whole, so ``-o ~/Documents`` must not delete someone's
    documents: a missing or empty directory, or one whose ``index.html`` carries the report's
    generator mark, is fine.

    Parameters
    ----------
    directory : str or Path

    Returns
    -------
    None

    Raises
    ------
    OutputError
        When ``directory`` is a file, or a directory that is not a report.
    """
    from ..errors import OutputError

    directory = Path(directory)
    if not directory.exists():
        return
    if not directory.is_dir():
        raise OutputError("exists and is not a directory", file=str(directory))
    if not any(directory.iterdir()):
        return
    index = directory / "index.html"
    try:
        head = index.read_text(encoding="utf-8", errors="replace")[:4000] if index.is_file() else ""
    except OSError:
        head = ""
    if GENERATOR_MARK not in head:
        raise OutputError(
            "既存のディレクトリで、keikaku のレポートではないため置き換えません。別の出力先を -o で指定してください"
            " (not a keikaku report directory; refusing to replace it)", file=str(directory))


def _write_graphs(graph, directory: Path) -> None:
    """The continuity graph in each of :data:`GRAPH_FORMATS`."""
    from ..graphio import gexf_omitted, write_graph
    from ..outputs import atomic_write_text

    omitted = gexf_omitted(graph)
    for suffix in GRAPH_FORMATS:
        if suffix == "gexf" and omitted:
            atomic_write_text(directory / "continuity.gexf.txt", omitted + "\n")  # says why
            continue
        write_graph(graph, directory / f"continuity.{suffix}")


def _write_cooccurrence_graph(graph, path: Path) -> None:
    """The co-occurrence network as GraphML (the labels and communities of the figure)."""
    from ..graphio import write_graph

    write_graph(graph, path)


def build_report(path: str | Path | None = None, directory: str | Path = "report", *, settings=None,
                 generated_at: Any = None, progress: Progress | None = None) -> Path:
    """Load the corpus at ``path``, analyse it and write the report directory.

    Parameters
    ----------
    path : str or Path, optional
        A corpus directory or file; None: the bundled corpus.
    directory : str or Path, default "report"
    settings : Settings, optional
    generated_at : datetime, str, False or None, default None
    progress : callable(step, done, total), optional

    Returns
    -------
    Path
        ``directory``.
    """
    from ..corpus_io import load_corpus

    corpus = load_corpus(path)
    data = report_data(corpus, settings=settings, progress=progress)
    return write_report(data, directory, generated_at=generated_at, progress=progress)
