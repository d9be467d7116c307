"""Importer for a plan evaluation table in a Word document (``.docx``), read with python-docx.

The document body is read in order: each paragraph outside a table becomes a one-cell row (a
title before the table), each table row a row of cells, numbered 1, 2, … (the ``line`` of
warnings and skipped rows).  Merged cells are read from the XML: a cell spanning columns
(``w:gridSpan``) gives its text to its first column and empty cells to the rest, a cell
continuing a vertical merge (``w:vMerge`` without ``restart``) is empty, and is carried as the
text importer carries it; cells are placed by grid column, the columns a row leaves without a
cell (``w:gridBefore`` / ``w:gridAfter``) read as empty cells with a warning naming the table,
row, column and its header.  Content controls (``w:sdt``) and custom XML markup are read through
wherever they wrap tables, rows, cells, paragraphs or runs.  A cell's paragraphs, and its line
breaks (``w:br``, ``w:cr``), are its lines, joined as a PDF's wrapped lines are
(:func:`analysis.importers.cells.join_wrapped`); a tab (``w:tab``) is a space.  The rows go to the same reader as the text and
PDF importers (:func:`analysis.importers.evaluation_table.corpus_from_cells`), so a Word table
gives the corpus the same table gives as text.  Header rows repeated by Word on every printed
page (``w:tblHeader``) are in the file once.  The cells as read are kept in
``source/NAME.docx.cells.tsv``; the manifest maps each row to its place (「表1 5行」).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..corpus import Corpus, ImportWarning
from ..errors import InputError
from .cells import Cell, cells_tsv, fold_row, locations
from .encoding import read_source_bytes
from .evaluation_table import corpus_from_cells
from .sheets import corpus_from_sheets, is_sheet

FORMAT = "docx"


# Elements that only wrap other content (a content control, custom XML markup): read through
# them, wherever they wrap paragraphs, tables, rows, cells or runs.
WRAPPERS = ("w:sdt", "w:customXml")


def _unwrapped(element, *tags: str):
    """The children of ``element`` with one of ``tags``, in document order, read through content
    controls (``w:sdt`` → ``w:sdtContent``) and custom XML markup."""
    from docx.oxml.ns import qn

    wanted, sdt, wrappers = {qn(t) for t in tags}, qn("w:sdt"), {qn(w) for w in WRAPPERS}
    for child in element.iterchildren():
        if child.tag in wanted:
            yield child
        elif child.tag in wrappers:
            content = child.find(qn("w:sdtContent")) if child.tag == sdt else child
            if content is not None:
                yield from _unwrapped(content, *tags)


def _run_text(run) -> str:
    """A run's text: ``w:t`` as written, a tab (``w:tab``) a space, a break (``w:br``, ``w:cr``) a
    line break, as a PDF cell's wrapped lines are kept."""
    from docx.oxml.ns import qn

    t, tab, breaks = qn("w:t"), qn("w:tab"), (qn("w:br"), qn("w:cr"))
    parts = []
    for node in run.iterchildren():
        if node.tag == t:
            parts.append(node.text or "")
        elif node.tag == tab:
            parts.append(" ")
        elif node.tag in breaks:
            parts.append("\n")
    return "".join(parts)


def _paragraphs(element) -> str:
    """The text of ``element``'s paragraphs (a cell's, or one body paragraph), one line per
    paragraph and per line break inside it; blank lines left out."""
    from docx.oxml.ns import qn

    lines = []
    paragraphs = [element] if element.tag == qn("w:p") else element.iter(qn("w:p"))
    for paragraph in paragraphs:
        text = "".join(_run_text(run) for run in paragraph.iter(qn("w:r")))
        lines.extend(text.split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _grid_value(tr, tag: str) -> int:
    """``w:gridBefore`` / ``w:gridAfter`` of a row: the grid columns it leaves without a cell."""
    from docx.oxml.ns import qn

    node = tr.find(f"{qn('w:trPr')}/{qn(tag)}")
    if node is None:
        return 0
    try:
        return max(int(node.get(qn("w:val"), "0")), 0)
    except ValueError:
        return 0


@dataclass
class GridGap:
    """Grid columns a row leaves without a cell (``w:gridBefore`` / ``w:gridAfter``): read as
    empty cells, and named in a warning."""
    row: int  # the row's number in reading order (the ``line`` of warnings)
    table: int
    table_row: int
    first: int  # the first grid column without a cell (1-based)
    count: int
    before: bool  # at the row's start (gridBefore), else at its end (gridAfter)


def extract_cells(data: bytes, where: str, gaps: list[GridGap] | None = None) -> list[list[Cell]]:
    """The rows of a Word document's body in order: paragraphs outside tables as one-cell rows
    (``table`` 0), each table row's cells by grid column (merged cells empty; the columns a row
    leaves without a cell, ``w:gridBefore`` / ``w:gridAfter``, empty and added to ``gaps``).
    Content controls (``w:sdt``) are read through wherever they wrap paragraphs, tables, rows,
    cells or runs."""
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"cannot read the Word document (.docx): {exc}", file=where) from None
    except Exception as exc:  # python-docx raises its own and lxml's errors for a damaged part
        raise InputError(f"cannot read the Word document (.docx): {exc}", file=where) from None
    rows: list[list[Cell]] = []
    table_number = 0
    for child in _unwrapped(document.element.body, "w:p", "w:tbl"):
        if child.tag == qn("w:p"):
            text = _paragraphs(child)
            if text.strip():
                rows.append([Cell(0, 0, 0, 0, text)])
        elif child.tag == qn("w:tbl"):
            table_number += 1
            for r, tr in enumerate(_unwrapped(child, "w:tr"), 1):
                cells: list[Cell] = []
                before, after = _grid_value(tr, "w:gridBefore"), _grid_value(tr, "w:gridAfter")
                for _ in range(before):
                    cells.append(Cell(0, table_number, r, len(cells) + 1, ""))
                for tc in _unwrapped(tr, "w:tc"):
                    text = "" if tc.vMerge == "continue" else _paragraphs(tc)
                    cells.append(Cell(0, table_number, r, len(cells) + 1, text))
                    for _ in range(max(tc.grid_span, 1) - 1):
                        cells.append(Cell(0, table_number, r, len(cells) + 1, ""))
                end = len(cells)
                for _ in range(after):
                    cells.append(Cell(0, table_number, r, len(cells) + 1, ""))
                if cells:
                    rows.append(cells)
                    if gaps is not None and any(c.text.strip() for c in cells):
                        if before:
                            gaps.append(GridGap(len(rows), table_number, r, 1, before, True))
                        if after:
                            gaps.append(GridGap(len(rows), table_number, r, end + 1, after, False))
    if not table_number:
        raise InputError("the Word document holds no table (expected the evaluation table as a "
                         "Word table)", file=where)
    return rows


def _gap_warnings(gaps: list[GridGap], texts: list[tuple[list[str], int]], file: str) -> list[ImportWarning]:
    """One warning per row leaving grid columns without a cell, naming the table, row, columns
    and the header of the first of them (the nearest header row above it in the same table)."""
    warnings = []
    for gap in gaps:
        field = _column_header(texts, gap)
        columns = (f"{gap.first}列目" if gap.count == 1 else f"{gap.first}～{gap.first + gap.count - 1}列目")
        where = f"表{gap.table} {gap.table_row}行の{'始め' if gap.before else '終わり'}"
        named = f"（{field}）" if field else ""
        warnings.append(ImportWarning(
            line=gap.row, file=file, field=field,
            message=f"{where}の{columns}{named}にはセルがありません（Word の "
                    f"{'w:gridBefore' if gap.before else 'w:gridAfter'}）。空のセルとして読み込みました"))
    return warnings


def _column_header(texts: list[tuple[list[str], int]], gap: GridGap) -> str:
    from .evaluation_table import _header_names as header_names, _is_header as is_header

    for cells, number in reversed(texts[:gap.row - 1]):
        if is_header(cells):
            names = header_names(cells)
            return names[gap.first - 1] if gap.first - 1 < len(names) else ""
    return ""


def import_docx(path: str | Path, *, owner: str | None = None, name: str | None = None,
                generation: int | None = None, next_generation: int | None = None,
                title: str | None = None) -> Corpus:
    """Import a plan evaluation table from a Word document (see the module docstring)."""
    path = Path(path)
    data = read_source_bytes(path)
    gaps: list[GridGap] = []
    extracted = extract_cells(data, str(path), gaps)
    folded: Counter = Counter()
    where: dict[int, list[Cell]] = {}
    texts: list[tuple[list[str], int]] = []
    for number, row in enumerate(extracted, 1):
        texts.append((fold_row(row, folded), number))
        where[number] = row
    file = path.name
    cells_file = f"{file}.cells.tsv"
    corpus = Corpus(name=name or path.stem, source_data={file: data, cells_file: cells_tsv(extracted)})
    source = {"file": file, "sha256": hashlib.sha256(data).hexdigest(), "format": FORMAT,
              "cells": cells_file, "folded": dict(sorted(folded.items())),
              "locations": locations(where)}
    if is_sheet(texts):
        corpus = corpus_from_sheets(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                                    title=title, generation=generation)
    else:
        corpus = corpus_from_cells(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                                   generation=generation, next_generation=next_generation, title=title)
    if gaps:
        corpus.warnings += _gap_warnings(gaps, texts, file)
        corpus.warnings.sort(key=lambda w: (w.line or 0))
    return corpus
