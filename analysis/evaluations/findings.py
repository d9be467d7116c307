"""The one-period findings: what a planner wants from a single year's (or a single plan's)
evaluations, computed from one :class:`~analysis.pipeline.Analysis` (its corpus, stances and
coded units).

* :class:`ProblemKept` — 課題を挙げながら現状維持: units with an evaluation sentence of stance
  ``issue`` or ``carried_over`` whose decision class is ``continue``, with those sentences, their
  labels (担当課, 課長 …) and source rows;
* :class:`EndingDecision` — ``end`` / ``reduce`` decisions with their reasons (the unit's
  evaluation texts and the ratings' reasons);
* theme × decision and theme × attribute cross tables (:mod:`.crosstab`: χ², expected counts,
  adjusted residuals, cells with expected < 5 flagged); a unit is a direction (事務事業), and it
  carries a theme when any of its texts does;
* rating distributions (:mod:`.ratings`).

Where a finding cannot be computed the result holds a :class:`Note` (``{code, message}``, the
message in Japanese for planners), never a silently empty table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import SettingsError, check_choice
from ..importers.decisions import CLASS_NAMES, CLASSES, UNKNOWN
from ..importers.headers import fold_header, listed
from ..notes import Note
from .crosstab import CrossTable, cross_table
from .ratings import RatingDistribution, mixed_scales, rating_distributions, ratings_frame

if TYPE_CHECKING:
    import pandas as pd

    from ..corpus import Direction, Plan
    from ..pipeline import Analysis

#: Stances that raise a problem.
PROBLEM_STANCES = ("issue", "carried_over")
#: Decision classes whose reasons are listed.
ENDING_CLASSES = ("end", "reduce")
#: Decision classes in the order tables show them.
DECISION_ORDER: tuple[str, ...] = (*CLASSES, UNKNOWN)
#: Japanese names of the decision classes (拡充, 継続・現状維持 …), for tables and figures.
DECISION_NAMES: dict[str, str] = dict(CLASS_NAMES)
#: Codes a note may carry (stable: scripts read them from ``--json``).
NOTE_CODES = ("no_evaluated_units", "no_decisions", "one_decision_class", "no_evaluation_sentences",
              "no_ratings", "no_themes", "no_attributes", "one_attribute_value", "many_attribute_values",
              "several_periods", "no_evaluations", "mixed_scales")


@dataclass(frozen=True)
class Evidence:
    """A sentence or text of a unit with its label (担当課, 課長, a rating's question) and row."""

    text: str
    label: str
    stance: str = ""
    file: str = ""
    line: int | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "label": self.label, "stance": self.stance, "file": self.file,
                "line": self.line}


@dataclass(frozen=True)
class ProblemKept:
    """A unit that raises problems in its evaluation while its decision is ``continue``."""

    direction: str
    title: str
    decision: str  # the decision as written
    problems: tuple[Evidence, ...]
    file: str = ""
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {"direction": self.direction, "title": self.title, "decision": self.decision,
                "problems": [e.to_dict() for e in self.problems], "file": self.file, "lines": list(self.lines)}


@dataclass(frozen=True)
class EndingDecision:
    """A unit decided ``end`` or ``reduce`` (``class_``), with its reasons: the evaluation texts
    (label = 担当課, 課長 …) and the ratings' reasons (label = the question, ``value`` the answer)."""

    direction: str
    title: str
    class_: str
    decision: str  # as written
    reasons: tuple[Evidence, ...]
    file: str = ""
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {"direction": self.direction, "title": self.title, "class": self.class_,
                "decision": self.decision, "reasons": [e.to_dict() for e in self.reasons],
                "file": self.file, "lines": list(self.lines)}


@dataclass
class PeriodFindings:
    """Everything :func:`period_findings` found for one plan (period)."""

    plan: str
    plan_title: str
    period: str
    units: int
    notes: list[Note] = field(default_factory=list)
    problems_kept: list[ProblemKept] = field(default_factory=list)
    endings: list[EndingDecision] = field(default_factory=list)
    decisions: dict[str, int] = field(default_factory=dict)  # class → units, in DECISION_ORDER
    themes_by_decision: CrossTable | None = None
    themes_by_attribute: dict[str, CrossTable] = field(default_factory=dict)  # header → table
    ratings: list[RatingDistribution] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)  # the headers usable as grouping variables

    def to_dict(self) -> dict:
        return {
            "plan": self.plan, "plan_title": self.plan_title, "period": self.period, "units": self.units,
            "notes": [n.to_dict() for n in self.notes],
            "problems_kept": [f.to_dict() for f in self.problems_kept],
            "endings": [f.to_dict() for f in self.endings], "decisions": dict(self.decisions),
            "themes_by_decision": self.themes_by_decision.to_dict() if self.themes_by_decision else None,
            "themes_by_attribute": {k: v.to_dict() for k, v in self.themes_by_attribute.items()},
            "ratings": [r.to_dict() for r in self.ratings], "attributes": list(self.attributes),
        }

    def frames(self) -> dict[str, "pd.DataFrame"]:
        """The findings as pandas DataFrames (see :func:`period_frames`)."""
        return period_frames(self)


def holds_period_data(corpus) -> bool:
    """Whether any unit of ``corpus`` holds a decision or a rating (what the one-period findings
    are about).

    >>> from analysis.corpus import Corpus
    >>> holds_period_data(Corpus(name="例"))
    False
    """
    return any(d.decision is not None or d.ratings for d in corpus.directions())


def _choose_plan(corpus) -> "Plan | None":
    plans = sorted(corpus.plans, key=lambda p: p.generation)
    for test in (lambda d: d.decision is not None or d.ratings, lambda d: d.evaluation_texts()):
        chosen = [p for p in plans if any(test(d) for d in p.directions())]
        if chosen:
            return chosen[-1]
    return plans[-1] if plans else None


def _lines(direction: "Direction") -> tuple[int, ...]:
    return tuple(direction.source_lines)


def categorical_attributes(directions: "list[Direction]", *, max_values: int = 20) -> list[str]:
    """The attribute headers usable as grouping variables: between 2 and ``max_values`` distinct
    non-empty values, not all of them numbers (a budget or an indicator value is not a group).

    >>> from analysis.corpus import Direction
    >>> ds = [Direction(id=f"P1-1-{i}", plan_id="P1", goal_number=1, number=i, title="事業",
    ...                 attributes={"担当課": c, "事業費": str(i * 100)}) for i, c in enumerate("AAB", 1)]
    >>> categorical_attributes(ds)
    ['担当課']
    """
    headers = list(dict.fromkeys(h for d in directions for h in d.attributes))
    out = []
    for header in headers:
        values = {d.attributes.get(header, "").strip() for d in directions} - {""}
        numeric = all(v.replace(",", "").replace(".", "", 1).lstrip("-").isdigit() for v in values)
        if 2 <= len(values) <= max_values and not numeric:
            out.append(header)
    return out


def attribute_header(name: str, headers: list[str]) -> str:
    """The attribute header ``name`` stands for, matched with line breaks and spacing ignored.

    Raises
    ------
    SettingsError
        No header matches; the message lists at most 12 of them and how many more.

    Examples
    --------
    >>> attribute_header("担当課", ["事業費#1", "担当\\n課"])
    '担当\\n課'
    """
    for header in headers:
        if fold_header(header) == fold_header(name):
            return header
    raise SettingsError(f"{name!r} is not an attribute of these units (an unmapped column); "
                        f"attributes: {listed(headers)}", field="by")


def period_findings(analysis: "Analysis", *, plan: str | None = None, by: tuple[str, ...] | None = None,
                    max_values: int = 20) -> PeriodFindings:
    """The one-period findings of one plan of the analysis's corpus.

    Parameters
    ----------
    analysis : Analysis
        :func:`analysis.pipeline.analyze` of the corpus (its stances and coded units are used).
    plan : str, optional
        The plan id (default: the last plan holding decisions or ratings; failing that, the last
        holding evaluation texts).
    by : tuple of str, optional
        Attribute headers to cross-tabulate themes by (default: every categorical attribute,
        :func:`categorical_attributes`); ``()`` for none.
    max_values : int, default 20
        An attribute with more distinct values than this is not cross-tabulated (a note says so).

    Returns
    -------
    PeriodFindings

    Raises
    ------
    SettingsError
        ``plan`` is not a plan of the corpus, or ``by`` names a header no unit has while
        the plan has attributes (:func:`attribute_header`).
    """
    corpus = analysis.corpus
    if plan is not None:
        check_choice("plan", plan, tuple(p.id for p in corpus.plans))
        chosen = corpus.plan(plan)
    else:
        chosen = _choose_plan(corpus)
    if chosen is None:
        return PeriodFindings(plan="", plan_title="", period="", units=0,
                              notes=[Note("no_evaluated_units", "この資料には評価の単位（施策の方向・事務事業）がありません")])
    directions = list(chosen.directions())
    result = PeriodFindings(plan=chosen.id, plan_title=chosen.title, period=chosen.period, units=len(directions))
    notes = result.notes
    if len(corpus.plans) > 1:
        notes.append(Note("several_periods", f"この資料には計画・年度が {len(corpus.plans)} つあり、ここでは "
                          f"{chosen.id}（{chosen.title}）の評価だけを集計しています"))
    if not directions:
        notes.append(Note("no_evaluated_units", f"{chosen.id} には評価の単位（施策の方向・事務事業）がありません"))
        return result
    if not any(d.decision is not None or d.ratings or d.evaluation_texts() for d in directions):
        # a next plan alone, or a plan imported without its evaluation columns: nothing to tally
        notes.append(Note("no_evaluations", f"{chosen.id}（{chosen.title}）には評価（評価の文・今後の方向性・"
                          "評価項目）がないため、単年度の評価は集計できません"))
        return result
    ids = {d.id for d in directions}
    decided = [d for d in directions if d.decision is not None]
    classes = [d.decision.class_ for d in decided]
    result.decisions = {c: classes.count(c) for c in DECISION_ORDER if c in classes}
    stances = [s for s in analysis.stances if s.get("direction") in ids]
    if not decided:
        notes.append(Note("no_decisions", "今後の方向性（判断）の列がないため、課題を挙げながら現状維持の事業、"
                          "終了・縮小の理由、テーマ×今後の方向性の表は示せません"))
    else:
        if len(result.decisions) == 1:
            only = CLASS_NAMES.get(classes[0], classes[0])
            notes.append(Note("one_decision_class", f"今後の方向性がすべて「{only}」のため、"
                              "テーマ×今後の方向性の χ² は計算できません（件数のみ）"))
        if not stances:
            notes.append(Note("no_evaluation_sentences", "評価の文がないため、課題を挙げながら現状維持の事業は判定できません"))
        result.problems_kept = _problems_kept(analysis, decided, stances)
        result.endings = _endings(decided)
    carried = _carried_themes(analysis, ids)
    themes = [t for t in analysis.coded.theme_names if any(t in c for c in carried.values())]
    if not themes:
        notes.append(Note("no_themes", "テーマ辞書のテーマを含む評価の単位がないため、テーマのクロス表は示せません"))
    if decided and themes:
        result.themes_by_decision = cross_table(
            carried, {d.id: d.decision.class_ for d in decided}, rows=themes, columns=DECISION_ORDER,
            variable="decision")
    result.attributes = categorical_attributes(directions, max_values=max_values)
    headers = list(dict.fromkeys(h for d in directions for h in d.attributes))
    if not headers:
        notes.append(Note("no_attributes", "対応づけていない列（担当課などの属性）がないため、テーマ×属性の表は示せません"))
    else:
        for header in (result.attributes if by is None else [attribute_header(h, headers) for h in by]):
            values = {d.attributes.get(header, "").strip() for d in directions} - {""}
            if len(values) > max_values:
                notes.append(Note("many_attribute_values", f"属性「{header}」は値が {len(values)} 種類あり、"
                                  f"{max_values} 種類を超えるためクロス表にしていません"))
                continue
            if len(values) < 2:
                notes.append(Note("one_attribute_value", f"属性「{header}」の値が一種類以下のため、"
                                  "テーマとのクロス表の χ² は計算できません"))
            if themes:
                result.themes_by_attribute[header] = cross_table(
                    carried, {d.id: d.attributes.get(header, "").strip() for d in directions}, rows=themes,
                    variable=header)
    result.ratings = rating_distributions(directions, decision_order=DECISION_ORDER)
    if not result.ratings:
        notes.append(Note("no_ratings", "評価項目の回答（A〜D、◎○△× など）の列がないため、評価の分布は示せません"))
    for r in result.ratings:
        if mixed_scales(r.values):
            notes.append(Note("mixed_scales", f"評価項目「{r.question}」の回答には尺度の違う値が混じっています（"
                              + "、".join(r.values) + "）。尺度ごとに並べましたが、値どうしは比べられません"))
    return result


def _carried_themes(analysis: "Analysis", ids: set[str]) -> dict[str, set[str]]:
    carried: dict[str, set[str]] = {}
    for plan in analysis.corpus.plans:
        for d in plan.directions():
            if d.id in ids:
                carried.setdefault(d.id, set())
    for coded in analysis.coded:
        if coded.unit.direction_id in carried:
            carried[coded.unit.direction_id].update(coded.themes)
    return carried


def _problems_kept(analysis: "Analysis", decided: "list[Direction]", stances: list[dict]) -> list[ProblemKept]:
    labels = {u.id: (u.label, u.file) for u in analysis.tokens.units}
    by_direction: dict[str, list[dict]] = {}
    for s in stances:
        if s.get("stance") in PROBLEM_STANCES:
            by_direction.setdefault(s.get("direction"), []).append(s)
    out = []
    for d in decided:
        if d.decision.class_ != "continue" or d.id not in by_direction:
            continue
        problems = tuple(Evidence(text=s["sentence"], label=labels.get(s["unit"], ("", ""))[0], stance=s["stance"],
                                  file=labels.get(s["unit"], ("", ""))[1] or d.source_file, line=s.get("line"))
                         for s in by_direction[d.id])
        out.append(ProblemKept(direction=d.id, title=d.title, decision=d.decision.label, problems=problems,
                               file=d.source_file, lines=_lines(d)))
    return out


def _endings(decided: "list[Direction]") -> list[EndingDecision]:
    out = []
    line = lambda d: d.source_lines[0] if d.source_lines else None  # noqa: E731
    for d in decided:
        if d.decision.class_ not in ENDING_CLASSES:
            continue
        reasons = [Evidence(text=t.text, label=t.label, file=d.source_file, line=line(d)) for t in d.evaluation_texts()]
        reasons += [Evidence(text=r.reason, label=f"{r.question}（{r.value}）", file=d.source_file, line=line(d))
                    for r in d.ratings if r.reason.strip()]
        out.append(EndingDecision(direction=d.id, title=d.title, class_=d.decision.class_, decision=d.decision.label,
                                  reasons=tuple(reasons), file=d.source_file, lines=_lines(d)))
    return out


def period_frames(findings: PeriodFindings) -> dict[str, "pd.DataFrame"]:
    """The findings as pandas DataFrames, for notebooks and CSV.

    Returns
    -------
    dict of str to DataFrame
        ``problems_kept`` and ``endings`` (one row per sentence), ``themes_by_decision`` and
        ``themes_by_attribute`` (one row per theme × value, see :meth:`CrossTable.frame`; the
        attribute's header in column ``variable``), ``ratings``, ``notes``.  A table that cannot
        be computed is an empty frame with its columns (the reason is in ``notes``).
    """
    import pandas as pd

    def sentences(items, key: str, extra: str) -> "pd.DataFrame":
        columns = ["direction", "title", "decision", extra, "label", "text", "stance", "file", "line"]
        rows = [{"direction": f.direction, "title": f.title, "decision": f.decision,
                 extra: getattr(f, "class_", "continue"), "label": e.label, "text": e.text, "stance": e.stance,
                 "file": e.file, "line": e.line}
                for f in items for e in getattr(f, key)]
        return pd.DataFrame(rows, columns=columns).astype({"line": "Int64"})

    empty_cross = cross_table({}, {}, rows=[]).frame()
    by_decision = (findings.themes_by_decision.frame() if findings.themes_by_decision is not None else empty_cross)
    attributes = [t.frame().assign(variable=h) for h, t in findings.themes_by_attribute.items()]
    by_attribute = pd.concat(attributes, ignore_index=True) if attributes else empty_cross.assign(variable="")
    return {
        "problems_kept": sentences(findings.problems_kept, "problems", "class"),
        "endings": sentences(findings.endings, "reasons", "class"),
        "themes_by_decision": by_decision,
        "themes_by_attribute": by_attribute[["variable", *empty_cross.columns]],
        "ratings": ratings_frame(findings.ratings),
        "notes": pd.DataFrame([n.to_dict() for n in findings.notes], columns=["code", "message"]),
    }


__all__ = ["DECISION_NAMES", "DECISION_ORDER", "ENDING_CLASSES", "NOTE_CODES", "PROBLEM_STANCES", "EndingDecision", "Evidence",
           "Note", "PeriodFindings", "ProblemKept", "attribute_header", "categorical_attributes", "holds_period_data",
           "period_findings", "period_frames"]
