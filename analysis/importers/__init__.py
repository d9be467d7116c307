"""Importers: source files → :class:`~analysis.corpus.Corpus`.

Two ways in:

* ``evaluation-table`` — the tab-separated text a PDF evaluation table leaves (page titles,
  【…】 header rows, merged cells, ``<p>`` fragments); :func:`import_evaluation_table`.
* ``csv`` / ``xlsx`` — a plan table with a column mapping; :func:`import_table`.

:func:`import_source` recognises the format from the file name (``.txt``/``.tsv`` → evaluation
table, or a table when a mapping is given; ``.csv`` → csv; ``.xlsx`` → xlsx).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Mapping

from ..corpus import Corpus
from ..errors import InputError, check_choice
from .evaluation_table import import_evaluation_table
from .table import import_table, read_mapping

Format = Literal["evaluation-table", "csv", "xlsx"]
FORMATS: tuple[str, ...] = ("evaluation-table", "csv", "xlsx")
SOURCE_SUFFIXES = (".txt", ".tsv", ".csv", ".xlsx")

__all__ = ["FORMATS", "import_source", "import_evaluation_table", "import_table", "read_mapping",
           "detect_format"]


def detect_format(path: str | Path, *, mapping: Any = None) -> str:
    """The importer for ``path`` from its suffix.

    >>> detect_format("plan.csv"), detect_format("評価.txt"), detect_format("plan.tsv", mapping={})
    ('csv', 'evaluation-table', 'csv')
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".txt", ".tsv"):
        return "csv" if mapping is not None else "evaluation-table"
    if suffix in (".xls", ".xlsm", ".ods"):
        raise InputError(f"{suffix} is not supported: save the workbook as .xlsx (or CSV)",
                         file=str(path))
    raise InputError(f"cannot tell the format from the name; expected {', '.join(SOURCE_SUFFIXES)} "
                     "or name it with --format (evaluation-table, csv, xlsx)", file=str(path))


def import_source(path: str | Path, *, format: Format | None = None,
                  mapping: str | Path | Mapping[str, Any] | None = None, owner: str | None = None,
                  name: str | None = None, sheet: str | None = None) -> Corpus:
    """Import one source file with the importer its format needs."""
    if format is None:
        format = detect_format(path, mapping=mapping)  # type: ignore[assignment]
    check_choice("format", format, FORMATS)
    if format == "evaluation-table":
        if mapping is not None:
            raise InputError("a column mapping is for CSV/Excel tables, not for --format evaluation-table",
                             file=str(path), field="mapping")
        return import_evaluation_table(path, owner=owner, name=name)
    return import_table(path, mapping=mapping, format=format, owner=owner, name=name, sheet=sheet)
