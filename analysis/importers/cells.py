"""Table cells as a document gives them, on their way to the evaluation-table row reader.

Shared by the PDF and Word importers: a :class:`Cell` keeps its place (page, table, row,
column) and its text verbatim; :func:`join_wrapped` joins the lines of a wrapped cell,
:func:`fold_row` gives a row's texts as the reader sees them (wraps joined, radicals folded,
:mod:`.cjkfold`), :func:`cells_tsv` writes every cell verbatim for the corpus folder's
``source/`` and :func:`locations` names each row's place (「p.3 表2 5行」).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .cjkfold import fold_cjk

LATIN_END = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]$")
LATIN_START = re.compile(r"^[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]")
# a wrapped line starting a numbered item (「2. 」「（2）」「②」): the item was set apart in the source
ITEM_START = re.compile(r"^(?:[0-9０-９]+[.．]\s|[（(][0-9０-９]+[)）]|[①-⑳])")


@dataclass
class Cell:
    """One extracted cell (or a text line outside the tables, ``table`` 0) with its place."""
    page: int
    table: int
    table_row: int
    column: int
    text: str  # verbatim, wraps as "\n"
    open_below: bool = False  # the row's table is cut open below it by the page's end
    file: str = ""  # the file it comes from, when a source is a folder of files

    @property
    def sheet(self) -> tuple[str, int]:
        """The page as a key: (file, page)."""
        return self.file, self.page


def join_wrapped(text: str) -> str:
    """Join the lines of a wrapped cell: no space between Japanese characters, one space between
    two Latin/digit runs and before a line that starts a numbered item (「2. 」「（2）」「②」, set
    apart in the source); spaces already there are kept.

    >>> join_wrapped("地域福祉の\\n推進")
    '地域福祉の推進'
    >>> join_wrapped("EPA\\n介護"), join_wrapped("NPO\\nEPA"), join_wrapped("令和6\\n年度")
    ('EPA介護', 'NPO EPA', '令和6年度')
    >>> join_wrapped("1. 相談支援\\n2. 子どもへの支援")
    '1. 相談支援 2. 子どもへの支援'
    """
    parts = text.split("\n")
    out = parts[0]
    for part in parts[1:]:
        if (LATIN_END.search(out) and LATIN_START.search(part)) or \
                (ITEM_START.match(part) and out and not out[-1].isspace()):
            out += " "
        out += part
    return out


def location(cell: Cell) -> str:
    """Where a cell is, as a planner would say it."""
    page = (f"{cell.file} " if cell.file else "") + (f"p.{cell.page} " if cell.page else "")
    return f"{page}表{cell.table} {cell.table_row}行" if cell.table else f"{page}表外"


def escape(text: str) -> str:
    """A cell's text on one TSV line: backslash, tab, CR and LF escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def cells_tsv(rows: list[list[Cell]]) -> bytes:
    """The extracted cells verbatim, one line per cell: row, page, table, table_row, column, text
    (``\\n`` a wrap inside the cell, ``\\t`` and ``\\\\`` escaped), UTF-8 with LF; a ``file``
    column first when the cells come from a folder of files."""
    folder = any(cell.file for row in rows for cell in row)
    lines = [("file\t" if folder else "") + "row\tpage\ttable\ttable_row\tcolumn\ttext"]
    for number, row in enumerate(rows, 1):
        for cell in row:
            lines.append((f"{escape(cell.file)}\t" if folder else "")
                         + f"{number}\t{cell.page}\t{cell.table}\t{cell.table_row}\t{cell.column}\t"
                         f"{escape(cell.text)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def fold_row(row: list[Cell], folded: Counter) -> list[str]:
    """The texts of a row as a reader sees them; the folds are added to ``folded``.

    >>> counts = Counter()
    >>> fold_row([Cell(1, 1, 2, 1, "基本⽬\\n標"), Cell(1, 1, 2, 2, "")], counts), counts
    (['基本目標', ''], Counter({'⽬→目': 1}))
    """
    texts = []
    for cell in row:
        text, counts = fold_cjk(join_wrapped(cell.text))
        folded.update(counts)
        texts.append(text)
    return texts


def locations(where: dict[int, list[Cell]]) -> dict[str, str]:
    """Row number → its place: 「p.1 表1 2行」, 「表1 2行」 without pages, 「p.1 表外」 for a line
    outside the tables; a row joined across a page break names both parts.

    >>> locations({3: [Cell(1, 1, 2, 1, "x")], 4: [Cell(2, 0, 0, 0, "x")], 5: [Cell(0, 2, 1, 1, "x")]})
    {'3': 'p.1 表1 2行', '4': 'p.2 表外', '5': '表2 1行'}
    """
    return {str(n): " + ".join(dict.fromkeys(location(c) for c in where[n] if c.column <= 1))
            for n in sorted(where)}
