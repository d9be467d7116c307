"""Importer for a plan or evaluation table in CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932) or
Excel (.xlsx).

One row per evaluated unit (a 施策の方向, or a 事務事業 of an annual evaluation); a *column
mapping* (:mod:`analysis.importers.mapping`) says which header holds what::

    [columns]
    goal = "基本目標"            # or level = ["政策名", "施策名", "基本事業名"] (the hierarchy)
    direction = "施策の方向"       # or unit = "事務事業名"
    initiatives = "取組内容"
    evaluation = "評価"
    text = ["解決すべき課題:担当課", "全体総括:課長"]   # several evaluation texts, labelled
    rating = ["① 政策体系との整合性"]               # its reason: the next column
    decision = "今後の方向性"
    next = "次期計画の方向性"

    [plan]
    title = "第2次〇〇町地域福祉計画"   # generation: 第N次 of the title, else 1 (or generation = N)

The header row is the first row holding every mapped header (``[table] header_line`` wins);
headers match across line breaks and spacing; a repeated header is ``HEADER#n``, a blank one
``N列目``.  A header of two rows (group headers spanning columns over a row of sub-headers, such as
評価 over 成果 | 課題) names each column under a group ``GROUP/SUB`` (or by its sub-header alone
when unique; see :mod:`analysis.importers.headers`).  Every column
the mapping does not name is kept per unit as an attribute, with one warning per column.
Locations are the spreadsheet's row numbers: Excel rows, CSV records (a quoted cell spanning
lines is one record).  Hierarchy columns left empty under merged cells are carried forward; the
next plan's column only when ``[table] carry_forward`` lists ``"next"``.  Rows shorter than the
header are read with the missing cells empty (warning); rows with non-empty cells beyond the
header are an InputError naming the row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from ..corpus import Corpus, ImportWarning
from ..errors import InputError
from . import patterns as pt
from .build import PlanInfo, Row, build_corpus
from .encoding import csv_rows, decode_source, read_source_bytes
from .headers import Ambiguous, HeaderRow, column_names, find_column, find_header_row, listed
from .mapping import (CARRY, PLAN_KEYS, REPEATABLE_ROLES, ROLES, TABLE_KEYS, read_mapping,
                      split_label)
from .workbook import read_sheet

__all__ = ["CARRY", "PLAN_KEYS", "ROLES", "TABLE_KEYS", "TableSource", "import_table",
           "read_mapping", "read_table"]

# A column mapped as a next-plan direction, a unit or a 重点取組 whose cells are a few values
# repeated over many rows is a category column: refused when they read as decisions.
CATEGORY_ROLES = ("next", "direction", "unit", "priority")
CATEGORY_MIN_ROWS = 6
# How the warning about an unmapped column starts (the corpus summary groups these).
UNMAPPED = "対応づけのない列"


@dataclass
class TableSource:
    """The rows of a table source as a spreadsheet shows them (row number, cells)."""

    file: str  # the file name
    path: str
    data: bytes
    format: str
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    sheet: str = ""
    formulas: list = field(default_factory=list)


def read_table(path: str | Path, *, format: str | None = None, sheet: str | None = None,
               delimiter: str | None = None) -> TableSource:
    """Read a CSV/TSV or .xlsx source once: its rows numbered as a spreadsheet numbers them."""
    path = Path(path)
    fmt = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    data = read_source_bytes(path)
    if fmt == "xlsx":
        if not data:
            raise InputError("empty file, expected an Excel .xlsx workbook", file=str(path), line=1)
        workbook = read_sheet(data, str(path), sheet)
        return TableSource(path.name, str(path), data, fmt, workbook.rows, sheet=workbook.title,
                           formulas=workbook.formulas)
    delimiter = delimiter or ("\t" if path.suffix.lower() in (".tsv", ".txt") else ",")
    text, encoding = decode_source(data, str(path))
    # record numbers, not physical lines: a cell spanning lines is one row in a spreadsheet
    rows = [(n, cells) for n, (_, cells) in enumerate(csv_rows(text, str(path), delimiter=delimiter), 1)]
    return TableSource(path.name, str(path), data, fmt, rows, encoding=encoding)


def _formula_warnings(formulas: list, names: list[str], header_line: int, file: str,
                      sheet: str) -> list[ImportWarning]:
    """One warning per formula cell below the header whose value Excel did not save."""
    out = []
    for f in formulas:
        if f.line > header_line:
            name = names[f.column] if f.column < len(names) else f"{f.column + 1}列目"
            out.append(ImportWarning(
                line=f.line, file=file, field=name,
                message=f"シート「{sheet}」のセル{f.coordinate}は数式「{f.formula}」で、計算結果が"
                        "保存されていないため空として読み込みました（Excelで開いて保存し直すと値が入ります）"))
    return out


@dataclass
class _Column:
    role: str
    index: int
    label: str  # the label a text, rating or level keeps: given, else the column's name


def _alternatives(role: str, spec: str) -> tuple[str, ...]:
    header, label = split_label(spec) if role in REPEATABLE_ROLES else (spec, "")
    return (spec, header) if label else (spec,)


def _resolve_columns(columns: dict, header: HeaderRow, names: list[str], path: Path) -> list[_Column]:
    found: list[_Column] = []
    for role in ROLES:
        if role not in columns:
            continue
        for spec in (columns[role] if role in REPEATABLE_ROLES else [columns[role]]):
            index, label = None, ""
            if spec.strip() == "?":
                raise InputError(f"column 「?」 ({role}) is still a placeholder of the guessed mapping: "
                                 "replace it with a header of the table, as the comment above it says",
                                 file=str(path), line=header.line, field=role)
            try:
                index = find_column(spec, header)
                if index is None and role in REPEATABLE_ROLES:
                    bare, label = split_label(spec)
                    index = find_column(bare, header) if label else None
            except Ambiguous as exc:
                raise InputError(f"column 「{spec}」 ({role}) names {len(exc.names)} columns of the header "
                                 f"row: {', '.join(exc.names)}; name one of them", file=str(path),
                                 line=header.line, field=role) from None
            if index is None:
                have = listed(names)
                raise InputError(f"column 「{spec}」 ({role}) not found in the header row; it has {have}",
                                 file=str(path), line=header.line, field=role)
            found.append(_Column(role, index, label or names[index]))
    return found


def _reasons(columns: dict, mapped: list[_Column], width: int) -> list[int | None]:
    """The reason column of each rating: the rating_reason given in order, else the column right
    after the rating when nothing else is mapped there."""
    ratings = [c for c in mapped if c.role == "rating"]
    given = [c.index for c in mapped if c.role == "rating_reason"]
    if given:
        return list(given)
    taken = {c.index for c in mapped}
    return [c.index + 1 if c.index + 1 < width and c.index + 1 not in taken else None for c in ratings]


def _category_check(mapped: list[_Column], data_rows: list[tuple[int, list[str]]], names: list[str],
                    path: Path, header_line: int, warnings: list[ImportWarning], file: str) -> None:
    """Refuse a category column (few values over many rows, read as decisions) mapped as a
    direction or 重点取組; warn when its values are few but not decisions."""
    from .decisions import UNKNOWN, decision_class, load_decisions

    vocabulary = None
    period = next((c.index for c in mapped if c.role == "period"), None)
    for column in mapped:
        if column.role not in CATEGORY_ROLES:
            continue
        values = [cells[column.index].strip() for _, cells in data_rows if cells[column.index].strip()]
        distinct = sorted(set(values))
        if len(values) < CATEGORY_MIN_ROWS or len(distinct) * 2 > len(values) or len(distinct) > 8:
            continue
        if period is not None and column.role != "priority":
            # years of one table list the same projects each year: few names over many rows is
            # a category only when it is so within one period
            by_period: dict[str, list[str]] = {}
            for _, cells in data_rows:
                if cells[column.index].strip():
                    by_period.setdefault(cells[period].strip(), []).append(cells[column.index].strip())
            if len(by_period) > 1 and all(len(set(v)) * 2 > len(v) for v in by_period.values()):
                continue
        vocabulary = vocabulary if vocabulary is not None else load_decisions()
        decided = [v for v in distinct if decision_class(v, vocabulary) != UNKNOWN]
        shown = "、".join(f"「{v}」" for v in distinct[:5])
        if len(decided) * 2 >= len(distinct):
            raise InputError(
                f"column 「{names[column.index]}」 ({column.role}) holds {len(distinct)} distinct values "
                f"over {len(values)} rows ({shown}) that read as decisions: this looks like a decision "
                f"column; map it as decision={names[column.index]} (a category label is never a "
                "direction)", file=str(path), line=header_line, field=column.role)
        warnings.append(ImportWarning(
            line=header_line, file=file, field=names[column.index],
            message=f"列「{names[column.index]}」（{column.role}）は{len(values)}行に{len(distinct)}種類の値"
                    f"（{shown}）しかありません。分類の列であれば decision や rating、attribute として"
                    "対応づけてください"))


def import_table(path: str | Path, *, mapping: str | Path | Mapping[str, Any] | None,
                 format: str | None = None, owner: str | None = None, name: str | None = None,
                 sheet: str | None = None, generation: int | None = None) -> Corpus:
    """Import a CSV or .xlsx table with a column mapping (TOML path or dict).

    ``generation`` is the plan's generation when neither the mapping nor the title gives one
    (``keikaku import A B …`` numbers sources in order); default 1.
    """
    path = Path(path)
    checked = read_mapping(mapping)
    columns, plan_opts, table_opts = checked["columns"], checked["plan"], checked["table"]
    sheet = sheet if sheet is not None else table_opts.get("sheet")
    source = read_table(path, format=format, sheet=sheet, delimiter=table_opts.get("delimiter"))
    file, rows = source.file, source.rows
    corpus = Corpus(name=name or path.stem, source_data={file: source.data})
    if not any(any(c.strip() for c in cells) for _, cells in rows):
        raise InputError("empty table, expected a header row", file=str(path), line=1)
    wanted = [_alternatives(role, spec) for role in ROLES if role in columns
              for spec in (columns[role] if role in REPEATABLE_ROLES else [columns[role]])]
    header = find_header_row(rows, wanted, file=str(path), header_line=table_opts.get("header_line"))
    names = column_names(header.cells)
    mapped = _resolve_columns(columns, header, names, path)
    # a title row above the table names the plan (第2次〇〇市地域福祉計画（令和3年度～令和7年度）):
    # its name, generation and period, where the mapping gives none, rather than the file's name
    above = [" ".join(c.strip() for c in cells if c.strip()) for n, cells in rows if n < header.line]
    titled = next((t for t in above if "計画" in t and (pt.generation_of(t) or pt.parse_period(t)[1])), None)
    if titled and "title" not in plan_opts:
        plan_opts = {**plan_opts, "title": pt.plan_name(titled)}
        if "period" not in plan_opts and pt.parse_period(titled)[1] and not any(
                c.role == "period" for c in mapped):
            plan_opts["period"] = pt.parse_period(titled)[1]
    for n, cells in rows:
        if n < header.line and any(c.strip() for c in cells):
            corpus.skipped.append({"file": file, "line": n, "reason": "見出し行より前の行",
                                   "text": "\t".join(cells)})
        elif header.line <= n <= header.last_line:
            corpus.skipped.append({"file": file, "line": n, "reason": "見出し行（列の名前）",
                                   "text": "\t".join(cells)})
    width = len(header.cells)
    while width and not header.cells[width - 1].strip():
        width -= 1
    data_rows: list[tuple[int, list[str]]] = []
    for n, cells in rows:
        if n <= header.last_line or not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            raise InputError(f"expected at most {width} cells (as in the header on line {header.line}), "
                             f"found a value in cell {width + 1 + cells[width:].index(extra[0])}",
                             file=str(path), line=n)
        if len(cells) < width:
            corpus.warnings.append(ImportWarning(
                line=n, file=file, field="",
                message=f"列が{len(cells)}個しかありません（見出しは{width}列）。足りない列は空として読み込みました"))
            cells = cells + [""] * (width - len(cells))
        data_rows.append((n, cells))
    if not data_rows:
        raise InputError(f"header-only table: no rows after the header on line {header.line}",
                         file=str(path), line=header.line)
    _category_check(mapped, data_rows, names, path, header.line, corpus.warnings, file)

    reasons = _reasons(columns, mapped, width)
    consumed = {c.index for c in mapped} | {r for r in reasons if r is not None}
    explicit = {c.index for c in mapped if c.role == "attribute"}
    kept = [i for i in range(width) if i not in consumed or i in explicit]
    counts = {i: 0 for i in kept}
    singles = [c for c in mapped if c.role not in REPEATABLE_ROLES]
    levels = [c for c in mapped if c.role == "level"]
    texts = [c for c in mapped if c.role == "text"]
    ratings = list(zip([c for c in mapped if c.role == "rating"], reasons))
    decision = next((c for c in singles if c.role == "decision"), None)
    carry = tuple(table_opts.get("carry_forward", ["philosophy", "goal", "level"]))
    table_rows: list[Row] = []
    above: list[str] = [""] * len(levels)  # the hierarchy of the row above (merged cells)
    for n, cells in data_rows:
        row = Row(line=n)
        for column in singles:
            if column.role != "decision":
                setattr(row, "direction" if column.role == "unit" else column.role, cells[column.index])
        given = [cells[c.index].strip() for c in levels]
        if "level" in carry:
            # a blank level cell is the one above it (a merged cell), unless a level higher up
            # starts anew on this row
            first_new = next((i for i, v in enumerate(given) if v), len(given))
            given = [v or (above[i] if i < first_new else "") for i, v in enumerate(given)]
            above = given
        row.levels = [(c.label, v) for c, v in zip(levels, given)]
        if "goal" not in columns and levels:
            row.goal = cells[levels[0].index]  # the top of the hierarchy groups the units
        row.texts = [(c.label, cells[c.index]) for c in texts if cells[c.index].strip()]
        row.ratings = [(c.label, cells[c.index], cells[r] if r is not None else "")
                       for c, r in ratings if cells[c.index].strip() or (r is not None and cells[r].strip())]
        if decision is not None and cells[decision.index].strip():
            row.decision = (names[decision.index], cells[decision.index])
        for i in kept:
            if cells[i].strip():
                row.attributes[names[i]] = cells[i]
                counts[i] += 1
        table_rows.append(row)
    for i in kept:
        if counts[i] and i not in explicit:
            corpus.warnings.append(ImportWarning(
                line=header.line, file=file, field=names[i],
                message=f"{UNMAPPED}「{names[i]}」の値{counts[i]}件は、各行の属性（attributes）として"
                        "読み込みました"))
    corpus.warnings += _formula_warnings(source.formulas, names, header.last_line, file, source.sheet)
    periods = list(dict.fromkeys(r.period.strip() for r in table_rows if r.period.strip()))
    split = False
    if len(periods) > 1 and "period" not in plan_opts:
        shown = "、".join(f"「{p}」" for p in periods[:5]) + ("ほか" if len(periods) > 5 else "")
        field = names[next(c.index for c in singles if c.role == "period")]
        # one plan per period (years of 事務事業評価 in one sheet are compared like generations),
        # when every row says its period and no next-plan column ties the rows to one next plan
        split = all(r.period.strip() for r in table_rows) and "next" not in columns \
            and "generation" not in plan_opts
        if split:
            years = [pt.fiscal_year(p) for p in periods]
            if None not in years and len(set(years)) == len(years):  # years read: in their order
                periods = [p for _, p in sorted(zip(years, periods))]
            corpus.warnings.append(ImportWarning(
                line=header.line, file=file, field=field,
                message=f"期間の列に{len(periods)}種類の値（{shown}）があります。期間ごとに一つの計画（世代）として"
                        "読み込みました（" + "、".join(f"{p}" for p in periods[:5])
                        + (" …" if len(periods) > 5 else "") + " の順。一つの計画にするには mapping の [plan] に "
                        "period を書きます）"))
        else:
            corpus.warnings.append(ImportWarning(
                line=header.line, file=file, field=field,
                message=f"期間の列に{len(periods)}種類の値（{shown}）があります。一つの計画として読み込み、"
                        "各行の期間は period に残しました（期間ごとに分けるには、期間ごとのファイルにして "
                        "keikaku import A B … で取り込みます）"))

    info = _plan_info(plan_opts, columns, table_rows, path, owner, generation,
                      header.line if "next" in columns else None)
    options: dict[str, Any] = {"mapping": checked}
    if owner is not None:
        options["owner"] = owner
    if sheet is not None:
        options["sheet"] = sheet
    if generation is not None:
        options["generation"] = generation
    corpus.sources.append({"file": file, "sha256": hashlib.sha256(source.data).hexdigest(),
                           "format": source.format, "encoding": source.encoding, "options": options})
    if split:
        for offset, period in enumerate(periods):
            rows_of = [r for r in table_rows if r.period.strip() == period]
            build_corpus(rows_of, replace(
                info, title=f"{info.title}（{period}）", generation=info.generation + offset,
                next_generation=info.generation + offset + 1, period=period), name=corpus.name, file=file,
                carry=carry, corpus=corpus)
    else:
        build_corpus(table_rows, info, name=corpus.name, file=file, carry=carry, corpus=corpus)
    corpus.warnings.sort(key=lambda w: (w.line or 0))
    corpus.skipped.sort(key=lambda s: s["line"])
    return corpus


def _plan_info(plan_opts: dict, columns: dict, rows: list[Row], path: Path, owner: str | None,
               generation: int | None, next_line: int | None) -> PlanInfo:
    title = plan_opts.get("title") or path.stem
    gen = plan_opts.get("generation") or pt.generation_of(title) or generation or 1
    next_generation = plan_opts.get("next_generation") or gen + 1
    evaluative = ("evaluation", "text", "rating", "decision", "next")
    role = plan_opts.get("role") or (
        "next" if "description" in columns and not any(r in columns for r in evaluative) else "evaluated")
    periods = sorted({r.period.strip() for r in rows if r.period.strip()})
    period = plan_opts.get("period") or (periods[0] if len(periods) == 1 else "")
    return PlanInfo(title=title, generation=gen, next_generation=next_generation,
                    next_title=plan_opts.get("next_title") or pt.next_title(pt.plan_name(title), next_generation),
                    owner=owner if owner is not None else plan_opts.get("owner", pt.guess_owner(title)),
                    period=period, next_period=plan_opts.get("next_period", ""),
                    title_line=None, next_line=next_line, role=role)
