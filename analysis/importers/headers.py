"""Header rows of real tables: folding, duplicate names, finding the header row, resolving roles.

Headers are matched after folding (NFKC, every whitespace removed, so 「事務事業\\nの概要」,
「事務事業　の概要」 and 「事務事業の概要」 are one header).  A header that occurs more than once is
named ``HEADER#1``, ``HEADER#2`` … (for example the 事業費 of each fiscal year); naming it bare in a
mapping is an error listing those names, never a silent choice.

>>> names = column_names(["政策名", "事業費", "事 業 費", "備考"])
>>> names
['政策名', '事業費#1', '事業費#2', '備考']
>>> resolve("事業費#2", ["政策名", "事業費", "事 業 費", "備考"])
2
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError

_SPACE = re.compile(r"\s+")
_OCCURRENCE = re.compile(r"^(?P<base>.*?)#(?P<n>\d+)$")
# How many header names an error message lists before "… and N more".
MAX_LISTED = 12


def fold_header(text: str) -> str:
    """A header folded for matching: NFKC, every whitespace (line breaks, U+3000) removed.

    >>> fold_header("解決すべき課題\\n（担当課）") == fold_header("解決すべき課題 (担当課)")
    True
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def display_header(text: str) -> str:
    """A header as shown to a reader: line breaks removed, other whitespace runs one space.

    >>> display_header(" 事務事業\\nの概要 ")
    '事務事業の概要'
    """
    joined = "".join(part.strip() for part in text.splitlines())
    return _SPACE.sub(" ", joined).strip()


def column_names(header: list[str]) -> list[str]:
    """A unique name per column: the displayed header, ``#n`` for a repeated one, ``N列目`` for a
    blank one."""
    folded = [fold_header(h) for h in header]
    counts: dict[str, int] = {}
    for f in folded:
        if f:
            counts[f] = counts.get(f, 0) + 1
    seen: dict[str, int] = {}
    first: dict[str, str] = {}
    names = []
    for i, (h, f) in enumerate(zip(header, folded)):
        if not f:
            names.append(f"{i + 1}列目")
        elif counts[f] > 1:
            seen[f] = seen.get(f, 0) + 1
            first.setdefault(f, display_header(h))  # one spelling for every occurrence
            names.append(f"{first[f]}#{seen[f]}")
        else:
            names.append(display_header(h))
    return names


class Ambiguous(Exception):
    """A bare header that names several columns; ``names`` are their ``HEADER#n`` names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def resolve(wanted: str, header: list[str]) -> int | None:
    """The 0-based column of ``wanted`` (a header, or ``HEADER#n`` for its n-th occurrence) in
    ``header``; None when absent; :class:`Ambiguous` when a bare header occurs several times."""
    folded = [fold_header(h) for h in header]
    target = fold_header(wanted)
    hits = [i for i, f in enumerate(folded) if f and f == target]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        names = column_names(header)
        raise Ambiguous([names[i] for i in hits])
    match = _OCCURRENCE.match(target)
    if match:
        hits = [i for i, f in enumerate(folded) if f and f == match.group("base")]
        n = int(match.group("n"))
        if 1 <= n <= len(hits):
            return hits[n - 1]
    return None


def listed(names: list[str], limit: int = MAX_LISTED) -> str:
    """Names quoted 「…」 and joined, at most ``limit`` of them, then how many more.

    >>> listed(["a", "b", "c"], limit=2)
    '「a」、「b」 ほか1列'
    """
    shown = "、".join(f"「{n}」" for n in names[:limit])
    return shown + (f" ほか{len(names) - limit}列" if len(names) > limit else "")


@dataclass
class HeaderRow:
    """The header row of a table: its line (row number) and cells."""

    line: int
    cells: list[str]


def holds(cells: list[str], alternatives: tuple[str, ...]) -> bool:
    """Whether ``cells`` hold one of ``alternatives`` (a repeated header counts as held)."""
    for wanted in alternatives:
        try:
            if resolve(wanted, cells) is not None:
                return True
        except Ambiguous:
            return True
    return False


def find_header_row(rows: list[tuple[int, list[str]]], wanted: list[tuple[str, ...]], *, file: str,
                    header_line: int | None = None) -> HeaderRow:
    """The header row: row ``header_line`` when given, else the first row holding every header
    of ``wanted`` (each a tuple of alternative spellings), else the first non-empty row when
    ``wanted`` is empty.

    When no row holds them all, the row holding most of them is returned: the caller names what
    is missing there.
    """
    if header_line is not None:
        for n, cells in rows:
            if n == header_line and any(c.strip() for c in cells):
                return HeaderRow(header_line, cells)
        raise InputError("expected the header row here (table.header_line)", file=file, line=header_line)
    nonempty = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not nonempty:
        raise InputError("empty table, expected a header row", file=file, line=1)
    if not wanted:
        return HeaderRow(*nonempty[0])
    best, best_hits = nonempty[0], -1
    for n, cells in nonempty:
        hits = sum(1 for alternatives in wanted if holds(cells, alternatives))
        if hits == len(wanted):
            return HeaderRow(n, cells)
        if hits > best_hits:
            best, best_hits = (n, cells), hits
    return HeaderRow(*best)


def likely_header_row(rows: list[tuple[int, list[str]]], *, scan: int = 30) -> HeaderRow | None:
    """The header row of a table with no mapping yet: the first of the first ``scan`` non-empty
    rows filled at least half as wide as the widest of them (a filler row above is passed over)."""
    nonempty = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)][:scan]
    if not nonempty:
        return None
    width = max(sum(1 for c in cells if c.strip()) for _, cells in nonempty)
    for n, cells in nonempty:
        if sum(1 for c in cells if c.strip()) * 2 >= width:
            return HeaderRow(n, cells)
    return HeaderRow(*nonempty[0])
