"""Importer for a plan evaluation table published as PDF: the PDF's tables, read with pdfplumber.

Every page's tables are extracted (ruled tables, pdfplumber's ``lines`` strategy) together with
the text lines outside them, in reading order (top to bottom).  Each table row becomes one row of
cells and each line above a table a one-cell row; they are numbered 1, 2, … in that order (the
``line`` of warnings, skipped rows and ``source_lines``) and handed to the same row reader as
the text importer (:func:`analysis.importers.evaluation_table.corpus_from_cells`), so a PDF gives
the corpus the tab-separated text of its table gives — or, when a cell is a unit label
(事務事業名), to the evaluation-sheet reader (:mod:`.sheets`), one unit per sheet.  A folder of
PDFs is read as one document, each cell keeping its file.  On the way:

* a cell covered by a merged cell (pdfplumber's ``None``) is empty, and is carried as the text
  importer carries it;
* text wrapped inside a cell is joined back without a space, except between two Latin/digit runs
  and before a numbered item (:func:`analysis.importers.cells.join_wrapped`);
* Kangxi radicals and compatibility ideographs are folded (:mod:`.cjkfold`); the fold is counted
  in the source's manifest record (``folded``);
* lines below a page's last table (footers) and page numbers go to ``Corpus.skipped``;
* a row split by a page break (its table has no rule below it where the page ends) is joined
  with the first row of the next page after its repeated header; a page whose table lost a
  column rule keeps each cell under its column;
* the cells exactly as extracted are kept in ``source/NAME.pdf.cells.tsv`` (row, page, table, table
  row, column, text with ``\\n`` for a wrap), and the source record maps each row to its place
  (``locations``: 「p.3 表2 5行」).

A PDF without a text layer (a scan), one whose text is ``(cid:N)`` codes or private-use
characters, or an encrypted one, is an InputError saying so, before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import Counter
from pathlib import Path

from ..corpus import Corpus, ImportWarning
from ..errors import InputError
from .cells import Cell, cells_tsv, fold_row, locations
from .encoding import read_source_bytes
from .cells import join_wrapped
from .evaluation_table import corpus_from_cells
from .sheets import corpus_from_sheets, is_sheet

FORMAT = "pdf"
MAGIC = b"%PDF-"
CID = re.compile(r"\(cid:\d+\)")
PAGE_NUMBER = re.compile(r"^[-－―ー‐—\s(（]*(?:p\.?|P\.?)?\s*[0-9０-９]{1,4}\s*(?:/\s*[0-9０-９]{1,4})?"
                         r"\s*(?:ページ|頁)?[-－―ー‐—\s)）]*$")
UNREADABLE_SHARE = 0.2  # more (cid:N) or private-use characters than this: no usable text layer


def is_page_number(text: str) -> bool:
    """Whether a text line outside the tables is a page number.

    >>> [is_page_number(t) for t in ("- 3 -", "3", "（12）", "p.4", "2/10", "第3章", "令和6年度")]
    [True, True, True, True, True, False, False]
    """
    return bool(PAGE_NUMBER.match(text.strip())) and any(c.isdigit() for c in text)


def unreadable_count(text: str) -> int:
    """How many characters of ``text`` are no characters: ``(cid:N)`` codes and private use.

    >>> unreadable_count("(cid:3)(cid:4)地域")
    2
    """
    return len(CID.findall(text)) + sum(1 for c in CID.sub("", text)
                                        if 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000)


def _open(data: bytes, where: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - reads the page tree, where a damaged file fails
    except Exception as exc:  # pdfplumber wraps pdfminer's errors
        chain, seen = exc, []
        while chain is not None:
            seen.append(chain)
            chain = chain.__cause__ or chain.__context__
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in seen) or \
                any("password" in str(e).lower() or "encrypt" in str(e).lower() for e in seen):
            raise InputError("the PDF is encrypted (password-protected): open it with its password "
                             "and save an unprotected copy, then import that", file=where) from None
        raise InputError(f"cannot read the PDF: {exc}", file=where) from None
    return pdf


def extract_cells(data: bytes, where: str, *, image_pages: list[int] | None = None) -> list[list[Cell]]:
    """The rows of a PDF in reading order: each table row's cells, and each text line outside the
    tables as a one-cell row (``table`` 0).  An InputError for a PDF without usable text.
    ``image_pages``, when given, receives the numbers of the pages that hold images but no text
    (a scanned page inside a PDF that has text elsewhere: its content cannot be read)."""
    pdf = _open(data, where)
    rows: list[list[Cell]] = []
    lefts: list[float] = []  # the left edges of the widest table's columns so far
    chars = unreadable = images = 0
    with pdf:
        for page in pdf.pages:
            number = page.page_number
            images += len(page.images)
            settings = _open_ends(page)
            cut = bool(settings.get("explicit_horizontal_lines")) and \
                max(settings["explicit_horizontal_lines"]) > page.height / 2
            tables = sorted(page.find_tables(settings), key=lambda t: (t.bbox[1], t.bbox[0]))
            page_text = page.extract_text() or ""
            page_chars = sum(1 for c in CID.sub("x", page_text) if not c.isspace())
            chars += page_chars
            if not page_chars and page.images and image_pages is not None:
                image_pages.append(number)
            unreadable += unreadable_count(page_text)
            boxes = [t.bbox for t in tables]

            def outside(obj, boxes=boxes):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            items: list[tuple[float, int, object]] = []
            text_outside = page.filter(lambda o: o.get("object_type") != "char" or outside(o))
            for line in text_outside.extract_text_lines():
                if line["text"].strip():
                    items.append((line["top"], 1, line["text"]))
            for index, table in enumerate(tables, 1):
                items.append((table.bbox[1], 0, (index, table)))
            items.sort(key=lambda item: (item[0], item[1]))
            for _, kind, item in items:
                if kind == 1:
                    rows.append([Cell(number, 0, 0, 0, str(item))])
                    continue
                index, table = item  # type: ignore[misc]
                lefts = _column_lefts(table, lefts)
                for r, (cells, boxes) in enumerate(zip(table.extract(), table.rows), 1):
                    placed = [""] * len(lefts)
                    for cell, box in zip(cells, boxes.cells):
                        if box is not None and cell:
                            column = min(range(len(lefts)), key=lambda k: abs(lefts[k] - box[0]))
                            placed[column] = (placed[column] + "\n" + cell) if placed[column] else cell
                    rows.append([Cell(number, index, r, c, cell, cut and index == len(tables)
                                      and r == len(table.rows)) for c, cell in enumerate(placed, 1)])
        if not chars or (unreadable and unreadable / max(chars, 1) > UNREADABLE_SHARE):
            if not chars:
                what = ("holds only images (a scan, no text layer)" if images
                        else "has no text layer")
            else:
                what = (f"has a text layer that does not give the characters ({unreadable} of "
                        f"{chars} are (cid:N) codes or private-use characters)")
            raise InputError(f"the PDF {what}: run OCR on it first (or export it again from the "
                             "original document with its text), then import the result", file=where)
    return rows


def _open_ends(page) -> dict:
    """Table settings closing a table a page break cut open: a row split by the break has its
    column rules but no rule below (or above), so one is added where the rules end."""
    wide = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 20]
    tall = [e for e in page.edges if e["orientation"] == "v"]
    if not wide or not tall:
        return {}
    lines = []
    bottom, top = max(e["bottom"] for e in tall), min(e["top"] for e in tall)
    if bottom > max(e["bottom"] for e in wide) + 2:
        lines.append(bottom)
    if top < min(e["top"] for e in wide) - 2:
        lines.append(top)
    return {"explicit_horizontal_lines": lines} if lines else {}


def _column_lefts(table, lefts: list[float]) -> list[float]:
    """The left edges of a table's columns: its own, or when it has fewer than the widest table
    seen so far, that table's, so a page whose table lost a column rule (two merged cells
    continuing from the page before) still puts each cell under its column."""
    own: dict[int, float] = {}
    for row in table.rows:
        for k, box in enumerate(row.cells):
            if box is not None:
                own[k] = min(own.get(k, box[0]), box[0])
    mine = [own[k] for k in sorted(own)]
    return mine if len(mine) >= len(lefts) else lefts


def import_pdf(path: str | Path, *, owner: str | None = None, name: str | None = None,
               generation: int | None = None, next_generation: int | None = None,
               title: str | None = None) -> Corpus:
    """Import a plan evaluation table published as PDF (see the module docstring).

    ``path`` may be a folder of PDFs (evaluation sheets, one or more a file): its ``*.pdf`` files,
    in name order, are read as one document, each cell keeping its file."""
    path = Path(path)
    files = _folder_files(path) if path.is_dir() else [path]
    extracted: list[list[Cell]] = []
    datas: dict[str, bytes] = {}
    image_only: list[tuple[str, int]] = []  # (file, page) of pages with images and no text
    for one in files:
        data = read_source_bytes(one)
        if not data.startswith(MAGIC):
            raise InputError("not a PDF (it does not start with %PDF-)", file=str(one))
        scanned: list[int] = []
        rows = extract_cells(data, str(one), image_pages=scanned)
        image_only += [(one.name if one is not path else path.name, page) for page in scanned]
        if one is not path:
            for row in rows:
                for cell in row:
                    cell.file = one.name
        datas[one.name] = data
        extracted += rows
    folded: Counter = Counter()
    texts: list[tuple[list[str], int]] = []
    where: dict[int, list[Cell]] = {}
    footer_rows: list[tuple[int, str]] = []
    last_table_row = _last_table_rows(extracted)
    for number, row in enumerate(extracted, 1):
        cells = fold_row(row, folded)
        where[number] = row
        if row[0].table == 0 and (is_page_number(cells[0]) or number > last_table_row[row[0].sheet]):
            footer_rows.append((number, cells[0]))
            continue
        texts.append((cells, number))
    texts = _join_split_rows(texts, where)
    file = path.name
    cells_file = f"{file}.cells.tsv"
    corpus = Corpus(name=name or path.stem, source_data={cells_file: cells_tsv(extracted)})
    source: dict = {"file": file}
    if path.is_dir():  # the files are kept in source/FOLDER/, listed with their hashes
        listed = [{"path": f"{file}/{one}", "sha256": hashlib.sha256(data).hexdigest()}
                  for one, data in datas.items()]
        corpus.source_data.update({f"{file}/{one}": data for one, data in datas.items()})
        source["sha256"] = hashlib.sha256("".join(f"{f['path']}\t{f['sha256']}\n" for f in listed)
                                          .encode("utf-8")).hexdigest()
        source["files"] = listed
    else:
        corpus.source_data[file] = datas[file]
        source["sha256"] = hashlib.sha256(datas[file]).hexdigest()
    source.update({"format": FORMAT, "pages": len({r[0].sheet for r in extracted}),
                   "cells": cells_file, "folded": dict(sorted(folded.items())),
                   "locations": locations(where)})
    if is_sheet(texts):
        corpus_from_sheets(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                           title=title, generation=generation)
    else:
        try:
            corpus_from_cells(texts, corpus=corpus, where=str(path), source=source, owner=owner,
                              generation=generation, next_generation=next_generation, title=title)
        except InputError as exc:
            if any(row[0].table for row in extracted):
                raise
            # no ruled table anywhere: say that, not only that no header row was found
            raise InputError("the PDF holds no table with ruled cells (keikaku reads a plan table from the "
                             "lines around its cells; a table drawn without them, or plain paragraphs, is "
                             f"not one): {exc.message}", file=str(path)) from None
    for number, text in footer_rows:
        reason = "ページ番号" if is_page_number(text) else "表の下の行（フッター）"
        corpus.skipped.append({"file": file, "line": number, "reason": reason, "text": text})
    for skipped in corpus.skipped:
        if skipped.get("file") == file and skipped["line"] in where:
            cell = where[skipped["line"]][0]
            skipped["reason"] += f"（{cell.file + ' ' if cell.file else ''}{cell.page}ページ）"
    corpus.skipped.sort(key=lambda s: s["line"])
    for name_, page in image_only:  # never dropped silently: what is on them is not in the corpus
        corpus.warnings.append(ImportWarning(
            line=None, file=file, field="",
            message=f"{name_ + ' の' if name_ != file else ''}{page}ページは画像だけで文字がないため、読み込んでいません"
                    "（スキャンしたページ）。内容が必要なら OCR をかけてから読み込んでください"))
    return corpus


def _folder_files(path: Path) -> list[Path]:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
    if not files:
        raise InputError("the folder holds no .pdf file", file=str(path))
    return files


def _last_table_rows(rows: list[list[Cell]]) -> dict[tuple[str, int], int]:
    """Per page, the number of its last table row (0 when the page has no table)."""
    last: dict[tuple[str, int], int] = {}
    for number, row in enumerate(rows, 1):
        last.setdefault(row[0].sheet, 0)
        if row[0].table:
            last[row[0].sheet] = number
    return last


def _join_split_rows(rows: list[tuple[list[str], int]],
                     where: dict[int, list[Cell]]) -> list[tuple[list[str], int]]:
    """Join a row split by a page break to the row before it.

    A row is split when its page ends inside it (the table has no rule below it, see
    :func:`_open_ends`); its continuation is the first table row of the next page after the
    page's repeated header (the first table's first row again)."""
    table_rows = [(cells, n) for cells, n in rows if where[n][0].table]
    if not table_rows:
        return rows
    header = table_rows[0][0]
    width = len(header)
    out: list[tuple[list[str], int]] = []
    page_first: dict[tuple[str, int], int] = {}
    for cells, n in rows:
        cell = where[n][0]
        first = cell.table and cells != header and page_first.get(cell.sheet) is None
        if cell.table and cells != header:
            page_first.setdefault(cell.sheet, n)
        previous = next((i for i in range(len(out) - 1, -1, -1) if where[out[i][1]][0].table
                         and out[i][0] != header), None)
        if (first and previous is not None and len(cells) == width
                and where[out[previous][1]][-1].open_below
                and where[out[previous][1]][-1].sheet == (cell.file, cell.page - 1)
                and len(out[previous][0]) == width):
            joined = list(out[previous][0])
            for c, text in enumerate(cells):
                if not text.strip():
                    continue
                # a cell empty in the row above is covered by a merged cell: its text continues
                # the merged cell, in the row it starts in
                origin = next((i for i in range(previous, -1, -1) if where[out[i][1]][0].table
                               and len(out[i][0]) == width and out[i][0][c].strip()), previous)
                target = list(out[origin][0]) if origin != previous else joined
                target[c] = join_wrapped(target[c] + "\n" + text) if target[c] else text
                if origin != previous:
                    out[origin] = (target, out[origin][1])
            out[previous] = (joined, out[previous][1])
            where[out[previous][1]] = where[out[previous][1]] + where[n]
            continue
        out.append((cells, n))
    return out
