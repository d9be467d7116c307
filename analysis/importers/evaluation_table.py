"""Importer for an evaluation table as a PDF leaves it: tab-separated text lines.

The layout it expects (any municipality): a page title line naming the plan (第N次…計画（令和N年度～
令和M年度）…), a header row of 【…】 labels, then one row per policy direction of the evaluated
plan with the columns 基本理念 | 基本目標 | 施策の方向 | 取組内容 | 評価 | 次期計画の方向性, recognised
from the header labels (:data:`ROLE_WORDS`), in any order.  Page titles and header rows repeat
per page and are recorded in ``Corpus.skipped``; cells left empty under merged cells are carried
forward; see :func:`analysis.importers.build.build_corpus` for the rest.

Ragged rows: a row with fewer cells than the header is read with the missing cells empty (and a
warning); a row with more non-empty cells than the header is an InputError naming its line.

Two tables: a header row whose labels differ from the header above it starts another table (with
the one-cell title rows just above it).  A second table is the next plan's own table when its
title or a label names 第N次 with N the next plan's generation, or, naming no generation, when it
has a description column (説明, 概要) and no evaluation column: its rows become the next plan's
directions (the description their text), as a next plan given as a file of its own (``role =
"next"``), and the next plan a 次期計画の方向性 column named becomes that plan (its links go to the
table's directions of the same title).  Any other second table, and a third, is an InputError
naming its row: two tables are never mixed into one plan.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Corpus, ImportWarning
from ..errors import InputError
from . import patterns as pt
from .build import PlanInfo, Row, build_corpus, merge_next_column
from .encoding import decode_source, read_source_bytes, split_lines

FORMAT = "evaluation-table"

# Header label words → column role, tried in this order (the next plan's column first, since
# 「第三次計画の取り組みの方向性」 also contains 取り組み and 方向).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("next", ("次計画", "次期", "次の計画", "期計画")),
    # 今後の方向性 of an evaluation (継続, 拡充 …) is a decision, not a second direction column
    ("decision", ("今後の方向", "今後の方針")),
    ("philosophy", ("理念",)),
    ("goal", ("目標",)),
    ("evaluation", ("評価", "点検", "成果")),
    ("initiatives", ("取組", "取り組み", "事業内容", "主な事業")),
    ("direction", ("施策", "方向", "方針")),
)
DEFAULT_LAYOUT = ("philosophy", "goal", "direction", "initiatives", "evaluation", "next")
# A column the role words do not name is kept, never refused: as a labelled evaluation text when
# its header says it holds an assessment (課題, 所見 …: what the stances and problem findings read),
# else as an attribute under its header (担当課, 事業費 …), as a CSV table's unmapped columns are.
TEXT_WORDS = ("課題", "問題", "改善", "所見", "意見", "コメント", "総括", "理由", "反省")
REQUIRED = ("goal", "direction")
LABEL = re.compile(r"【([^】]+)】")


def _role(label: str) -> str | None:
    for role, words in ROLE_WORDS:
        if any(word in label for word in words):
            return role
    return None


# A header cell without 【】 (tables printed from Word or Excel) is a short label, never a sentence.
HEADER_CELL_MAX = 24


def _plain_labels(cell: str) -> list[str]:
    """A plain header cell's labels: two labels of a merged cell (基本理念 基本目標) apart, as
    the 【…】 form has them."""
    text = cell.strip()
    if not text or len(text) > HEADER_CELL_MAX or any(ch in text for ch in "。、"):
        return []
    parts = text.split()
    return parts if len(parts) > 1 and all(_role(p) for p in parts) else [text]


def _is_header(cells: list[str]) -> bool:
    """A header row: 【…】 labels naming two roles or more; or, without brackets, short label cells
    most of which name a role, the goal and the direction among them (基本目標 | 施策の方向 | 評価 …)."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2:
        return False
    if all(c.startswith("【") for c in filled):
        return sum(1 for c in filled if _role(" ".join(LABEL.findall(c)))) >= 2
    labels = [_plain_labels(c) for c in filled]
    if not all(labels):
        return False
    flat = [label for cell in labels for label in cell]
    named = [r for r in map(_role, flat) if r]
    return len(named) >= max(2, -(-2 * len(flat) // 3)) and {"goal", "direction"} <= set(named)


def _header_roles(cells: list[str]) -> list[str | None]:
    return [_role(name) if name else None for name in _header_names(cells)]


def _header_names(cells: list[str]) -> list[str]:
    """Each column's label in a header row ('' for a blank header cell)."""
    labels = [label for cell in cells for label in LABEL.findall(cell)]
    if not labels:  # plain header cells
        labels = [label for cell in cells for label in _plain_labels(cell)]
        if len(labels) == len(cells):  # merged header cells: labels spill to the right
            return labels
        return [cell.strip() for cell in cells]
    if len(labels) == len(cells):  # merged header cells: labels spill to the right
        return labels
    return [" ".join(LABEL.findall(cell)) if cell.strip() else "" for cell in cells]


def import_evaluation_table(path: str | Path, *, owner: str | None = None, name: str | None = None,
                            generation: int | None = None, next_generation: int | None = None,
                            title: str | None = None) -> Corpus:
    """Import an evaluation table (tab-separated text from a PDF) as a Corpus.

    ``generation`` defaults to the 第N次 of the page title (else 1); ``next_generation`` to the
    第N次 of the next plan's column label (else generation + 1); ``owner`` is guessed from the
    title (:func:`analysis.importers.patterns.guess_owner`) unless given.
    """
    path = Path(path)
    data = read_source_bytes(path)
    text, encoding = decode_source(data, str(path))
    corpus = Corpus(name=name or path.stem, source_data={path.name: data})
    rows = [(line.split("\t"), number) for number, line in enumerate(split_lines(text), 1)]
    source = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "format": FORMAT,
              "encoding": encoding}
    return corpus_from_cells(rows, corpus=corpus, where=str(path), source=source, owner=owner,
                             generation=generation, next_generation=next_generation, title=title)


def corpus_from_cells(rows: list[tuple[list[str], int]], *, corpus: Corpus, where: str,
                      source: dict, owner: str | None = None, generation: int | None = None,
                      next_generation: int | None = None, title: str | None = None) -> Corpus:
    """Build ``corpus`` from the rows of an evaluation table: ``(cells, line)`` in reading order.

    The one row reader behind both the text importer (a line's tab-separated cells, its line
    number) and :mod:`analysis.importers.pdf` (a table row's cells, its row number in reading
    order): page titles and repeated header rows go to ``Corpus.skipped``, the rest to
    :func:`~analysis.importers.build.build_corpus`; a next plan's own table after the evaluation
    table becomes the next plan (see the module docstring).  ``source`` is the manifest record of the
    source (``file`` names it in warnings); the options given are added to it.  ``where`` names
    the source in errors.

    >>> rows = [(["第二次〇〇市地域福祉計画（令和2年度～令和6年度）"], 1),
    ...         (["【基本目標】", "【施策の方向】", "【評価】"], 2),
    ...         (["【基本目標1】 つながる", "見守りの充実", "見守りを進めた。"], 3)]
    >>> c = corpus_from_cells(rows, corpus=Corpus(name="例"), where="例.txt", source={"file": "例.txt"})
    >>> [(d.title, d.evaluation, d.source_lines) for d in c.plans[0].directions()]
    [('見守りの充実', '見守りを進めた。', [3])]
    """
    file = source["file"]
    tables = _split_tables(rows)
    first = _read_table(tables[0], corpus=corpus, file=file, where=where)
    if first.roles is None:
        raise InputError("expected a header row naming the columns (【基本目標】 【施策の方向】 …, or 基本目標 | 施策の方向 | 評価 …); none found",
                         file=where, line=1)
    _check_table(first, where)

    page_title, header_line, next_label = first.title, first.header_line, first.next_label
    plan_title = title or (pt.plan_name(page_title) if page_title else Path(file).stem)
    _, period = pt.parse_period(page_title)
    gen = generation or pt.generation_of(plan_title) or (
        (pt.generation_of(next_label) - 1) if pt.generation_of(next_label) else 1)
    next_gen = next_generation or pt.generation_of(next_label) or gen + 1
    info = PlanInfo(title=plan_title, generation=gen, next_generation=next_gen,
                    next_title=pt.next_title(plan_title, next_gen),
                    owner=owner if owner is not None else pt.guess_owner(plan_title),
                    period=period, next_period=pt.parse_period(next_label)[1],
                    title_line=first.title_line, next_line=header_line)
    # a later table with other column labels: the next plan's own table, or an error
    later = [_read_table(rows_, corpus=corpus, file=file, where=where, next_plan=True)
             for rows_ in tables[1:]]
    if len(later) > 1:
        raise InputError(f"a third table with other column labels starts at row {later[1].header_line}"
                         f"{_place(source, later[1].header_line)}; only the evaluation table and one next "
                         "plan's table are read from one document: give the other tables as their own "
                         "files", file=where, line=later[1].header_line)
    next_info = None
    if later:
        table = later[0]
        _check_table(table, where)
        _next_plan_table(table, first, next_gen, source, where)
        next_plan_title = pt.plan_name(table.title) if table.title else info.next_title
        next_info = PlanInfo(title=next_plan_title, generation=next_gen, next_generation=next_gen + 1,
                             next_title=pt.next_title(next_plan_title, next_gen + 1), owner=info.owner,
                             period=pt.parse_period(table.title)[1] or info.next_period,
                             title_line=table.title_line, next_line=table.header_line, role="next")
    options = {key: value for key, value in (("owner", owner), ("generation", generation),
                                              ("next_generation", next_generation), ("title", title))
               if value is not None}
    corpus.sources.append({**source, "options": options})
    build_corpus(first.built, info, name=corpus.name, file=file, corpus=corpus)
    if next_info is not None:
        stub = next((p for p in corpus.plans if p.id == f"P{next_gen}"), None)
        build_corpus(later[0].built, next_info, name=corpus.name, file=file, corpus=corpus)
        if stub is not None:
            # the evaluated table's 次期計画の方向性 column named the plan the next table gives
            # whole: one plan, the table's, as for a next plan given as a file of its own
            given = next(p for p in corpus.plans if p.id == stub.id and p is not stub)
            merge_next_column(corpus, stub, given, file, file)
    corpus.warnings.sort(key=lambda w: (w.line or 0))
    corpus.skipped.sort(key=lambda s: s["line"])
    return corpus


# A next plan's own table gives each direction's text in a column such as 説明 (概要): read as the
# direction's description, as a CSV next plan's `description` column is.
DESCRIPTION_WORDS = ("説明", "概要")
# Columns that make a table an evaluation (of a plan, not the next plan's directions).
EVALUATIVE_ROLES = ("evaluation", "decision", "next")


@dataclass
class _Table:
    """One table of the rows: its title (the one-cell row before its header), its header and the
    rows read under it."""
    title: str = ""
    title_line: int | None = None
    roles: list[str | None] | None = None
    names: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    header_line: int | None = None
    next_label: str = ""
    built: list[Row] = field(default_factory=list)


def _single(cells: list[str]) -> bool:
    """A row whose only text is in its first cell (a title line, or a line outside the table)."""
    filled = [c for c in cells if c.strip()]
    return len(filled) == 1 and cells[0].strip() == filled[0].strip()


def _header_key(cells: list[str]) -> tuple[str, ...]:
    """A header row's column labels, spaces left out, to tell a repeated header from another
    table's header."""
    return tuple(re.sub(r"\s+", "", name) for name in _header_names(cells) if name.strip())


def _split_tables(rows: list[tuple[list[str], int]]) -> list[list[tuple[list[str], int]]]:
    """The rows split into tables: a header row whose labels differ from the header of the table
    before it starts a new table, with the one-cell rows just above it (its title; the first
    table's page title repeated stays with the first table)."""
    tables: list[list[tuple[list[str], int]]] = [[]]
    key = None
    first_title = ""
    for cells, number in rows:
        if _is_header(cells):
            current = _header_key(cells)
            if key is None:
                key = current
            elif current != key:
                key = current
                table = tables[-1]
                start = len(table)
                while start and (not "\t".join(table[start - 1][0]).strip() or len(table[start - 1][0]) == 1):
                    start -= 1
                above = table[start:]
                stays = [r for r in above if r[0][0].strip() == first_title]
                tables[-1] = table[:start] + stays
                tables.append([r for r in above if r[0][0].strip() != first_title])
        elif key is None and not first_title and _single(cells):
            first_title = cells[0].strip()
        tables[-1].append((cells, number))
    return tables


def _read_table(rows: list[tuple[list[str], int]], *, corpus: Corpus, file: str, where: str,
                next_plan: bool = False) -> _Table:
    """Read one table's rows: its title and header go to ``Corpus.skipped``, its rows to
    :class:`Row`.  ``next_plan``: a later table, read as a next plan's own table would be (a
    column 説明 … its directions' description)."""
    table = _Table()
    kind = "次期計画の表の" if next_plan else ""
    for cells, number in rows:
        line = "\t".join(cells)
        if not line.strip():
            continue
        filled = [c for c in cells if c.strip()]
        if _is_header(cells):
            if table.roles is None:
                table.roles, table.header_line = _header_roles(cells), number
                table.names, table.labels = _header_names(cells), _header_labels(cells)
                if next_plan:
                    table.roles = _next_plan_roles(table.roles, table.names)
                table.next_label = next((lab for lab, r in zip(_header_labels(cells), _label_roles(cells))
                                         if r == "next"), "")
                reason = f"{kind}見出し行（列の意味として読み込みました）"
            else:
                reason = "繰り返しの見出し行"
            corpus.skipped.append({"file": file, "line": number, "reason": reason, "text": line})
            continue
        single = _single(cells)  # text in cell 1 only
        if single and (table.roles is None or filled[0].strip() == table.title):
            if not table.title:
                table.title, table.title_line = filled[0].strip(), number
                reason = f"{'次期計画の表の表題' if next_plan else 'ページの表題'}（計画名・期間として読み込みました）"
            elif filled[0].strip() == table.title:
                reason = "繰り返しのページの表題"
            else:
                reason = "表の前の行"
                corpus.warnings.append(ImportWarning(line=number, file=file, field="",
                                                     message=f"表の前の行を読み込みませんでした:「{filled[0].strip()}」"))
            corpus.skipped.append({"file": file, "line": number, "reason": reason, "text": line})
            continue
        roles, names, header_line = table.roles, table.names, table.header_line
        if roles is None:
            raise InputError("expected a header row naming the columns (【基本目標】 【施策の方向】 …, or 基本目標 | 施策の方向 | 評価 …) "
                             "before the first table row", file=where, line=number)
        if len(filled) == 1 and len(cells) == 1:
            corpus.skipped.append({"file": file, "line": number, "reason": "表の外の行", "text": line})
            corpus.warnings.append(ImportWarning(line=number, file=file, field="",
                                                 message=f"表の外の1列だけの行を読み込みませんでした:「{filled[0].strip()}」"))
            continue
        if len(cells) > len(roles):
            extra = [c for c in cells[len(roles):] if c.strip()]
            if extra:
                raise InputError(f"expected at most {len(roles)} cells (as in the header "
                                 f"on line {header_line}), found {len(cells)}", file=where, line=number)
            cells = cells[:len(roles)]
        if len(cells) < len(roles):
            corpus.warnings.append(ImportWarning(
                line=number, file=file, field="",
                message=f"列が{len(cells)}個しかありません（見出しは{len(roles)}列）。足りない列は空として読み込みました"))
            cells = cells + [""] * (len(roles) - len(cells))
        row = Row(line=number)
        for role, cell, name in zip(roles, cells, names):
            if role is None:
                if cell.strip():
                    if not name:
                        raise InputError(f"a cell under a column the header does not name (line {header_line})",
                                         file=where, line=number)
                    if any(word in name for word in TEXT_WORDS):
                        row.texts.append((name, cell))
                    else:
                        row.attributes[name] = cell
                continue
            if role == "decision":
                row.decision = (name, cell) if cell.strip() else None
                continue
            setattr(row, role, (getattr(row, role) + " " + cell).strip() if getattr(row, role) else cell)
        table.built.append(row)
    return table


def _next_plan_roles(roles: list[str | None], names: list[str]) -> list[str | None]:
    """The roles of a later table's columns, read as a next plan's own table: a column whose
    label says 説明 (次期計画の説明 too) is its directions' description; its one column labelled as
    the next plan's (【第3次計画の施策の方向】) is its directions, when no other column is."""
    roles = [("description" if role in (None, "next") and any(w in name for w in DESCRIPTION_WORDS)
              else role) for role, name in zip(roles, names)]
    if "direction" not in roles and roles.count("next") == 1:
        roles = ["direction" if role == "next" else role for role in roles]
    return roles


def _check_table(table: _Table, where: str) -> None:
    missing = [r for r in REQUIRED if r not in table.roles]
    if missing:
        raise InputError(f"the header names no {' / '.join(missing)} column "
                         f"(expected labels such as 【基本目標】 【施策の方向】)", file=where,
                         line=table.header_line)
    if not table.built:
        raise InputError(f"header-only table: no rows after the header on line {table.header_line}",
                         file=where, line=table.header_line)


def _place(source: dict, line: int | None) -> str:
    """「（表2 1行）」: where a row is in a PDF or Word document, as its manifest names it."""
    place = source.get("locations", {}).get(str(line))
    return f" ({place})" if place else ""


def _next_plan_table(table: _Table, first: _Table, next_gen: int, source: dict, where: str) -> None:
    """Check that a later table is the next plan's own table: its title or a column label names
    第N次 with N the next plan's generation, or, naming no generation, it has no evaluation
    column but a description (説明) column.  Anything else is an InputError naming the row: two
    tables are never mixed into one plan."""
    stated = {g for g in [pt.generation_of(pt.plan_name(table.title)) if table.title else None]
              + [pt.generation_of(label) for label in table.labels] if g}
    line = table.header_line
    shown = " | ".join(table.labels or table.names)
    if stated:
        if stated == {next_gen}:
            return
        named = "、".join(f"第{g}次" for g in sorted(stated))
        raise InputError(f"a second table with other column labels ({shown}) starts at row {line}"
                         f"{_place(source, line)}, and its title or labels name {named}, not the next "
                         f"plan (第{next_gen}次): it is not read into the evaluated plan; give it as a "
                         "file of its own", file=where, line=line)
    evaluative = [r for r in EVALUATIVE_ROLES if r in table.roles] + [
        name for name, role in zip(table.names, table.roles)
        if role is None and any(word in name for word in TEXT_WORDS)]
    if "description" in table.roles and not evaluative:
        return
    raise InputError(f"a second table with other column labels ({shown}) starts at row {line}"
                     f"{_place(source, line)}, after the header on row {first.header_line}; it names "
                     f"no generation and {'has an evaluation column' if evaluative else 'no description (説明) column'}, "
                     "so it cannot be told to be the next plan's table and is not mixed into the "
                     f"evaluated plan: give it a title naming 第{next_gen}次, or give it as a file of "
                     "its own", file=where, line=line)


def _header_labels(cells: list[str]) -> list[str]:
    """The labels of a header row: its 【…】 labels, else its plain cells."""
    bracketed = LABEL.findall("\t".join(cells))
    return bracketed or [label for cell in cells for label in _plain_labels(cell)]


def _label_roles(cells: list[str]) -> list[str | None]:
    return [_role(label) for label in _header_labels(cells)]
