"""Text units: one row per piece of text a planner reads (a direction's title, evaluation,
description or one initiative), with the metadata every later stage groups by.

Each evaluation text of a unit (``Direction.texts``, and the reason given with each rating) is a
unit of field ``evaluation`` too, with its ``label`` (担当課, 課長, the question …); every unit
carries its direction's decision class and attributes, so later stages can group by them.

>>> from analysis.corpus import Corpus, Plan, Goal, Direction
>>> d = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="地域力の向上",
...               evaluation="担い手不足が課題となった。", source_lines=[6])
>>> c = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
...     Goal(plan_id="P2", number=1, title="つなげる", directions=[d])])])
>>> [(u.id, u.field) for u in text_units(c)]
[('P2-1-1:title', 'title'), ('P2-1-1:evaluation', 'evaluation')]
>>> from analysis.corpus import EvaluationText
>>> d.texts.append(EvaluationText(label="課長", text="現状維持とする。"))
>>> [(u.id, u.label) for u in text_units(c, fields=("evaluation",))]
[('P2-1-1:evaluation', '評価'), ('P2-1-1:evaluation:1', '課長')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

from .corpus import Corpus

Field = Literal["title", "initiative", "evaluation", "description"]
FIELDS: tuple[str, ...] = ("title", "initiative", "evaluation", "description")


@dataclass(frozen=True)
class TextUnit:
    id: str
    plan_id: str
    generation: int
    goal_number: int | None
    direction_id: str
    field: str
    text: str
    line: int | None
    file: str = ""
    label: str = ""  # an evaluation text's label (評価, 担当課, 課長, a rating's question)
    decision: str = ""  # the direction's decision class (expand … end, unknown), "" if none
    attributes: tuple[tuple[str, str], ...] = ()  # the direction's attributes (header, value)

    @property
    def attribute_map(self) -> Mapping[str, str]:
        """The attributes as a dict {header: value}."""
        return dict(self.attributes)


def text_units(corpus: Corpus, *, fields: tuple[str, ...] = FIELDS) -> list[TextUnit]:
    """Every non-empty text of every direction, in corpus order."""
    units: list[TextUnit] = []
    for plan in corpus.plans:
        for direction in plan.directions():
            line = direction.source_lines[0] if direction.source_lines else None
            decision = direction.decision.class_ if direction.decision is not None else ""
            attributes = tuple(direction.attributes.items())

            def add(field: str, text: str, suffix: str = "", label: str = "") -> None:
                if field in fields and text.strip():
                    units.append(TextUnit(
                        id=f"{direction.id}:{field}{suffix}", plan_id=plan.id,
                        generation=plan.generation, goal_number=direction.goal_number,
                        direction_id=direction.id, field=field, text=text, line=line,
                        file=direction.source_file, label=label, decision=decision,
                        attributes=attributes,
                    ))

            add("title", direction.title)
            for position, initiative in enumerate(direction.initiatives, 1):
                add("initiative", initiative, f":{position}")
            add("evaluation", direction.evaluation, label="評価")
            for position, text in enumerate(direction.texts, 1):
                add("evaluation", text.text, f":{position}", label=text.label)
            for position, rating in enumerate(direction.ratings, 1):
                add("evaluation", rating.reason, f":rating{position}", label=rating.question)
            add("description", direction.text)
    return units


def units_frame(corpus: Corpus, *, fields: tuple[str, ...] = FIELDS):
    """The text units as a pandas DataFrame (one row per unit) for notebooks.

    Columns: unit, plan, generation, goal, direction, direction_title, field, label, decision,
    text, file, line, then one column per attribute header (``attr:HEADER``; empty where a unit
    has none), usable as grouping variables.
    """
    import pandas as pd

    titles = {d.id: d.title for d in corpus.directions()}
    units = text_units(corpus, fields=fields)
    headers = list(dict.fromkeys(k for u in units for k, _ in u.attributes))
    rows = [
        {
            "unit": u.id, "plan": u.plan_id, "generation": u.generation, "goal": u.goal_number,
            "direction": u.direction_id, "direction_title": titles.get(u.direction_id, ""),
            "field": u.field, "label": u.label, "decision": u.decision, "text": u.text,
            "file": u.file, "line": u.line,
            **{f"attr:{k}": v for k, v in u.attributes},
        }
        for u in units
    ]
    columns = ["unit", "plan", "generation", "goal", "direction", "direction_title", "field",
               "label", "decision", "text", "file", "line"] + [f"attr:{h}" for h in headers]
    frame = pd.DataFrame(rows, columns=columns)
    if headers:
        frame[[f"attr:{h}" for h in headers]] = frame[[f"attr:{h}" for h in headers]].fillna("")
    return frame.astype({"goal": "Int64", "line": "Int64"})
