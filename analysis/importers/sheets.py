"""Evaluation sheets (事務事業評価シート and the like): one form per unit, label cells beside value
cells, read from the rows a PDF or Word document gives (:mod:`.pdf`, :mod:`.docx`).

Which label means which role is ``analysis/data/sheet_labels.toml`` (editable): ``unit``
(事務事業名) starts a sheet and names its unit, ``level`` labels (施策, 担当部署名 …) give the
hierarchy above it in the order the file lists them, ``rating`` labels (有効性, 効率性 …) are
questions whose value cell is the answer, ``rating_reason`` (判断理由) is the reason of the rating
just before it, ``decision`` (今後の方向性) the decision, ``text`` labels evaluation texts and
``period`` the year.  In a row, a cell that is a known label takes the next filled cell to its
right as its value, unless that cell is a known label too, or the label stands beside an empty
value cell (see :func:`_pairs`); the other cells are read in (label, value) pairs and kept as
attributes, so nothing is dropped.  A row made only of known labels over a row whose filled cells
stand in the same columns (有効性 | 効率性 over A | B; a full-width 課題 over its text) is read
column by column, label above value.  A label merged down the first column over several
label/value rows (成果指標 over 目標値 | 50 and 実績値 | 45) names the first unknown label to its right
in each of them (成果指標・目標値); a label further right in those rows (事業費 beside them) stands
alone.  A row holding one cell only that is no label (a sheet's title, a page number) is skipped
and recorded.  A 事務事業名 row that repeats the current sheet's (the same name, no other value
for a label of that row the sheet gave) continues that sheet, as on a sheet's second page: one
unit, values merged; the repeated row is recorded in ``skipped.csv``.  A label the continued sheet
gives again with another value, and a second 施策, 今後の方向性 or 年度 with another value anywhere on
a sheet, are kept all the same, with a warning (a single-valued one as the attribute 「label#2」).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Corpus, ImportWarning
from ..errors import InputError, SettingsError
from . import patterns as pt
from .build import PlanInfo, Row, build_corpus

ROLES = ("unit", "level", "rating", "rating_reason", "decision", "text", "period")
_UNIT_SUFFIX = re.compile(r"[(（][^()（）]{1,10}[)）]$")


@dataclass
class SheetLabels:
    roles: dict[str, str]  # folded label → role
    levels: list[str]  # folded level labels, top first
    rating_values: frozenset = field(default_factory=frozenset)


def fold_label(text: str) -> str:
    """A label cell as it is matched: NFKC, no spaces, no trailing colon or （unit）.

    >>> fold_label("事業費（千円）"), fold_label("事務事業名："), fold_label("担当 部署名")
    ('事業費', '事務事業名', '担当部署名')
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    text = text.rstrip(":：")
    return _UNIT_SUFFIX.sub("", text) or text


def load_sheet_labels(path: str | Path | None = None) -> SheetLabels:
    """The label table (default ``analysis/data/sheet_labels.toml``); a SettingsError names the
    file and the bad key."""
    from ..settings import data_path, parse_toml, toml_line

    file = str(path) if path is not None else str(data_path("sheet_labels.toml"))
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"cannot read the sheet labels: {exc}", file=file) from exc
    data = parse_toml(text, source=file, what="sheet labels")
    roles: dict[str, str] = {}
    levels: list[str] = []
    for role, listed in data.get("labels", {}).items():
        if role not in ROLES:
            raise SettingsError(f"unknown role {role!r}; allowed: {', '.join(ROLES)}", file=file,
                                field=f"labels.{role}", line=toml_line(text, role))
        if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
            raise SettingsError("expected a list of labels", file=file, field=f"labels.{role}",
                                line=toml_line(text, role))
        for label in listed:
            folded = fold_label(label)
            if folded in roles and roles[folded] != role:
                raise SettingsError(f"label {label!r} is listed for both {roles[folded]} and {role}",
                                    file=file, field=f"labels.{role}", line=toml_line(text, role))
            roles[folded] = role
            if role == "level":
                levels.append(folded)
    if "unit" not in roles.values():
        raise SettingsError("no unit label (labels.unit): a sheet starts at its unit's label",
                            file=file, field="labels.unit")
    values = data.get("sheet", {}).get("rating_values", [])
    return SheetLabels(roles=roles, levels=levels,
                       rating_values=frozenset(unicodedata.normalize("NFKC", v) for v in values))


def is_sheet(rows: list[tuple[list[str], int]], labels: SheetLabels | None = None) -> bool:
    """Whether the rows are evaluation sheets: some cell is a unit label (事務事業名).

    >>> is_sheet([(["事務事業名", "見守り事業"], 1)]), is_sheet([(["【基本目標】", "【施策の方向】"], 1)])
    (True, False)
    """
    labels = labels or load_sheet_labels()
    return any(labels.roles.get(fold_label(c)) == "unit" for cells, _ in rows for c in cells if c.strip())


def _known(cell: str, labels: SheetLabels) -> str:
    """The role of a cell that is a known label, else ""."""
    return labels.roles.get(fold_label(cell), "") if cell.strip() else ""


def _group(cells: list[str], labels: SheetLabels, above: str) -> tuple[str, list[str]]:
    """A group label merged down the first column (成果指標 over rows 目標 | 50 and 実績 | 45):
    ``(group, the row's other cells)``, or ``("", cells)``.  A row has one when its first cell is
    an unknown label followed by an even number of filled cells, or when its first cell is empty
    (under the merged label) and the row above had one.  The cells keep their columns (an empty
    cell is an empty value, see :func:`_pairs`)."""
    filled = [c.strip() for c in cells if c.strip()]
    if cells and cells[0].strip() and len(filled) >= 3 and len(filled) % 2 == 1 \
            and not _known(cells[0], labels):
        return cells[0].strip(), list(cells[1:])
    if above and cells and not cells[0].strip() and filled and len(filled) % 2 == 0:
        return above, list(cells[1:])
    return "", list(cells)


def _pairs(cells: list[str], labels: SheetLabels, group: str = "") -> list[tuple[str, str, str]]:
    """(role or "", label, value) of a row, read left to right.  A label's value is the next
    filled cell, except that a known label (:func:`_known`) is never a value: it is the next
    label, and the label before it has an empty value.  A known label followed by an empty cell
    has that empty cell as its value when the filled cells after it pair up among themselves
    (改善策 | (empty) | 備考 | 特になし); when they are odd in number, the label is merged over
    several columns and the first of them is its value (事業費 | (merged) | 2,000).  A group label
    (:func:`_group`) names the first pair to its right only, when its label is unknown
    (「group・label」): pairs further right (事業費 beside a 成果指標 group) stand alone.

    >>> labels = load_sheet_labels()
    >>> _pairs(["有効性", "A", "判断理由", "増えた。"], labels)
    [('rating', '有効性', 'A'), ('rating_reason', '判断理由', '増えた。')]
    >>> _pairs(["目標", "50"], labels, group="成果指標")
    [('', '成果指標・目標', '50')]
    >>> _pairs(["改善策", "", "備考", "特になし"], labels)
    [('text', '改善策', ''), ('', '備考', '特になし')]
    """
    out: list[tuple[str, str, str]] = []
    filled = [k for k, c in enumerate(cells) if c.strip()]
    at = 0  # index into filled
    while at < len(filled):
        i = filled[at]
        label = cells[i].strip()
        role = _known(label, labels)
        value_at = at + 1 if at + 1 < len(filled) else None
        if value_at is not None:
            following = cells[filled[value_at]]
            if _known(following, labels) and fold_label(following) != fold_label(label):
                value_at = None  # the next known label is a label, not this one's value
            elif role and filled[value_at] > i + 1 and (len(filled) - value_at) % 2 == 0:
                value_at = None  # a known label beside an empty value cell
        value = cells[filled[value_at]].strip() if value_at is not None else ""
        named = f"{group}・{label}" if group and not out and not role else label
        out.append((role, named, value))
        at = value_at + 1 if value_at is not None else at + 1
    return out


def _label_row(cells: list[str], labels: SheetLabels) -> bool:
    """Whether every filled cell of the row is a known label (有効性 | 効率性 | 必要性)."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_known(c, labels) for c in filled)


def _labels_over_values(top: list[str], below: list[str],
                        labels: SheetLabels) -> list[tuple[str, str, str]] | None:
    """A row of known labels over a row of their values, read column by column (有効性 | 効率性
    over A | B; a full-width 課題 over its text): the (role, label, value) pairs, or None when
    ``below`` is not such a row (another width, its filled cells in other columns than the
    labels, or a known label among them)."""
    if len(top) != len(below) or not _label_row(top, labels):
        return None
    columns = [k for k, c in enumerate(top) if c.strip()]
    if [k for k, c in enumerate(below) if c.strip()] != columns:
        return None
    if any(_known(below[k], labels) for k in columns):
        return None
    return [(_known(top[k], labels), top[k].strip(), below[k].strip()) for k in columns]


def _same_sheet(current: Row, given: dict[str, list[str]], pairs: list[tuple[str, str, str]]) -> bool:
    """Whether a row holding a unit label repeats the current sheet's: the same unit name, and
    every other label of the row the sheet already gave with the same value (事務事業名 and
    事業番号 printed again at the top of a sheet's second page)."""
    unit = next(value for role, _, value in pairs if role == "unit")
    if not unit or unit != current.direction.strip():
        return False
    for role, label, value in pairs:
        if role == "unit" or not value:
            continue
        seen = given.get(fold_label(label))
        if seen and value not in seen:
            return False
    return True


def sheet_rows(rows: list[tuple[list[str], int]], *, file: str, corpus: Corpus,
               labels: SheetLabels | None = None) -> list[Row]:
    """One :class:`~analysis.importers.build.Row` per sheet, from ``(cells, line)`` rows.

    A row holding a unit label starts a sheet, unless it repeats the current sheet's unit row
    (:func:`_same_sheet`): the sheet then continues (a sheet over two pages that prints its
    事務事業名 again), its values merged into one unit; a label given again with the same value
    is a repeat, kept once, with another value it is kept all the same, with a warning."""
    labels = labels or load_sheet_labels()
    built: list[Row] = []
    current: Row | None = None
    levels: dict[str, tuple[str, str]] = {}
    pending: list[int] = []  # ratings of the current sheet still without a reason
    given: dict[str, list[str]] = {}  # folded label → the values the current sheet gave it
    continued = False  # whether the current sheet has been continued by a repeated unit row

    def finish() -> None:
        if current is not None:
            order = {label: k for k, label in enumerate(labels.levels)}
            current.levels = [levels[k] for k in sorted(levels, key=lambda k: order.get(k, 99))]
            current.goal = current.levels[0][1] if current.levels else ""
            built.append(current)

    def keep_apart(number: int, label: str, value: str, old: str) -> None:
        """A single-valued label (施策, 今後の方向性 …) given again with another value: the first
        stays, this one becomes the attribute 「label#n」, with a warning."""
        assert current is not None
        key = attribute_key(label, 2)
        current.attributes[key] = value
        corpus.warnings.append(ImportWarning(
            line=number, file=file, field=label,
            message=f"「{current.direction}」のシートで「{label}」が2回、違う値で書かれています"
                    f"（先の値「{old}」、この行の値「{value}」）。先の値を使い、この行の値は属性"
                    f"「{key}」として読み込みました"))

    def attribute_key(label: str, count: int = 1) -> str:
        assert current is not None
        key = label if count == 1 else f"{label}#{count}"
        while key in current.attributes:  # a label given twice: 指標#2, as for headers
            count += 1
            key = f"{label}#{count}"
        return key

    group = ""
    index = 0
    while index < len(rows):
        cells, number = rows[index]
        index += 1
        pairs = None
        if index < len(rows):
            pairs = _labels_over_values(cells, rows[index][0], labels)
            if pairs is not None:
                index += 1  # the row of values is read with its labels
                group = ""
        if pairs is None:
            group, rest = _group(cells, labels, group)
            pairs = _pairs(rest, labels, group)
        if not pairs:
            continue
        if len(pairs) == 1 and not pairs[0][0] and not pairs[0][2]:
            corpus.skipped.append({"file": file, "line": number, "text": pairs[0][1],
                                   "reason": "シートの表題など（1つだけのセル）"})
            continue
        first_unit = next((k for k, (role, _, _) in enumerate(pairs) if role == "unit"), None)
        if first_unit is not None:  # the row starts a sheet, or repeats the current one's
            if current is not None and _same_sheet(current, given, pairs):
                repeated = [f"{label}\t{value}" for _, label, value in pairs
                            if not value or value in given.get(fold_label(label), ())]
                corpus.skipped.append({"file": file, "line": number, "text": "\t".join(repeated),
                                       "reason": "前のシートの続き（事務事業名などの繰り返し）"})
                continued = True
            else:
                finish()
                current, levels, pending, given, continued = \
                    Row(line=number, direction=pairs[first_unit][2]), {}, [], {}, False
        for k, (role, label, value) in enumerate(pairs):
            if current is None:
                corpus.skipped.append({"file": file, "line": number, "text": "\t".join(cells),
                                       "reason": "最初のシート（事務事業名）より前の行"})
                break
            folded = fold_label(label)
            seen = given.get(folded, [])
            if continued and (not value or value in seen) and (seen or role == "unit"):
                continue  # a repeat on the sheet's next page
            if role == "unit":
                if k == first_unit:
                    given.setdefault(folded, []).append(value)
                    continue
                finish()  # another unit label in the same row: another sheet
                current, levels, pending, given, continued = Row(line=number, direction=value), {}, [], {}, False
                given[folded] = [value]
                continue
            if value:
                given.setdefault(folded, []).append(value)
            if continued and seen and value not in seen and role not in ("level", "decision", "period"):
                corpus.warnings.append(ImportWarning(
                    line=number, file=file, field=label,
                    message=f"「{current.direction}」のシートの続きで「{label}」が、前と違う値で"
                            f"もう一度書かれています（前の値「{seen[0]}」、この行の値「{value}」）。"
                            "両方を読み込みました"))
            if role == "level":
                old = levels.get(folded)
                if old is None or not old[1]:
                    levels[folded] = (label, value)
                elif value and value != old[1]:
                    keep_apart(number, label, value, old[1])
            elif role == "rating":
                if value and unicodedata.normalize("NFKC", value) not in labels.rating_values:
                    corpus.warnings.append(ImportWarning(
                        line=number, file=file, field=label,
                        message=f"評価「{label}」の値「{value}」は評価の記号（A/B/C、1〜5 など）では"
                                "ありません。書かれているとおり読み込みました"))
                current.ratings.append((label, value, ""))
                pending.append(len(current.ratings) - 1)
            elif role == "rating_reason" and pending:
                index_ = pending.pop(0)
                question, answer, _ = current.ratings[index_]
                current.ratings[index_] = (question, answer, value)
            elif role in ("rating_reason", "text"):
                if value:
                    current.texts.append((label, value))
            elif role == "decision":
                if value and current.decision is None:
                    current.decision = (label, value)
                elif value and value != current.decision[1]:
                    keep_apart(number, label, value, current.decision[1])
            elif role == "period":
                if value and not current.period:
                    current.period = value
                elif value and value != current.period:
                    keep_apart(number, label, value, current.period)
            else:
                current.attributes[attribute_key(label)] = value
    finish()
    return built


def corpus_from_sheets(rows: list[tuple[list[str], int]], *, corpus: Corpus, where: str,
                       source: dict, owner: str | None = None, title: str | None = None,
                       generation: int | None = None) -> Corpus:
    """Build ``corpus`` from the rows of one or more evaluation sheets: one unit per sheet."""
    file = source["file"]
    built = sheet_rows(rows, file=file, corpus=corpus)
    if not built:
        raise InputError("no evaluation sheet found (no 事務事業名 label cell)", file=where)
    for row in built:
        if not row.direction.strip():
            raise InputError("a sheet's 事務事業名 has no value beside it", file=where, line=row.line)
    titles = [s["text"] for s in corpus.skipped if s["reason"].startswith("シートの表題")]
    plan_title = title or next((t for t in titles if "評価" in t), Path(file).stem)
    periods = sorted({r.period.strip() for r in built if r.period.strip()})
    gen = generation or pt.generation_of(plan_title) or 1
    info = PlanInfo(title=plan_title, generation=gen, next_generation=gen + 1,
                    next_title=pt.next_title(pt.plan_name(plan_title), gen + 1),
                    owner=owner if owner is not None else pt.guess_owner(plan_title),
                    period=periods[0] if len(periods) == 1 else "", role="evaluated")
    options = {key: value for key, value in (("owner", owner), ("title", title),
                                              ("generation", generation)) if value is not None}
    corpus.sources.append({**source, "shape": "evaluation-sheets", "options": options})
    build_corpus(built, info, name=corpus.name, file=file, carry=(), corpus=corpus)
    corpus.warnings.sort(key=lambda w: (w.line or 0))
    corpus.skipped.sort(key=lambda s: s["line"])
    return corpus
