"""Rating distributions: per question, how many units gave each answer, in the order of the
answers' own scale where it is recognisable (A–D, ◎○△×, 1–5), else in the order first seen.

>>> scale_order(["B", "A", "Ｃ"])
['A', 'B', 'Ｃ']
>>> scale_order(["△", "◎", "○"])
['◎', '○', '△']
>>> scale_order(["3 概ね順調", "1 順調", "2 やや遅れ"])
['1 順調', '2 やや遅れ', '3 概ね順調']
>>> scale_order(["向上余地がある", "向上余地がない"])
['向上余地がある', '向上余地がない']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd

    from ..corpus import Direction

# Each scale: its marks from first to last (NFKC-folded).  S ranks above A where used.
_SCALES = ("SABCDE", "◎○〇△▲×✕")
_NUMBER = re.compile(r"^\d+")


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


def _scale_rank(value: str) -> tuple[int, int] | None:
    """(the scale, the value's place on it) of one answer: 0 leading whole numbers, then one per
    :data:`_SCALES`; None for an answer on no recognisable scale."""
    key = _key(value)
    number = _NUMBER.match(key)
    if number:
        return 0, int(number.group())
    for scale, marks in enumerate(_SCALES, 1):
        if key and key[0] in marks and (len(key) == 1 or not key[1].isascii() or not key[1].isalpha()):
            return scale, marks.index(key[0])
    return None


def scale_order(values: Iterable[str]) -> list[str]:
    """The distinct values in their scale's order: letters S, A–E; marks ◎ ○ △ ×; or leading whole
    numbers ascending — when every value starts with a mark of a scale; answers of two scales in
    one question (A–C beside ◎○△×) each in their own scale's order, the scale seen first first
    (:func:`mixed_scales` tells); else in the order first seen.

    Parameters
    ----------
    values : iterable of str

    Returns
    -------
    list of str
        Each distinct value once, as written.

    >>> scale_order(["A", "◎", "C", "×", "B"])
    ['A', 'B', 'C', '◎', '×']
    """
    distinct = list(dict.fromkeys(values))
    ranks = {v: _scale_rank(v) for v in distinct}
    if not distinct or None in ranks.values():
        return distinct
    first_seen = list(dict.fromkeys(rank[0] for rank in ranks.values()))
    return sorted(distinct, key=lambda v: (first_seen.index(ranks[v][0]), ranks[v][1], distinct.index(v)))


def mixed_scales(values: Iterable[str]) -> bool:
    """Whether the answers of one question are on two scales or more (A–C and ◎○△×).

    >>> mixed_scales(["A", "B"]), mixed_scales(["A", "◎"]), mixed_scales(["A", "向上余地がある"])
    (False, True, False)
    """
    scales = {rank[0] for rank in map(_scale_rank, values) if rank is not None}
    return len(scales) > 1


@dataclass(frozen=True)
class RatingDistribution:
    """One question's answers: ``values`` in scale order, ``counts`` per value, ``unanswered``
    (units without an answer to it), and per decision class the counts (``by_decision``, the
    classes in vocabulary order; empty when no unit has a decision)."""

    question: str
    values: tuple[str, ...]
    counts: tuple[int, ...]
    unanswered: int = 0
    by_decision: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"question": self.question, "values": list(self.values), "counts": list(self.counts),
                "unanswered": self.unanswered,
                "by_decision": {k: list(v) for k, v in self.by_decision.items()}}


def rating_distributions(directions: "list[Direction]", *, by_decision: bool = True,
                         decision_order: Iterable[str] = ()) -> list[RatingDistribution]:
    """The distribution of each rating question over ``directions``.

    Parameters
    ----------
    directions : list of Direction
        The evaluated units.
    by_decision : bool, default True
        Also count each answer per decision class (units without a decision are left out there).
    decision_order : iterable of str, default ()
        The decision classes in the order to show them.

    Returns
    -------
    list of RatingDistribution
        Questions in the order first seen.

    Examples
    --------
    >>> from analysis.corpus import Direction, Rating
    >>> d = [Direction(id=f"P1-1-{i}", plan_id="P1", goal_number=1, number=i, title="事業",
    ...                ratings=[Rating(question="達成度", value=v)]) for i, v in enumerate("BAB", 1)]
    >>> r = rating_distributions(d)[0]
    >>> r.values, r.counts
    (('A', 'B'), (1, 2))
    """
    questions = list(dict.fromkeys(r.question for d in directions for r in d.ratings))
    classes = [d.decision.class_ for d in directions if d.decision is not None and by_decision]
    order = [c for c in decision_order if c in classes] + [c for c in dict.fromkeys(classes)
                                                          if c not in decision_order]
    out = []
    for question in questions:
        answers = [(d, r.value) for d in directions for r in d.ratings if r.question == question and r.value.strip()]
        values = scale_order(v for _, v in answers)
        answered = {id(d) for d, _ in answers}
        by_decision = {c: tuple(sum(1 for d, v in answers if v == value and d.decision is not None
                                    and d.decision.class_ == c) for value in values) for c in order}
        out.append(RatingDistribution(
            question=question, values=tuple(values),
            counts=tuple(sum(1 for _, v in answers if v == value) for value in values),
            unanswered=sum(1 for d in directions if id(d) not in answered), by_decision=by_decision))
    return out


def ratings_frame(distributions: list[RatingDistribution]) -> "pd.DataFrame":
    """One row per (question, value): count, and one column per decision class.

    Returns
    -------
    pandas.DataFrame
        Columns question, value, count, then ``decision:CLASS`` per class.
    """
    import pandas as pd

    classes = list(dict.fromkeys(c for r in distributions for c in r.by_decision))
    rows = [{"question": r.question, "value": v, "count": n,
             **{f"decision:{c}": r.by_decision[c][i] if c in r.by_decision else 0 for c in classes}}
            for r in distributions for i, (v, n) in enumerate(zip(r.values, r.counts))]
    return pd.DataFrame(rows, columns=["question", "value", "count", *[f"decision:{c}" for c in classes]])


__all__ = ["RatingDistribution", "mixed_scales", "rating_distributions", "ratings_frame", "scale_order"]
