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

A header may take two rows: a row of group headers whose cells span several columns (merged, or
left blank to the right), then a row of sub-headers under them (評価 over 成果 | 課題).  A column
under such a group is named ``GROUP/SUB`` (「評価/課題」); a column with a header of its own (merged
down over both rows) keeps it.  The sub-header alone names the column too when no other column
has that name or sub-header; the group alone is an error listing its columns.

>>> top = ["基本目標", "評価", "", "次期計画"]
>>> header = header_row([(4, top), (5, ["", "成果", "課題", ""]), (6, ["1", "a", "b", "c"])], 4)
>>> header.line, header.sub_line, column_names(header.cells)
(4, 5, ['基本目標', '評価/成果', '評価/課題', '次期計画'])
>>> find_column("課題", header), find_column("評価/成果", header)
(2, 1)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import InputError

_SPACE = re.compile(r"\s+")
_OCCURRENCE = re.compile(r"^(?P<base>.*?)#(?P<n>\d+)$")
_POSITION = re.compile(r"^(\d+)列目$")
# How many header names an error message lists before "… and N more".
MAX_LISTED = 12
# A column under a group header of a two-row header is named GROUP + this + SUB.
GROUP_SEPARATOR = "/"
# A sub-header is short: a row holding a longer cell is data, not a sub-header row.
MAX_SUB_HEADER = 30


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
    """The header row of a table: its line (row number) and cells.

    For a two-row header, ``cells`` are the columns' headers as the mapping names them
    (``GROUP/SUB`` under a group), ``sub_line`` the sub-header row, and ``subs`` / ``groups`` per
    column its sub-header and its group header ("" where none)."""

    line: int
    cells: list[str]
    sub_line: int | None = None
    subs: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    @property
    def last_line(self) -> int:
        """The last row of the header (the sub-header row of a two-row header)."""
        return self.sub_line if self.sub_line is not None else self.line


def sub_headers(top: list[str], below: list[str]) -> tuple[list[str], list[str]] | None:
    """``(groups, subs)`` per column when ``below`` is the sub-header row of the header row
    ``top``, else None.

    ``below`` is a sub-header row when each of its non-empty cells stands under a group: a
    header cell followed by blank cells (a merged cell reads as blank) or by the same text (a
    merge filled in), and at least one group holds two sub-headers or more.  A cell under a
    column with a header of its own, or longer than :data:`MAX_SUB_HEADER`, makes it a data row;
    a ``top`` of one cell, or a group header longer than that, is a title or filler row above a
    one-row header.
    A sub-header repeating the header above it (a vertical merge filled in) counts as blank.

    >>> sub_headers(["基本目標", "評価", "", "次期"], ["", "成果", "課題", ""])
    (['', '評価', '評価', ''], ['', '成果', '課題', ''])
    >>> sub_headers(["基本目標", "評価", ""], ["基本目標1", "できた", "課題がある"]) is None
    True
    >>> sub_headers(["令和5年度 事務事業評価", "", ""], ["政策名", "事務事業名", "課題"]) is None
    True
    """
    width = max(len(top), len(below))
    tops = [fold_header(top[i]) if i < len(top) else "" for i in range(width)]
    subs = [fold_header(below[i]) if i < len(below) else "" for i in range(width)]
    subs = ["" if s == t else s for s, t in zip(subs, tops)]
    if not any(subs) or any(len(s) > MAX_SUB_HEADER for s in subs):
        return None
    start: list[int | None] = []
    group: int | None = None
    for i, t in enumerate(tops):
        if t and (group is None or t != tops[group]):
            group = i
        start.append(group)
    span: dict[int, int] = {}
    for g in start:
        if g is not None:
            span[g] = span.get(g, 0) + 1
    held: dict[int, int] = {}
    for i, s in enumerate(subs):
        if not s:
            continue
        if start[i] is None or span[start[i]] < 2:
            return None  # under a header of its own (or under no header): a data row
        held[start[i]] = held.get(start[i], 0) + 1
    if max(held.values()) < 2:
        return None
    if sum(1 for t in tops if t) < 2 or any(len(tops[g]) > MAX_SUB_HEADER for g in held):
        return None  # a title or filler row above the header is no group row
    groups = [display_header(top[start[i]]) if subs[i] else "" for i in range(width)]
    return groups, [display_header(below[i]) if subs[i] else "" for i in range(width)]


def header_row(rows: list[tuple[int, list[str]]], line: int) -> HeaderRow:
    """The header starting on row ``line`` of ``rows``: one row, or two when the row right below
    it is a sub-header row (:func:`sub_headers`)."""
    return _header_at(dict(rows), line)


def _header_at(by_line: dict[int, list[str]], line: int) -> HeaderRow:
    cells = by_line[line]
    below = by_line.get(line + 1)
    split = sub_headers(cells, below) if below is not None else None
    if split is None:
        return HeaderRow(line, cells)
    groups, subs = split
    merged = [f"{g}{GROUP_SEPARATOR}{s}" if s else (cells[i] if i < len(cells) else "")
              for i, (g, s) in enumerate(zip(groups, subs))]
    return HeaderRow(line, merged, sub_line=line + 1, subs=subs, groups=groups)


def find_column(wanted: str, header: HeaderRow) -> int | None:
    """The 0-based column ``wanted`` names in ``header``: a header (``HEADER#n`` for a repeated
    one, ``GROUP/SUB`` under a group), a column's name as :func:`column_names` gives it (``N列目``
    for a blank header), a sub-header alone, ``GROUP#n`` for the n-th column under a group, or
    ``N列目`` for the N-th column of any header; None when absent; :class:`Ambiguous` when it
    names several columns (a repeated bare header, a group header, a sub-header given twice).
    A column's whole header wins over a sub-header of the same words under a group elsewhere
    (施策の方向 beside 次期計画/施策の方向)."""
    index = resolve(wanted, header.cells)
    if index is not None:  # a column's own header, whole: that column, whatever sub-headers say
        return index
    target = fold_header(wanted)
    under = [i for i, s in enumerate(header.subs) if s and fold_header(s) == target]
    names = column_names(header.cells)
    hits = [i for i, n in enumerate(names) if fold_header(n) == target]
    if len(hits) == 1:
        return hits[0]
    if len(under) == 1:
        return under[0]
    if len(under) > 1:
        raise Ambiguous([names[i] for i in under])
    grouped = [i for i, g in enumerate(header.groups) if g and fold_header(g) == target]
    if len(grouped) == 1:
        return grouped[0]
    if grouped:
        raise Ambiguous([names[i] for i in grouped])
    match = _OCCURRENCE.match(target)
    if match:  # GROUP#n: the n-th column under a group
        grouped = [i for i, g in enumerate(header.groups) if g and fold_header(g) == match.group("base")]
        if 1 <= int(match.group("n")) <= len(grouped):
            return grouped[int(match.group("n")) - 1]
    match = _POSITION.match(target)
    if match and 1 <= int(match.group(1)) <= len(header.cells):
        return int(match.group(1)) - 1  # N列目, as `keikaku mapping` lists every column
    return None


def holds(header: HeaderRow, alternatives: tuple[str, ...]) -> bool:
    """Whether ``header`` holds one of ``alternatives`` (a name of several columns counts as
    held: the caller names them)."""
    for wanted in alternatives:
        try:
            if find_column(wanted, header) is not None:
                return True
        except Ambiguous:
            return True
    return False


def find_header_row(rows: list[tuple[int, list[str]]], wanted: list[tuple[str, ...]], *, file: str,
                    header_line: int | None = None) -> HeaderRow:
    """The header: the one starting on row ``header_line`` when given, else the first holding
    every header of ``wanted`` (each a tuple of alternative spellings), else the first non-empty
    row when ``wanted`` is empty.  A header takes two rows when the row below is a sub-header row.

    When no row holds them all, the header holding most of them is returned: the caller names
    what is missing there.
    """
    if header_line is not None:
        for n, cells in rows:
            if n == header_line and any(c.strip() for c in cells):
                return header_row(rows, header_line)
        raise InputError("expected the header row here (table.header_line)", file=file, line=header_line)
    nonempty = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not nonempty:
        raise InputError("empty table, expected a header row", file=file, line=1)
    by_line = dict(rows)
    if not wanted:
        return _header_at(by_line, nonempty[0][0])
    best, best_hits = None, -1
    for n, _ in nonempty:
        header = _header_at(by_line, n)
        hits = sum(1 for alternatives in wanted if holds(header, alternatives))
        if hits == len(wanted):
            return header
        if hits > best_hits:
            best, best_hits = header, hits
    return best


def likely_header_row(rows: list[tuple[int, list[str]]], *, scan: int = 30) -> HeaderRow | None:
    """The header of a table with no mapping yet: the first of the first ``scan`` non-empty
    rows filled at least half as wide as the widest of them (a filler row above is passed over;
    a group row counts with the sub-header row below it)."""
    nonempty = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)][:scan]
    if not nonempty:
        return None
    width = max(sum(1 for c in cells if c.strip()) for _, cells in nonempty)
    by_line = dict(rows)
    for n, _ in nonempty:
        header = _header_at(by_line, n)
        if sum(1 for c in header.cells if c.strip()) * 2 >= width:
            return header
    return _header_at(by_line, nonempty[0][0])
