"""Text units: one row per piece of text a planner reads (a direction's title, evaluation,
description or one initiative), with the metadata every later stage groups by.

>>> from analysis.corpus import Corpus, Plan, Goal, Direction
>>> d = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="地域力の向上",
...               evaluation="担い手不足が課題となった。", source_lines=[6])
>>> c = Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
...     Goal(plan_id="P2", number=1, title="つなげる", directions=[d])])])
>>> [(u.id, u.field) for u in text_units(c)]
[('P2-1-1:title', 'title'), ('P2-1-1:evaluation', 'evaluation')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


def text_units(corpus: Corpus, *, fields: tuple[str, ...] = FIELDS) -> list[TextUnit]:
    """Every non-empty text of every direction, in corpus order."""
    units: list[TextUnit] = []
    for plan in corpus.plans:
        for direction in plan.directions():
            line = direction.source_lines[0] if direction.source_lines else None

            def add(field: str, text: str, suffix: str = "") -> None:
                if field in fields and text.strip():
                    units.append(TextUnit(
                        id=f"{direction.id}:{field}{suffix}", plan_id=plan.id,
                        generation=plan.generation, goal_number=direction.goal_number,
                        direction_id=direction.id, field=field, text=text, line=line,
                        file=direction.source_file,
                    ))

            add("title", direction.title)
            for position, initiative in enumerate(direction.initiatives, 1):
                add("initiative", initiative, f":{position}")
            add("evaluation", direction.evaluation)
            add("description", direction.text)
    return units


def units_frame(corpus: Corpus, *, fields: tuple[str, ...] = FIELDS):
    """The text units as a pandas DataFrame (one row per unit) for notebooks.

    Columns: unit, plan, generation, goal, direction, direction_title, field, text, file, line.
    """
    import pandas as pd

    titles = {d.id: d.title for d in corpus.directions()}
    rows = [
        {
            "unit": u.id, "plan": u.plan_id, "generation": u.generation, "goal": u.goal_number,
            "direction": u.direction_id, "direction_title": titles.get(u.direction_id, ""),
            "field": u.field, "text": u.text, "file": u.file, "line": u.line,
        }
        for u in text_units(corpus, fields=fields)
    ]
    columns = ["unit", "plan", "generation", "goal", "direction", "direction_title", "field",
               "text", "file", "line"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"goal": "Int64", "line": "Int64"})
