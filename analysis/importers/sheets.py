"""Evaluation sheets (事務事業評価シート and the like): one form per unit, label cells beside value
cells, read from the rows a PDF or Word document gives (:mod:`.pdf`, :mod:`.docx`).

Which label means which role is ``analysis/data/sheet_labels.toml`` (editable): ``unit``
(事務事業名) starts a sheet and names its unit, ``level`` labels (施策, 担当部署名 …) give the
hierarchy above it in the order the file lists them, ``rating`` labels (有効性, 効率性 …) are
questions whose value cell is the answer, ``rating_reason`` (判断理由) is the reason of the rating
just before it, ``decision`` (今後の方向性) the decision, ``text`` labels evaluation texts and
``period`` the year.  In a row, a cell that is a known label takes the next non-empty cell to its
right as its value; the other cells are read in (label, value) pairs and kept as attributes, so
nothing is dropped.  A label merged down the first column over several label/value rows (成果指標
over 目標値 | 50 and 実績値 | 45) names the unknown labels under it (成果指標・目標値).  A row holding one cell only that is no label (a sheet's title, a page
number) is skipped and recorded.
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


def _group(cells: list[str], labels: SheetLabels, above: str) -> tuple[str, list[str]]:
    """A group label merged down the first column (成果指標 over rows 目標 | 50 and 実績 | 45):
    ``(group, the row's other cells)``, or ``("", cells)``.  A row has one when its first cell is
    an unknown label followed by an even number of cells, or when its first cell is empty (under
    the merged label) and the row above had one."""
    filled = [c.strip() for c in cells if c.strip()]
    if cells and cells[0].strip() and len(filled) >= 3 and len(filled) % 2 == 1 \
            and not labels.roles.get(fold_label(filled[0])):
        return filled[0], filled[1:]
    if above and cells and not cells[0].strip() and filled and len(filled) % 2 == 0:
        return above, filled
    return "", filled


def _pairs(cells: list[str], labels: SheetLabels, group: str = "") -> list[tuple[str, str, str]]:
    """(role or "", label, value) of a row: a known label takes the next non-empty cell; an
    unknown label under a group label is named 「group・label」.

    >>> labels = load_sheet_labels()
    >>> _pairs(["有効性", "A", "判断理由", "増えた。"], labels)
    [('rating', '有効性', 'A'), ('rating_reason', '判断理由', '増えた。')]
    >>> _pairs(["目標", "50"], labels, group="成果指標")
    [('', '成果指標・目標', '50')]
    """
    filled = [c.strip() for c in cells if c.strip()]
    out: list[tuple[str, str, str]] = []
    i = 0
    while i < len(filled):
        label = filled[i]
        role = labels.roles.get(fold_label(label), "")
        following = filled[i + 1] if i + 1 < len(filled) else ""
        if following and role and labels.roles.get(fold_label(following)) and \
                fold_label(following) != fold_label(label):
            out.append((role, label, ""))  # a label with its value cell left empty
            i += 1
            continue
        out.append((role, f"{group}・{label}" if group and not role else label, following))
        i += 2
    return out


def sheet_rows(rows: list[tuple[list[str], int]], *, file: str, corpus: Corpus,
               labels: SheetLabels | None = None) -> list[Row]:
    """One :class:`~analysis.importers.build.Row` per sheet, from ``(cells, line)`` rows."""
    labels = labels or load_sheet_labels()
    built: list[Row] = []
    current: Row | None = None
    levels: dict[str, tuple[str, str]] = {}
    pending: list[int] = []  # ratings of the current sheet still without a reason

    def finish() -> None:
        if current is not None:
            order = {label: k for k, label in enumerate(labels.levels)}
            current.levels = [levels[k] for k in sorted(levels, key=lambda k: order.get(k, 99))]
            current.goal = current.levels[0][1] if current.levels else ""
            built.append(current)

    group = ""
    for cells, number in rows:
        group, rest = _group(cells, labels, group)
        pairs = _pairs(rest, labels, group)
        if not pairs:
            continue
        if len(pairs) == 1 and not pairs[0][0] and not pairs[0][2]:
            corpus.skipped.append({"file": file, "line": number, "text": pairs[0][1],
                                   "reason": "シートの表題など（1つだけのセル）"})
            continue
        for role, label, value in pairs:
            if role == "unit":
                finish()
                current, levels, pending = Row(line=number, direction=value), {}, []
                continue
            if current is None:
                corpus.skipped.append({"file": file, "line": number, "text": "\t".join(cells),
                                       "reason": "最初のシート（事務事業名）より前の行"})
                break
            if role == "level":
                levels[fold_label(label)] = (label, value)
            elif role == "rating":
                if value and unicodedata.normalize("NFKC", value) not in labels.rating_values:
                    corpus.warnings.append(ImportWarning(
                        line=number, file=file, field=label,
                        message=f"評価「{label}」の値「{value}」は評価の記号（A/B/C、1〜5 など）では"
                                "ありません。書かれているとおり読み込みました"))
                current.ratings.append((label, value, ""))
                pending.append(len(current.ratings) - 1)
            elif role == "rating_reason" and pending:
                index = pending.pop(0)
                question, answer, _ = current.ratings[index]
                current.ratings[index] = (question, answer, value)
            elif role in ("rating_reason", "text"):
                if value:
                    current.texts.append((label, value))
            elif role == "decision":
                if value:
                    current.decision = (label, value)
            elif role == "period":
                current.period = value
            else:
                key, count = label, 1
                while key in current.attributes:  # a label given twice: 指標#2, as for headers
                    count += 1
                    key = f"{label}#{count}"
                current.attributes[key] = value
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
