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
    ("description", ("説明", "概要")),
    ("next", ("次期計画", "次期",)),
    ("priority", ("重点",)),
    ("decision", ("今後の方向性", "改革改善の方向性", "方向性の判断", "今後の方針", "総合評価の区分")),
    ("direction", ("施策の方向", "推進項目", "推進施策")),
    ("goal", ("基本目標",)),
    ("philosophy", ("基本理念",)),
    ("rating", ("達成度", "進捗", "評定", "整合性", "妥当性", "有効性", "効率性", "余地", "必要性", "評価区分",
                "判定", "ランク")),
    ("level", ("政策", "施策", "基本事業", "分野")),
    ("unit", ("事務事業名", "事業名")),
    ("initiatives", ("取組内容", "取組み内容", "主な取組")),
    ("text", ("課題", "総括", "所見", "意見", "評価", "実績", "計画", "成果", "内容")),
    ("attribute", ("担当課", "課名", "所管", "部名", "担当部")),
    ("period", ("年度",)),
)
# Headers that suggest a role only as the whole header (a word too common to look for inside
# one: 「評価内容」 is an evaluation text, 「内容」 alone a unit's description).
GUESS_WHOLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("description", ("内容", "事業内容", "事業の内容", "施策の内容", "取組の内容")),
    ("initiatives", ("取組", "取り組み", "主な取り組み", "具体的な取組")),
)
# Columns a flat list of projects may be grouped by (offered as level when no goal is found).
GROUPING_ROLES = ("attribute",)
# A trailing （…） of a text's header is its label: 「全体総括（課長）」 → 課長.
_LABEL = re.compile(r"[(（]([^()（）]{1,12})[)）]$")


def guess_role(header: str) -> str | None:
    """The role a header's words suggest, or None (kept as an attribute).

    >>> [guess_role(h) for h in ("施策名", "基本事業名", "事務事業名", "今後の方向性", "全体総括（課長）", "事業費")]
    ['level', 'level', 'unit', 'decision', 'text', None]
    >>> [guess_role(h) for h in ("説明", "施策の説明", "取組の説明", "内容", "評価内容", "取組内容")]
    ['description', 'description', 'description', 'description', 'text', 'initiatives']
    """
    from .headers import fold_header

    folded = fold_header(header)
    for role, words in GUESS_WHOLE:
        if any(fold_header(w) == folded for w in words):
            return role
    for role, words in GUESS_WORDS:
        if any(fold_header(w) in folded for w in words):
            if role == "period" and len(folded) > 6:
                continue  # 「令和5年度事業費」 is a value of a year, not the period column
            return role
    return None


def _column_role(name: str, sub: str) -> str | None:
    """The role guessed for a column named ``name`` whose sub-header (two-row header) is ``sub``:
    the sub-header's words first (「評価/課題」 is a text by 課題), then the whole name's."""
    if name.endswith("列目"):
        return None
    from .headers import GROUP_SEPARATOR

    if sub and guess_role(name.split(GROUP_SEPARATOR)[0]) == "next":
        # under a group naming the next plan (次期計画（第4次） over 施策の方向 | 説明): its columns
        own = guess_role(sub)
        return "next_description" if own in ("description", "next_description") else \
            "next" if own in (None, "direction", "next", "goal", "level") else own
    return (guess_role(sub) if sub else None) or guess_role(name.split("#")[0])


def guess_mapping(names: list[str], *, file: str, sheet: str, header_line: int,
                  duplicates: dict[str, int], sub_line: int | None = None,
                  subs: list[str] | None = None) -> str:
    """A mapping TOML guessed from the column ``names`` (as :func:`column_names` gives them), to
    edit: every header is listed, with the role guessed for it or as an attribute.  For a
    two-row header, ``sub_line`` is the sub-header row and ``subs`` the sub-headers per column.

    The comments are in Japanese: the planner who checks the guess reads them."""
    subs = list(subs or []) + [""] * (len(names) - len(subs or []))
    roles: dict[str, list[str]] = {}
    notes: list[str] = []
    for i, name in enumerate(names):
        role = _column_role(name, subs[i])
        if role == "rating_reason":
            if i and _column_role(names[i - 1], subs[i - 1]) == "rating":
                continue  # the column after a rating is its reason
            role = "text"
        if role in SINGLE_ROLES and role in roles:
            notes.append(f"# 「{name}」も {role} の列に見えますが、{role} に書ける列は一つなので、"
                         "属性（attribute）として残します")
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
    rows = f"{header_line}〜{sub_line}行目（2行の見出し）" if sub_line else f"{header_line}行目"
    lines = [f"# keikaku の列の対応（mapping）の案: {file}"
             + (f" のシート「{sheet}」" if sheet else "") + f"、見出し行 {rows}、{len(names)}列の"
             "見出しから推測しました。",
             "# 一行ずつ確かめて直してから、次のように取り込みます:",
             f"#   keikaku import {file} --mapping このファイル.toml -o 出力先フォルダ",
             "# 列は見出しで指定します。同じ見出しが繰り返される列は「見出し#n」（n番目）、見出しが空の列は",
             "# 「N列目」と書きます。繰り返せる役割（level, text, rating, rating_reason, attribute）には",
             "# 列のリストを書き、書いた順に使います。\"見出し:ラベル\" と書くと評価の文章にラベル（担当課、",
             "# 課長 …）が付きます。ここに書かない列も属性（attribute）として残ります。"]
    if sub_line:
        example = next((i for i, s in enumerate(subs) if s), None)
        lines += [f"# 見出しは{header_line}行目と{sub_line}行目の2行です。上の行の見出し（結合したセル）が"
                  "まとめる列は「上の見出し/下の見出し」と書きます",
                  "# （この表では「" + (names[example] if example is not None else "") + "」）。"
                  "下の見出しだけ（「" + (subs[example] if example is not None else "") + "」）でも、"
                  "ほかの列と重ならなければ指定できます。"]
    if duplicates:
        lines.append("# 繰り返される見出し: " + "、".join(f"{h} ×{n}" for h, n in duplicates.items()))
    lines += notes
    lines += ["", "[columns]"]
    if "goal" not in roles and "level" not in roles:
        lines += _goal_placeholder(roles, names)
    if "direction" not in roles and "unit" not in roles:
        lines += ["# 必須: 評価の対象（施策の方向、または事務事業名）の列が見つかりませんでした。「?」のままでは",
                  "# 取り込めません。施策の方向なら direction = \"見出し\"、事務事業なら unit = \"見出し\" に"
                  "書き換えてください。",
                  'direction = "?"']
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


def _goal_placeholder(roles: dict[str, list[str]], names: list[str]) -> list[str]:
    """The ``goal = "?"`` line and the comment saying what to write instead: import needs a goal
    or level column to group the units (a flat list of projects has neither)."""
    grouping = [n for role in GROUPING_ROLES for n in roles.get(role, [])]
    lines = ["# 必須: 評価の対象をまとめる列（基本目標、または政策・施策などの階層）が見つかりませんでした。",
             "# 取り込むには goal か level が必要で、「?」のままでは取り込めません。下の goal = \"?\" の行を",
             "# 次のどれかに書き換えてください:",
             "#   goal = \"基本目標の列の見出し\"          （基本目標の列があるとき）",
             "#   level = [\"上の階層の列\", \"その下の階層の列\"]   （政策・施策などの列を上から順に）"]
    for name in grouping:
        lines.append(f"#   level = [{_quote(name)}]   （{name}ごとにまとめるとき）")
    lines += ["# そのような列が表にないときは、表に列を一つ加えて見出し（例: 施策）と各行の値（全行同じでも",
              "# かまいません）を入れ、goal = \"その見出し\" と書きます。",
              'goal = "?"']
    return lines


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
