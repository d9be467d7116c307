"""What the corpus cannot support: the plan pairs continuity may compare, and one-line notes
(a stable English ``code`` and a Japanese ``message`` for planners) where a section cannot be
computed.

Successors, same_title / renamed / merged / split / reorganised, dropped and new themes and the
problems taken up are computed only between consecutive generations (periods) whose plans both
hold directions with text (:func:`comparable_pairs`).  Everything else is a :class:`Note`
(:func:`continuity_notes`), shown by ``gaps``, ``compare`` and the report, never an empty output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from ..notes import Note
from .scoring import PlanPair

if TYPE_CHECKING:
    from ..corpus import Corpus, Plan

#: Codes a note may carry (stable: scripts read them from ``--json``).
NOTE_CODES = ("single_period", "no_directions_with_text", "no_evaluations", "problems_not_judged", "one_to_one_view",
              "several_owners")


def holds_directions_with_text(plan: "Plan") -> bool:
    """Whether a plan has at least one direction with a title, initiative, evaluation or
    description that is not blank.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    bool

    Examples
    --------
    >>> from analysis.corpus import Plan, Goal, Direction
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動の推進")
    >>> holds_directions_with_text(Plan(id="P1", generation=1, title="第1次", goals=[Goal("P1", 1, "見守る", directions=[d])]))
    True
    >>> holds_directions_with_text(Plan(id="P2", generation=2, title="第2次"))
    False
    """
    return any(text.strip() for d in plan.directions()
               for text in (d.title, d.evaluation, d.text, *d.initiatives))


def holds_evaluations(plan: "Plan") -> bool:
    """Whether a plan (a Plan) has a direction with an evaluation text: theme, term and problem
    findings read the past plan's evaluations, so a pair whose past plan has none gets a
    ``no_evaluations`` note instead.  An evaluation text is what :func:`analysis.units.text_units`
    makes an ``evaluation`` unit of: the 評価, a labelled text (担当課, 課長 …) or a rating's reason.

    >>> from analysis.corpus import Direction, EvaluationText, Goal, Plan
    >>> holds_evaluations(Plan(id="P1", generation=1, title="第1次"))
    False
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り訪問事業",
    ...               texts=[EvaluationText(label="担当課", text="担い手が不足している。")])
    >>> holds_evaluations(Plan(id="P1", generation=1, title="令和5年度", goals=[Goal("P1", 1, "", directions=[d])]))
    True
    """
    return any(d.evaluation_texts() or any(r.reason.strip() for r in d.ratings) for d in plan.directions())


def _by_generation(plans: Iterable["Plan"]) -> dict[int, list["Plan"]]:
    out: dict[int, list["Plan"]] = {}
    for plan in plans:
        out.setdefault(plan.generation, []).append(plan)
    return dict(sorted(out.items()))


def _consecutive(corpus: "Corpus") -> Iterator[tuple["Plan", "Plan"]]:
    """Every (past, next) of consecutive generations within one owner's chain; several plans
    of one generation of a chain pair up with every plan of the next."""
    for plans in corpus.chains().values():
        groups = list(_by_generation(plans).values())
        for older, newer in zip(groups, groups[1:]):
            for past in older:
                for nxt in newer:
                    yield past, nxt


def comparable_pairs(corpus: "Corpus") -> list[PlanPair]:
    """Consecutive generations of each owner's chain (:meth:`Corpus.chains`) whose plans both
    hold directions with text.  Plans of different owners are never paired, so the pairs grow
    with the number of plans, not with its square.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    list of PlanPair
        Chain by chain (corpus order of the owners), in generation order, then corpus order.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> def plan(pid, generation, owner):
    ...     d = Direction(id=f"{pid}-1-1", plan_id=pid, goal_number=1, number=1, title="見守り活動の推進")
    ...     return Plan(id=pid, generation=generation, title=pid, owner=owner, goals=[Goal(pid, 1, "見守る", directions=[d])])
    >>> c = Corpus(name="例", plans=[plan("O1-P1", 1, "甲市"), plan("O2-P1", 1, "乙町"), plan("O1-P2", 2, "甲市"), plan("O2-P2", 2, "乙町")])
    >>> [p.name for p in comparable_pairs(c)]
    ['O1-P1→O1-P2', 'O2-P1→O2-P2']
    """
    return [PlanPair(past, nxt) for past, nxt in _consecutive(corpus)
            if holds_directions_with_text(past) and holds_directions_with_text(nxt)]


def _single_period() -> Note:
    return Note("single_period", "この資料には計画の世代（期間）が一つしかないため、継続・新規・廃止の比較はできません")


def continuity_notes(corpus: "Corpus", *, problems: Iterable[dict] = ()) -> list[Note]:
    """Notes on what the continuity findings of ``corpus`` cannot say.

    Parameters
    ----------
    corpus : Corpus
    problems : iterable of dict, optional
        The problem stance records (``direction`` keys); those of a plan with no comparable next
        plan are counted in a ``problems_not_judged`` note.

    Returns
    -------
    list of Note
        ``single_period`` (one generation only), ``no_directions_with_text`` (per pair of
        consecutive generations one of which holds no direction with text), ``no_evaluations``
        (per compared pair whose past plan has no evaluation: no theme or term findings),
        ``problems_not_judged``.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動の推進")
    >>> c = Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次", goals=[Goal("P1", 1, "見守る", directions=[d])])])
    >>> [n.code for n in continuity_notes(c, problems=[{"direction": "P1-1-1"}])]
    ['single_period', 'problems_not_judged']
    """
    notes: list[Note] = []
    chains = corpus.chains()
    single = [owner for owner, plans in chains.items() if len(_by_generation(plans)) < 2]
    if not chains or (len(chains) == 1 and single):
        notes.append(_single_period())
    elif single:
        named = "、".join(o or "策定主体不明" for o in single[:3]) + ("ほか" if len(single) > 3 else "")
        notes.append(Note("single_period",
                          f"策定主体 {len(chains)} のうち {len(single)}（{named}）は計画の世代が一つしかないため、"
                          "その継続・新規・廃止の比較はできません"))
    for past, nxt in _consecutive(corpus):
        empty = [p.id for p in (past, nxt) if not holds_directions_with_text(p)]
        if empty:
            notes.append(Note("no_directions_with_text",
                              f"{past.id}→{nxt.id}：{'・'.join(empty)} には本文のある施策の方向がないため、"
                              "この二つの世代の継続・新規・廃止の比較はできません"))
    for pair in comparable_pairs(corpus):
        if not holds_evaluations(pair.past):
            notes.append(Note("no_evaluations",
                              f"{pair.name}：{pair.past.id} には評価の文がないため、テーマ・重要語の継続・新規・消えたは"
                              "判定していません（施策の方向の対応のみ）"))
    judged = {d.id for pair in comparable_pairs(corpus) for d in pair.past.directions()}
    unjudged = [p for p in problems if p.get("direction") not in judged]
    if unjudged:
        notes.append(Note("problems_not_judged",
                          f"評価で挙がった課題 {len(unjudged)} 件は、比べられる次の世代の計画がこの資料にないため、"
                          "次期計画で取り上げられたかを判定していません"))
    return notes


def several_owners_note(chains: dict[str, list["Plan"]]) -> Note:
    """The note of a one-pair view (compare, the continuity diagram) on a corpus of several
    owners: it shows one owner's chain, chosen with ``--owner``."""
    return Note("several_owners",
                f"この資料には策定主体 {len(chains)} 団体の計画があります。計画世代の比較と継続性の図は"
                "策定主体ごとに行います（keikaku compare --owner 策定主体名）")


def comparison_note(corpus: "Corpus", older: int | None = None, newer: int | None = None, *,
                    owner: str | None = None) -> Note | None:
    """The note a comparison of two generations gives instead of tables, or None when they can
    be compared.

    Parameters
    ----------
    corpus : Corpus
    older, newer : int, optional
        The generations to compare (default: the last two).  Generations that do not exist are
        left to the comparison to refuse.
    owner : str, optional
        The owner whose chain is compared (:meth:`Corpus.chains`); needed when the corpus has
        several owners.

    Returns
    -------
    Note or None
        ``single_period`` (the default pair, one generation only), ``no_directions_with_text``,
        or ``several_owners`` (several owners and none chosen).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan
    >>> comparison_note(Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次")])).code
    'single_period'
    """
    chains = corpus.chains()
    if owner is None and len(chains) > 1:
        return several_owners_note(chains)
    try:
        groups = _by_generation(corpus.chain(owner) if owner is not None else corpus.plans)
    except KeyError:
        return None  # an unknown owner: the comparison refuses it, naming the owners
    if older is None and newer is None:
        if len(groups) < 2:
            return _single_period()
        older, newer = list(groups)[-2:]
    if older is None or newer is None or older not in groups or newer not in groups:
        return None
    empty = [p.id for p in groups[older] + groups[newer] if not holds_directions_with_text(p)]
    if empty:
        return Note("no_directions_with_text",
                    f"{'・'.join(empty)} には本文のある施策の方向がないため、計画世代の比較はできません")
    return None
