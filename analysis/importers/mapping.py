"""Column mappings: which header of a table holds which role, read from TOML, a dict or
``--column ROLE=HEADER`` options, and guessed from the headers for ``keikaku mapping``.

Single-valued roles name one header; repeatable roles (:data:`REPEATABLE_ROLES`) a list of
headers combined in order.  A repeatable entry may carry a label after its header,
``"全体総括:課長"``; otherwise the header is the label.  A header repeated in the table is named
``HEADER#n`` (see :mod:`analysis.importers.headers`).

>>> m = read_mapping({"columns": {"level": "政策名", "unit": "事務事業名", "text": ["課題:担当課"]}})
>>> m["columns"]["level"], m["columns"]["text"]
(['政策名'], ['課題:担当課'])
>>> add_columns(m, ["text=全体総括:課長"])["columns"]["text"]
['課題:担当課', '全体総括:課長']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from ..errors import SettingsError
from ..settings import check_finite, parse_toml, toml_line

SINGLE_ROLES = ("philosophy", "goal", "direction", "unit", "initiatives", "evaluation", "next",
                "priority", "next_description", "description", "decision", "period")
REPEATABLE_ROLES = ("level", "text", "rating", "rating_reason", "attribute")
ROLES = SINGLE_ROLES + REPEATABLE_ROLES
PLAN_KEYS = ("title", "generation", "next_generation", "next_title", "owner", "period", "next_period",
             "role")
PLAN_ROLES = ("evaluated", "next")
TABLE_KEYS = ("header_line", "sheet", "delimiter", "carry_forward")
CARRY = ("philosophy", "goal", "level", "next")
HOW_TO_GET_ONE = ("run `keikaku mapping FILE` to print one guessed from the table's headers, "
                  "edit it, and pass it with --mapping (see corpus/README.md)")


def read_mapping(source: str | Path | Mapping[str, Any] | None) -> dict:
    """A checked mapping dict from a TOML file or a dict; SettingsError naming the bad key."""
    if source is None:
        raise SettingsError("a column mapping is required for a CSV/Excel table: " + HOW_TO_GET_ONE,
                            field="mapping")
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
    columns: dict[str, Any] = {}
    for role, header in dict(data.get("columns", {})).items():
        where = f"columns.{role}"
        if role not in ROLES:
            raise SettingsError(f"unknown column role {role!r}; allowed: {', '.join(ROLES)}",
                                file=file, field=where)
        if role in REPEATABLE_ROLES:
            headers = [header] if isinstance(header, str) else header
            if not isinstance(headers, list) or not headers or not all(
                    isinstance(h, str) and h.strip() for h in headers):
                raise SettingsError("expected a header name or a list of header names", file=file,
                                    field=where)
            columns[role] = list(headers)
        else:
            if isinstance(header, list):
                raise SettingsError(f"{role} takes one column; repeatable roles are "
                                    f"{', '.join(REPEATABLE_ROLES)}", file=file, field=where)
            if not isinstance(header, str) or not header.strip():
                raise SettingsError("expected a header name (text)", file=file, field=where)
            columns[role] = header
    if "direction" in columns and "unit" in columns:
        raise SettingsError("name the evaluated unit once: direction or unit, not both", file=file,
                            field="columns.unit")
    if "goal" not in columns and "level" not in columns:
        raise SettingsError("the mapping must name the goal column (or level columns)", file=file,
                            field="columns.goal")
    if "direction" not in columns and "unit" not in columns:
        raise SettingsError("the mapping must name the direction (or unit) column", file=file,
                            field="columns.direction")
    if "rating_reason" in columns and len(columns["rating_reason"]) != len(columns.get("rating", [])):
        raise SettingsError(f"rating_reason names {len(columns['rating_reason'])} column(s) for "
                            f"{len(columns.get('rating', []))} rating column(s); give one per rating, "
                            "in the same order (or none: the column after each rating is its reason)",
                            file=file, field="columns.rating_reason")
    plan = dict(data.get("plan", {}))
    for key in plan:
        if key not in PLAN_KEYS:
            raise SettingsError(f"unknown key; allowed: {', '.join(PLAN_KEYS)}", file=file,
                                field=f"plan.{key}")
    for key in ("generation", "next_generation"):
        if key in plan and (not isinstance(plan[key], int) or isinstance(plan[key], bool) or plan[key] < 1):
            raise SettingsError("expected a whole number ≥ 1", file=file, field=f"plan.{key}")
    if "role" in plan and plan["role"] not in PLAN_ROLES:
        raise SettingsError(f"expected one of {', '.join(PLAN_ROLES)}", file=file, field="plan.role")
    if plan.get("role") == "next" and "next" in columns:
        raise SettingsError("a next plan's own table has no next-plan column (use description for "
                            "a direction's text)", file=file, field="columns.next")
    table = dict(data.get("table", {}))
    for key in table:
        if key not in TABLE_KEYS:
            raise SettingsError(f"unknown key; allowed: {', '.join(TABLE_KEYS)}", file=file,
                                field=f"table.{key}")
    carry = table.get("carry_forward", ["philosophy", "goal", "level"])
    if not isinstance(carry, list) or any(c not in CARRY for c in carry):
        raise SettingsError(f"expected a list of {', '.join(CARRY)}", file=file,
                            field="table.carry_forward")
    if "header_line" in table and (not isinstance(table["header_line"], int) or table["header_line"] < 1):
        raise SettingsError("expected a line number ≥ 1", file=file, field="table.header_line")
    return {"columns": columns, "plan": plan, "table": table}


def add_columns(mapping: Mapping[str, Any] | None, items: list[str]) -> dict:
    """``mapping`` (a TOML's dict, or None) with ``--column ROLE=HEADER`` options added: a
    single-valued role given on the command line replaces the TOML's; a repeatable one is added
    after it; a single-valued role given twice on the command line is a SettingsError."""
    data = {"columns": {}, "plan": {}, "table": {}}
    for key, value in dict(mapping or {}).items():
        data[key] = {k: (list(v) if isinstance(v, list) else v) for k, v in dict(value).items()}
    given: set[str] = set()
    for item in items:
        role, sep, header = item.partition("=")
        role, header = role.strip(), header.strip()
        if not sep or not role or not header:
            raise SettingsError(f"expected ROLE=HEADER, found {item!r}", field="--column")
        if role not in ROLES:
            raise SettingsError(f"unknown column role {role!r}; allowed: {', '.join(ROLES)}",
                                field="--column")
        if role in REPEATABLE_ROLES:
            old = data["columns"].get(role, [])
            data["columns"][role] = ([old] if isinstance(old, str) else list(old)) + [header]
            continue
        if role in given:
            raise SettingsError(f"--column {role}= given twice, but {role} takes one column "
                                f"(repeatable roles: {', '.join(REPEATABLE_ROLES)}; for several "
                                "evaluation texts use text=HEADER)", field="--column")
        given.add(role)
        data["columns"][role] = header
    return data


def split_label(spec: str) -> tuple[str, str]:
    """``(header, label)`` of a repeatable entry ``HEADER:LABEL`` (label "" when none).

    >>> split_label("全体総括:課長"), split_label("解決すべき課題")
    (('全体総括', '課長'), ('解決すべき課題', ''))
    """
    header, sep, label = spec.rpartition(":")
    if sep and header.strip() and label.strip():
        return header.strip(), label.strip()
    return spec.strip(), ""


# -- guessing a mapping from the headers (keikaku mapping) -----------------------------------
# (role, words any of which the folded header contains), tried in this order per header.
GUESS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rating_reason", ("理由", "根拠")),
    ("next_description", ("次期計画の説明", "方向性の説明")),
    ("next", ("次期計画", "次期",)),
    ("priority", ("重点",)),
    ("decision", ("今後の方向性", "改革改善の方向性", "方向性の判断", "今後の方針", "総合評価の区分")),
    ("direction", ("施策の方向",)),
    ("goal", ("基本目標",)),
    ("philosophy", ("基本理念",)),
    ("rating", ("達成度", "進捗", "評定", "整合性", "妥当性", "有効性", "効率性", "余地", "必要性")),
    ("level", ("政策", "施策", "基本事業", "分野")),
    ("unit", ("事務事業名", "事業名")),
    ("initiatives", ("取組内容", "取組み内容", "主な取組")),
    ("description", ("概要",)),
    ("text", ("課題", "総括", "所見", "意見", "評価", "実績", "計画", "成果", "内容")),
    ("attribute", ("担当課", "課名", "所管", "部名", "担当部")),
    ("period", ("年度",)),
)
# A trailing （…） of a text's header is its label: 「全体総括（課長）」 → 課長.
_LABEL = re.compile(r"[(（]([^()（）]{1,12})[)）]$")


def guess_role(header: str) -> str | None:
    """The role a header's words suggest, or None (kept as an attribute).

    >>> [guess_role(h) for h in ("施策名", "基本事業名", "事務事業名", "今後の方向性", "全体総括（課長）", "事業費")]
    ['level', 'level', 'unit', 'decision', 'text', None]
    """
    from .headers import fold_header

    folded = fold_header(header)
    for role, words in GUESS_WORDS:
        if any(fold_header(w) in folded for w in words):
            if role == "period" and len(folded) > 6:
                continue  # 「令和5年度事業費」 is a value of a year, not the period column
            return role
    return None


def guess_mapping(names: list[str], *, file: str, sheet: str, header_line: int,
                  duplicates: dict[str, int]) -> str:
    """A mapping TOML guessed from the column ``names`` (as :func:`column_names` gives them), to
    edit: every header is listed, with the role guessed for it or as an attribute."""
    roles: dict[str, list[str]] = {}
    notes: list[str] = []
    for i, name in enumerate(names):
        role = guess_role(name.split("#")[0]) if not name.endswith("列目") else None
        if role == "rating_reason":
            if i and guess_role(names[i - 1].split("#")[0]) == "rating":
                continue  # the column after a rating is its reason
            role = "text"
        if role in SINGLE_ROLES and role in roles:
            notes.append(f"# 「{name}」 could also be {role}; kept as an attribute")
            continue
        if role == "text" and _LABEL.search(name):
            name = f"{name}:{_LABEL.search(name).group(1)}"
        if role:
            roles.setdefault(role, []).append(name)
    if "unit" in roles and "direction" in roles:
        roles.setdefault("level", []).extend(roles.pop("direction"))
    graded = [n for n in roles.get("text", []) if "評価" in n]
    if "unit" not in roles and len(graded) == 1:  # a plan table's one 評価 column
        roles["evaluation"] = graded
        roles["text"].remove(graded[0])
        if not roles["text"]:
            del roles["text"]
    lines = [f"# keikaku column mapping guessed from {file}"
             + (f", sheet 「{sheet}」" if sheet else "") + f", header row {header_line} "
             f"({len(names)} columns).  Check every line, then:",
             f"#   keikaku import {file} --mapping THIS.toml -o DIR",
             "# A repeated header is named HEADER#n; a repeatable role (level, text, rating,",
             "# rating_reason, attribute) takes a list, combined in order; \"HEADER:LABEL\" gives a",
             "# text its label (担当課, 課長 …).  Columns not named here are kept as attributes."]
    if duplicates:
        lines.append("# Repeated headers: " + "、".join(f"{h} ×{n}" for h, n in duplicates.items()))
    lines += notes
    lines += ["", "[columns]"]
    if "goal" not in roles and "level" not in roles:
        lines.append('goal = "?"   # required: the goal column, or level = [...] (the hierarchy)')
    if "direction" not in roles and "unit" not in roles:
        lines.append('direction = "?"   # required: the direction (or unit = the project name) column')
    for role in ROLES:
        if role not in roles:
            continue
        values = roles[role]
        if role in REPEATABLE_ROLES:
            lines.append(f"{role} = [")
            lines += [f"  {_quote(v)}," for v in values]
            lines.append("]")
        else:
            lines.append(f"{role} = {_quote(values[0])}")
    lines += ["", "[table]", f"header_line = {header_line}"]
    if sheet:
        lines.append(f"sheet = {_quote(sheet)}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
