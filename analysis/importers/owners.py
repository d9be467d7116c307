"""Sources of several owners in one corpus: each owner's ids prefixed with its number.

One city's plans read from several sources keep the ids ``P2``, ``P2-1-3``.  When the sources
name several owners (cities and their 社協, or many cities for a comparison), a plan id alone no
longer says whose plan it is, and two owners' second plans would both be ``P2``: each owner is
numbered in the order its first source came (``O1``, ``O2`` …; plans naming no owner ``O0``) and
every id of its plans, goals, directions and links is prefixed, ``O12-P2-1-3``.  Owners are
compared by :func:`analysis.corpus.owner_key` (width and spacing ignored).

>>> from analysis.corpus import Corpus, Plan
>>> parts = [Corpus(name="a", plans=[Plan(id="P1", generation=1, title="a", owner="甲市")]),
...          Corpus(name="b", plans=[Plan(id="P1", generation=1, title="b", owner="乙町")])]
>>> numbers = owner_numbers(parts)
>>> numbers
{'甲市': 1, '乙町': 2}
>>> for part in parts:
...     prefix_ids(part, numbers)
>>> [p.id for part in parts for p in part.plans]
['O1-P1', 'O2-P1']
"""

from __future__ import annotations

import re
from typing import Iterable

from ..corpus import Corpus, owner_key

__all__ = ["owner_numbers", "prefix_ids"]


def owner_numbers(parts: Iterable[Corpus]) -> dict[str, int]:
    """Each owner key named by the parts' plans → its number (1, 2, … in order; ``""`` → 0)."""
    numbers: dict[str, int] = {}
    for part in parts:
        for plan in part.plans:
            key = owner_key(plan.owner)
            if key not in numbers:
                numbers[key] = sum(1 for k in numbers if k) + 1 if key else 0
    return numbers


def prefix_ids(part: Corpus, numbers: dict[str, int]) -> None:
    """Prefix the ids of one source's plans (and its links) with their owners' numbers, in place,
    when ``numbers`` names several owners; else leave them as they are.  Direction ids are
    unique within one source, so its links are renamed with them."""
    if sum(1 for key in numbers if key) <= 1:
        return
    renamed: dict[str, str] = {}
    for plan in part.plans:
        prefix = f"O{numbers[owner_key(plan.owner)]}-"
        plan.id = prefix + plan.id
        for goal in plan.goals:
            goal.plan_id = plan.id
            for direction in goal.directions:
                renamed[direction.id] = prefix + direction.id
                direction.id = renamed[direction.id]
                direction.plan_id = plan.id
    for link in part.links:
        link.source = renamed.get(link.source, link.source)
        link.target = renamed.get(link.target, link.target)
    # The importer's warnings name the rows' ids as they were made («… を原文のまま残しました（P1-1-1。…»).
    for plan in part.plans:
        old = plan.id.split("-", 1)[1]
        renamed[old] = plan.id
        renamed.update({f"{old}-G{g.number if g.number is not None else 0}": g.id for g in plan.goals})
    for warning in part.warnings:
        warning.message = _ID.sub(lambda m: renamed.get(m[0], m[0]), warning.message)


_ID = re.compile(r"(?<![\w-])P\d+(?:-G?\d+)*(?![\w-])")  # P2, P2-G1, P2-1-3: what build.py makes
