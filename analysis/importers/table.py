"""Importer for a plan table in CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932) or Excel (.xlsx).

One row per policy direction of the evaluated plan; a *column mapping* says which header names
the goal, the direction, the initiatives, the evaluation and the next plan's direction (plus
optional 基本理念, 重点取組 and next-plan description).  A mapping is a small TOML file (see
``corpus/README.md``) or a dict::

    [columns]
    goal = "基本目標"
    direction = "施策の方向"
    initiatives = "取組内容"
    evaluation = "評価"
    next = "次期計画の方向性"

    [plan]
    title = "第2次〇〇町地域福祉計画"   # generation: 第N次 of the title, else 1 (or generation = N)

Hierarchy columns (基本理念, 基本目標) left empty under merged cells are carried forward; the next
plan's column is carried forward only when ``[table] carry_forward`` lists ``"next"`` (in a
table, an empty next-plan cell usually means no successor).  Rows shorter than the header are
read with the missing cells empty (warning); rows with non-empty cells beyond the header are an
InputError naming the line.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any, Mapping

from ..corpus import Corpus, ImportWarning
from ..errors import InputError, SettingsError
from ..settings import check_finite, parse_toml, toml_line
from . import patterns as pt
from .build import PlanInfo, Row, build_corpus
from .encoding import csv_rows, decode_source, read_source_bytes
from .workbook import read_sheet

ROLES = ("philosophy", "goal", "direction", "initiatives", "evaluation", "next", "priority",
         "next_description")
REQUIRED_ROLES = ("goal", "direction")
PLAN_KEYS = ("title", "generation", "next_generation", "next_title", "owner", "period", "next_period")
TABLE_KEYS = ("header_line", "sheet", "delimiter", "carry_forward")
CARRY = ("philosophy", "goal", "next")


def read_mapping(source: str | Path | Mapping[str, Any] | None) -> dict:
    """A checked mapping dict from a TOML file or a dict; SettingsError naming the bad key."""
    if source is None:
        raise SettingsError("a column mapping is required for a CSV/Excel table "
                            "(--mapping TOML, see corpus/README.md)", field="mapping")
    file, text = None, ""
    if isinstance(source, (str, Path)):
        file = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise SettingsError("no such mapping file", file=file) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"cannot read the mapping: {exc}", file=file) from exc
        data = parse_toml(text, source=file, what="column mapping")
    else:
        data = dict(source)
    check_finite(data, file=file, text=text)
    try:
        return _checked_mapping(data, file)
    except SettingsError as exc:  # name the line that set the bad key
        if exc.line is None and exc.field and text:
            exc.line = toml_line(text, exc.field)
        raise


def _checked_mapping(data: dict, file: str | None) -> dict:
    for section in data:
        if section not in ("columns", "plan", "table"):
            raise SettingsError(f"unknown section [{section}]; allowed: [columns], [plan], [table]",
                                file=file, field=section)
    columns = dict(data.get("columns", {}))
    for role, header in columns.items():
        if role not in ROLES:
            raise SettingsError(f"unknown column role {role!r}; allowed: {', '.join(ROLES)}",
                                file=file, field=f"columns.{role}")
        if not isinstance(header, str) or not header.strip():
            raise SettingsError("expected a header name (text)", file=file, field=f"columns.{role}")
    for role in REQUIRED_ROLES:
        if role not in columns:
            raise SettingsError(f"the mapping must name the {role} column", file=file,
                                field=f"columns.{role}")
    plan = dict(data.get("plan", {}))
    for key in plan:
        if key not in PLAN_KEYS:
            raise SettingsError(f"unknown key; allowed: {', '.join(PLAN_KEYS)}", file=file,
                                field=f"plan.{key}")
    for key in ("generation", "next_generation"):
        if key in plan and (not isinstance(plan[key], int) or plan[key] < 1):
            raise SettingsError("expected a whole number ≥ 1", file=file, field=f"plan.{key}")
    table = dict(data.get("table", {}))
    for key in table:
        if key not in TABLE_KEYS:
            raise SettingsError(f"unknown key; allowed: {', '.join(TABLE_KEYS)}", file=file,
                                field=f"table.{key}")
    carry = table.get("carry_forward", ["philosophy", "goal"])
    if not isinstance(carry, list) or any(c not in CARRY for c in carry):
        raise SettingsError(f"expected a list of {', '.join(CARRY)}", file=file,
                            field="table.carry_forward")
    if "header_line" in table and (not isinstance(table["header_line"], int) or table["header_line"] < 1):
        raise SettingsError("expected a line number ≥ 1", file=file, field="table.header_line")
    return {"columns": columns, "plan": plan, "table": table}


def _csv_rows(data: bytes, file: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], str]:
    text, encoding = decode_source(data, file)
    return list(csv_rows(text, file, delimiter=delimiter)), encoding


def _formula_warnings(formulas: list, header: list[str], header_line: int, file: str,
                      sheet: str) -> list[ImportWarning]:
    """One warning per formula cell below the header whose value Excel did not save."""
    out = []
    for f in formulas:
        if f.line > header_line:
            name = header[f.column].strip() if f.column < len(header) else ""
            out.append(ImportWarning(
                line=f.line, file=file, field=name or f"{f.column + 1}列目",
                message=f"シート「{sheet}」のセル{f.coordinate}は数式「{f.formula}」で、計算結果が"
                        "保存されていないため空として読み込みました（Excelで開いて保存し直すと値が入ります）"))
    return out


def _same(a: str, b: str) -> bool:
    fold = lambda s: pt.normalize_space(unicodedata.normalize("NFKC", s))  # noqa: E731
    return fold(a) == fold(b)


def import_table(path: str | Path, *, mapping: str | Path | Mapping[str, Any] | None,
                 format: str | None = None, owner: str | None = None, name: str | None = None,
                 sheet: str | None = None) -> Corpus:
    """Import a CSV or .xlsx plan table with a column mapping (TOML path or dict)."""
    path = Path(path)
    checked = read_mapping(mapping)
    columns, plan_opts, table_opts = checked["columns"], checked["plan"], checked["table"]
    file = path.name
    fmt = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    data = read_source_bytes(path)
    sheet = sheet if sheet is not None else table_opts.get("sheet")
    if fmt == "xlsx":
        if not data:
            raise InputError("empty file, expected an Excel .xlsx workbook", file=str(path), line=1)
        workbook = read_sheet(data, str(path), sheet)
        rows, formulas, encoding, sheet_title = workbook.rows, workbook.formulas, "", workbook.title
    else:
        delimiter = table_opts.get("delimiter") or ("\t" if path.suffix.lower() in (".tsv", ".txt") else ",")
        rows, encoding = _csv_rows(data, str(path), delimiter)
        formulas, sheet_title = [], ""
    corpus = Corpus(name=name or path.stem, source_data={file: data})

    nonempty = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not nonempty:
        raise InputError("empty table, expected a header row", file=str(path), line=1)
    header_line = table_opts.get("header_line")
    if header_line is None:
        header_line, header = nonempty[0]
    else:
        found = [cells for n, cells in rows if n == header_line]
        if not found or not any(c.strip() for c in found[0]):
            raise InputError("expected the header row here (table.header_line)", file=str(path),
                             line=header_line)
        header = found[0]
    for n, cells in rows:
        if n < header_line and any(c.strip() for c in cells):
            corpus.skipped.append({"file": file, "line": n, "reason": "見出し行より前の行",
                                   "text": "\t".join(cells)})
    corpus.skipped.append({"file": file, "line": header_line, "reason": "見出し行（列の名前）",
                           "text": "\t".join(header)})
    positions: dict[str, int] = {}
    for role, wanted in columns.items():
        hits = [i for i, h in enumerate(header) if _same(h, wanted)]
        if not hits:
            have = "、".join(f"「{h.strip()}」" for h in header if h.strip())
            raise InputError(f"column 「{wanted}」 ({role}) not found in the header row; it has {have}",
                             file=str(path), line=header_line, field=role)
        if len(hits) > 1:
            raise InputError(f"column 「{wanted}」 ({role}) appears {len(hits)} times in the header row",
                             file=str(path), line=header_line, field=role)
        positions[role] = hits[0]
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    unmapped = [i for i, h in enumerate(header[:width]) if h.strip() and i not in positions.values()]
    unnamed = [i for i, h in enumerate(header[:width]) if not h.strip() and i not in positions.values()]
    table_rows: list[Row] = []
    for n, cells in rows:
        if n <= header_line or not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            raise InputError(f"expected at most {width} cells (as in the header on line {header_line}), "
                             f"found a value in cell {width + 1 + cells[width:].index(extra[0])}",
                             file=str(path), line=n)
        if len(cells) < width:
            corpus.warnings.append(ImportWarning(
                line=n, file=file, field="",
                message=f"列が{len(cells)}個しかありません（見出しは{width}列）。足りない列は空として読み込みました"))
            cells = cells + [""] * (width - len(cells))
        for i in unmapped:
            if cells[i].strip():
                corpus.warnings.append(ImportWarning(
                    line=n, file=file, field=header[i].strip(),
                    message=f"対応づけのない列「{header[i].strip()}」の値を読み込みませんでした:「{cells[i].strip()}」"))
        for i in unnamed:  # a blank header cell (e.g. under a merged header): never drop silently
            if cells[i].strip():
                corpus.warnings.append(ImportWarning(
                    line=n, file=file, field=f"{i + 1}列目",
                    message=f"見出しのない{i + 1}列目の値を読み込みませんでした:「{cells[i].strip()}」"))
        row = Row(line=n)
        for role, index in positions.items():
            setattr(row, role, cells[index])
        table_rows.append(row)
    corpus.warnings += _formula_warnings(formulas, header, header_line, file, sheet_title)
    if not table_rows:
        raise InputError(f"header-only table: no rows after the header on line {header_line}",
                         file=str(path), line=header_line)

    title = plan_opts.get("title") or path.stem
    generation = plan_opts.get("generation") or pt.generation_of(title) or 1
    next_generation = plan_opts.get("next_generation") or generation + 1
    info = PlanInfo(title=title, generation=generation, next_generation=next_generation,
                    next_title=plan_opts.get("next_title") or pt.next_title(pt.plan_name(title), next_generation),
                    owner=owner if owner is not None else plan_opts.get("owner", pt.guess_owner(title)),
                    period=plan_opts.get("period", ""), next_period=plan_opts.get("next_period", ""),
                    title_line=None, next_line=header_line if "next" in positions else None)
    options: dict[str, Any] = {"mapping": checked}
    if owner is not None:
        options["owner"] = owner
    if sheet is not None:
        options["sheet"] = sheet
    corpus.sources.append({"file": file, "sha256": hashlib.sha256(data).hexdigest(), "format": fmt,
                           "encoding": encoding, "options": options})
    carry = tuple(table_opts.get("carry_forward", ["philosophy", "goal"]))
    build_corpus(table_rows, info, name=corpus.name, file=file, carry=carry, corpus=corpus)
    corpus.warnings.sort(key=lambda w: (w.line or 0))
    corpus.skipped.sort(key=lambda s: s["line"])
    return corpus
