"""Importer for a plan evaluation table in a Word document (``.docx``), read with python-docx.

The document body is read in order: each paragraph outside a table becomes a one-cell row (a
title before the table), each table row a row of cells, numbered 1, 2, … (the ``line`` of
warnings and skipped rows).  Merged cells are read from the XML: a cell spanning columns
(``w:gridSpan``) gives its text to its first column and empty cells to the rest, a cell
continuing a vertical merge (``w:vMerge`` without ``restart``) is empty, and is carried as the
text importer carries it.  A cell's paragraphs are joined as a PDF's wrapped lines are
(:func:`analysis.importers.cells.join_wrapped`).  The rows go to the same reader as the text and
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
from pathlib import Path

from ..corpus import Corpus
from ..errors import InputError
from .cells import Cell, cells_tsv, fold_row, locations
from .encoding import read_source_bytes
from .evaluation_table import corpus_from_cells
from .sheets import corpus_from_sheets, is_sheet

FORMAT = "docx"


def _paragraphs(element) -> str:
    from docx.oxml.ns import qn

    lines = []
    for paragraph in element.iter(qn("w:p")):
        lines.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    return "\n".join(line for line in lines if line.strip())


def extract_cells(data: bytes, where: str) -> list[list[Cell]]:
    """The rows of a Word document's body in order: paragraphs outside tables as one-cell rows
    (``table`` 0), each table row's cells by grid column (merged cells empty)."""
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
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = _paragraphs(child)
            if text.strip():
                rows.append([Cell(0, 0, 0, 0, text)])
        elif child.tag == qn("w:tbl"):
            table_number += 1
            for r, tr in enumerate(child.iterchildren(qn("w:tr")), 1):
                cells: list[Cell] = []
                for tc in tr.iterchildren(qn("w:tc")):
                    text = "" if tc.vMerge == "continue" else _paragraphs(tc)
                    cells.append(Cell(0, table_number, r, len(cells) + 1, text))
                    for _ in range(max(tc.grid_span, 1) - 1):
                        cells.append(Cell(0, table_number, r, len(cells) + 1, ""))
                if cells:
                    rows.append(cells)
    if not table_number:
        raise InputError("the Word document holds no table (expected the evaluation table as a "
                         "Word table)", file=where)
    return rows


def import_docx(path: str | Path, *, owner: str | None = None, name: str | None = None,
                generation: int | None = None, next_generation: int | None = None,
                title: str | None = None) -> Corpus:
    """Import a plan evaluation table from a Word document (see the module docstring)."""
    path = Path(path)
    data = read_source_bytes(path)
    extracted = extract_cells(data, str(path))
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
        return corpus_from_sheets(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                                  title=title, generation=generation)
    return corpus_from_cells(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                             generation=generation, next_generation=next_generation, title=title)
