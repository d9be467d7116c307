"""Two generations of a plan side by side: structure, theme and term shifts, priorities.

Stage: :class:`~analysis.pipeline.Analysis` (tokens, theme coding) ──compare──▶ :class:`Comparison`
(every part a pandas DataFrame).

- **Structure.** Goals, then directions, of the older plan are mapped one-to-one onto the newer
  plan's by the Hungarian assignment (``scipy.optimize.linear_sum_assignment``) on a similarity
  that is the weighted mean (``[compare] weight_*``) of: the same number (for directions: the
  same goal number and number), title similarity (Dice coefficient of character bigrams of the
  titles in match form) and content similarity (the continuity content score of
  :mod:`analysis.continuity`; for goals the best score between their directions).  An assigned
  pair less similar than ``min_similarity`` is left unmapped: the older item is ``removed``, the
  newer one ``added``; mapped items are ``same_title`` or ``changed``.  Merges, splits and
  reorganisations are the continuity graph's business; this is the one-to-one view.  So that it
  never contradicts ``gaps`` unsaid, every direction row carries ``successors`` (for an older
  direction, its successors by the continuity successor map; for an added newer one, its
  predecessors); an unpaired direction with a successor (predecessor) there is ``continued_in``
  (``continued_from``), not ``removed`` (``added``); and a ``one_to_one_view`` note counts the
  rows where the two views differ.
- **Themes and terms that grew or shrank.** Sentences of every text of each plan carrying a
  theme (or a key term) in the newer plan against the older: G² log-likelihood on the 2×2 table
  (as quanteda's ``textstat_keyness``), signed by direction; ``|G²| < min_g2`` is ``stable``.
- **Priorities (重点).** For every direction marked priority in either plan, its counterpart's
  marking: ``kept``, ``renumbered``, ``added``, ``removed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .continuity import (JOIN, Note, PlanPair, TextFeatures, continuity_options, has_term, pair_successors,
                         resolve_analysis, score_pair, stated_targets, text_features)
from .corpus import Corpus, Plan
from .errors import InputError, SettingsError
from .labels import COMPARISON_STATUS
from .textstat.keyness import g2  # the one G² (signed, no correction), also used for keyness
from .outputs import plain_value
from .textnorm import match_form

SHIFTS = ("grew", "shrank", "stable")
MAPPINGS = ("same_title", "changed", "added", "removed", "continued_in", "continued_from")
PRIORITY_CHANGES = ("kept", "renumbered", "added", "removed")
MAPPING_COLUMNS = ["older", "newer", "older_title", "newer_title", "similarity", "number", "title", "content",
                   "status"]
#: The direction mapping also lists where the continuity findings say each direction went.
DIRECTION_COLUMNS = MAPPING_COLUMNS + ["successors"]
SHIFT_COLUMNS = ["subject", "older_count", "newer_count", "older_sentences", "newer_sentences", "g2", "status"]
PRIORITY_COLUMNS = ["older", "newer", "title", "older_priority", "newer_priority", "status"]

if TYPE_CHECKING:
    import pandas as pd

    from .pipeline import Analysis
    from .themes import Lexicon
    from .tokens import Tokens


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two titles (in match form).

    Parameters
    ----------
    a, b : str
        Titles.

    Returns
    -------
    float
        1.0 for the same title in match form, 0.0 when no bigram is shared.

    >>> bigram_dice("地域力の向上", "地域力の向上")
    1.0
    >>> round(bigram_dice("相談体制の充実", "総合相談支援の推進"), 3)
    0.143
    """
    a, b = match_form(a), match_form(b)
    if a == b:
        return 1.0
    ga = [a[i:i + 2] for i in range(len(a) - 1)] or [a]
    gb = [b[i:i + 2] for i in range(len(b) - 1)] or [b]
    common = 0
    rest = list(gb)
    for g in ga:
        if g in rest:
            rest.remove(g)
            common += 1
    return 2 * common / (len(ga) + len(gb)) if ga and gb else 0.0


@dataclass
class Comparison:
    """Two plans compared (``older`` and ``newer`` are plan ids); each part a DataFrame, plus the
    ``[compare]`` and ``[continuity]`` settings that made it.

    ``goals`` and ``directions``: the one-to-one mapping (``MAPPING_COLUMNS``; directions
    ``DIRECTION_COLUMNS``); ``themes`` and ``terms``: the shifts (``SHIFT_COLUMNS``);
    ``priorities``: the 重点 changes (``PRIORITY_COLUMNS``); ``notes`` how to read it
    (:class:`~analysis.continuity.Note`).
    """

    older: str
    newer: str
    goals: "pd.DataFrame"
    directions: "pd.DataFrame"
    themes: "pd.DataFrame"
    terms: "pd.DataFrame"
    priorities: "pd.DataFrame"
    settings: dict = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    PARTS = ("goals", "directions", "themes", "terms", "priorities")

    def frames(self) -> "dict[str, pd.DataFrame]":
        """Every part by name, in ``PARTS`` order."""
        return {name: getattr(self, name) for name in self.PARTS}

    def to_dict(self) -> dict:
        """The JSON form: ids, settings and every part as a list of plain records."""
        out = {"older": self.older, "newer": self.newer, "settings": self.settings,
               "notes": [n.to_dict() for n in self.notes]}
        for name, frame in self.frames().items():
            out[name] = [{k: plain_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return out


def _chain(corpus: Corpus, owner: str | None) -> list[Plan]:
    """The plans compare chooses from: the corpus's, or ``owner``'s chain; a corpus of several
    owners needs one named."""
    chains = corpus.chains()
    if owner is None:
        if len(chains) > 1:
            raise InputError(f"corpus {corpus.name!r} holds the plans of {len(chains)} owners; "
                             "choose one with --owner", field="owner")
        return corpus.plans
    try:
        return corpus.chain(owner)
    except KeyError:
        have = ", ".join(o or "(none)" for o in list(chains)[:5]) + (", …" if len(chains) > 5 else "")
        raise InputError(f"no plans of owner {owner!r} in corpus {corpus.name!r}; owners: {have}",
                         field="owner") from None


def _plan_of(plans: list[Plan], generation: int, corpus: Corpus) -> Plan:
    for plan in plans:
        if plan.generation == generation:
            return plan
    have = ", ".join(str(g) for g in sorted({p.generation for p in plans})) or "none"
    raise InputError(f"no plan of generation {generation} in corpus {corpus.name!r}; generations: {have}",
                     field="generation")


def _options(settings: Any) -> dict:
    options = settings.section("compare")
    weights = [options["weight_number"], options["weight_title"], options["weight_content"]]
    if min(weights) < 0 or sum(weights) <= 0:
        raise SettingsError("weights must be ≥ 0 and not all 0", field="compare.weight_*")
    return options


def _assign(rows: list[str], cols: list[str], similarity) -> list[tuple[str | None, str | None, float]]:
    """One-to-one assignment maximizing total similarity (ties: document order)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not rows or not cols:
        return []
    matrix = np.array([[similarity(r, c) for c in cols] for r in rows], dtype=float)
    r_idx, c_idx = linear_sum_assignment(-matrix)
    return [(rows[i], cols[j], float(matrix[i, j])) for i, j in zip(r_idx, c_idx)]


def _mapping_rows(kind, older_items, newer_items, similarity, title, options, parts):
    """Rows for a one-to-one mapping: mapped pairs ≥ min_similarity, the rest added/removed."""
    pairs = [(a, b, s) for a, b, s in _assign(list(older_items), list(newer_items), similarity)
             if s >= options["min_similarity"]]
    mapped_old = {a: (b, s) for a, b, s in pairs}
    mapped_new = {b for _, b, _ in pairs}
    rows = []
    for a in older_items:
        if a in mapped_old:
            b, s = mapped_old[a]
            status = "same_title" if match_form(title[a]) == match_form(title[b]) else "changed"
            rows.append({"older": a, "newer": b, "older_title": title[a], "newer_title": title[b],
                         "similarity": round(s, 6), **parts(a, b), "status": status})
        else:
            rows.append({"older": a, "newer": "", "older_title": title[a], "newer_title": "",
                         "similarity": 0.0, **parts(a, None), "status": "removed"})
    for b in newer_items:
        if b not in mapped_new:
            rows.append({"older": "", "newer": b, "older_title": "", "newer_title": title[b],
                         "similarity": 0.0, **parts(None, b), "status": "added"})
    return rows


def _generations(corpus: Corpus, older: int | None, newer: int | None, owner: str | None) -> tuple[Plan, Plan]:
    """The two plans to compare (default: the last two generations of the chain)."""
    plans = _chain(corpus, owner)
    generations = sorted({p.generation for p in plans})
    if older is None or newer is None:
        if len(generations) < 2:
            raise InputError(f"corpus {corpus.name!r} has fewer than two generations to compare")
        older = generations[-2] if older is None else older
        newer = generations[-1] if newer is None else newer
    if older == newer:
        raise InputError("compare needs two different generations", field="generation")
    return _plan_of(plans, older, corpus), _plan_of(plans, newer, corpus)


def _weighted(w: tuple[float, float, float], parts: Callable[[Any, Any], dict]) -> Callable[[Any, Any], float]:
    """The similarity of two items: the weighted mean of their number, title and content parts."""
    total = sum(w)

    def similarity(a, b) -> float:
        p = parts(a, b)
        return (w[0] * p["number"] + w[1] * p["title"] + w[2] * p["content"]) / total

    return similarity


def _goal_rows(old_plan: Plan, new_plan: Plan, score: dict, w: tuple, options: dict) -> list[dict]:
    old_goals = {g.id: g for g in old_plan.goals}
    new_goals = {g.id: g for g in new_plan.goals}
    goal_title = {gid: (g.title or g.label) for gid, g in {**old_goals, **new_goals}.items()}

    def goal_parts(a, b):
        if a is None or b is None:
            return {"number": 0.0, "title": 0.0, "content": 0.0}
        ga, gb = old_goals[a], new_goals[b]
        number = 1.0 if ga.number is not None and ga.number == gb.number else 0.0
        title = max(bigram_dice(ga.title, gb.title), bigram_dice(ga.label, gb.label) if ga.label and gb.label else 0.0)
        content = max((score.get((da.id, db.id), 0.0) for da in ga.directions for db in gb.directions), default=0.0)
        return {"number": number, "title": round(title, 6), "content": round(content, 6)}

    return _mapping_rows("goal", old_goals, new_goals, _weighted(w, goal_parts), goal_title, options, goal_parts)


def _direction_rows(old_plan: Plan, new_plan: Plan, score: dict, w: tuple, options: dict) -> list[dict]:
    old_dirs = {d.id: d for d in old_plan.directions()}
    new_dirs = {d.id: d for d in new_plan.directions()}
    dir_title = {did: d.title for did, d in {**old_dirs, **new_dirs}.items()}

    def dir_parts(a, b):
        if a is None or b is None:
            return {"number": 0.0, "title": 0.0, "content": 0.0}
        da, db = old_dirs[a], new_dirs[b]
        number = 1.0 if (da.number is not None and da.goal_number == db.goal_number and da.number == db.number) else 0.0
        return {"number": number, "title": round(bigram_dice(da.title, db.title), 6),
                "content": round(score.get((a, b), 0.0), 6)}

    return _mapping_rows("direction", old_dirs, new_dirs, _weighted(w, dir_parts), dir_title, options, dir_parts)


def _shift_frame(subjects: list, old_s: list, new_s: list, options: dict) -> "pd.DataFrame":
    """Per subject ``(name, has)``: sentences carrying it in each plan and the signed G²."""
    import pandas as pd

    rows = []
    for name, has in subjects:
        a = sum(1 for s in new_s if has(s))
        b = sum(1 for s in old_s if has(s))
        if a == 0 and b == 0:
            continue
        value = g2(a, b, len(new_s), len(old_s))
        status = "stable" if abs(value) < options["min_g2"] else ("grew" if value > 0 else "shrank")
        rows.append({"subject": name, "older_count": b, "newer_count": a, "older_sentences": len(old_s),
                     "newer_sentences": len(new_s), "g2": value, "status": status})
    rows.sort(key=lambda r: (-r["g2"], r["subject"]))
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def _shift_frames(old_plan: Plan, new_plan: Plan, features: TextFeatures,
                  options: dict) -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Theme and key-term shifts over the sentences of every text of each plan."""
    def sentences_of(plan):
        return [s for d in plan.directions() for s in features.sentences.get(d.id, [])]

    old_s, new_s = sentences_of(old_plan), sentences_of(new_plan)
    themes = _shift_frame([(t, lambda s, t=t: t in s.themes) for t in features.themes], old_s, new_s, options)
    terms = _shift_frame([(label, lambda s, k=key: has_term(s, k)) for key, label in sorted(features.key_terms.items())],
                         old_s, new_s, options)
    return themes, terms


def _priority_frame(old_plan: Plan, new_plan: Plan, dir_rows: list[dict]) -> "pd.DataFrame":
    """重点 of either plan against its counterpart's (by the direction mapping)."""
    import pandas as pd

    old_dirs = {d.id: d for d in old_plan.directions()}
    new_dirs = {d.id: d for d in new_plan.directions()}
    counterpart_new = {r["older"]: r["newer"] for r in dir_rows if r["older"] and r["newer"]}
    counterpart_old = {v: k for k, v in counterpart_new.items()}
    rows = []
    for did, d in old_dirs.items():
        if d.priority:
            other = counterpart_new.get(did, "")
            op = new_dirs[other].priority if other else None
            status = "removed" if not op else ("kept" if op == d.priority else "renumbered")
            rows.append({"older": did, "newer": other, "title": d.title, "older_priority": d.priority,
                         "newer_priority": op, "status": status})
    for did, d in new_dirs.items():
        if d.priority:
            other = counterpart_old.get(did, "")
            if other and old_dirs[other].priority:
                continue  # reported from the older side
            rows.append({"older": other, "newer": did, "title": d.title, "older_priority": None,
                         "newer_priority": d.priority, "status": "added"})
    return pd.DataFrame(rows, columns=PRIORITY_COLUMNS).astype({"older_priority": "Int64", "newer_priority": "Int64"})


def compare_generations(corpus: Corpus, older: int | None = None, newer: int | None = None, *,
                        analysis: "Analysis | None" = None, tokens: "Tokens | None" = None,
                        settings: Any = None, lexicon: "Lexicon | None" = None,
                        owner: str | None = None) -> Comparison:
    """Compare generation ``older`` of ``corpus`` with generation ``newer`` (of ``owner``'s
    chain: a corpus of several owners needs one named).

    Parameters
    ----------
    corpus : Corpus
    older, newer : int, optional
        Generations (default: the last two of the corpus).
    analysis : Analysis, optional
        The corpus's analysis (tokens, theme coding, stop list); made from ``tokens``,
        ``settings`` and ``lexicon`` when omitted (see :func:`analysis.pipeline.analyze`).
    tokens, settings, lexicon : optional
        Only without ``analysis``.
    owner : str, optional
        The owner whose plans are compared (:meth:`Corpus.chains`).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> def plan(pid, generation, title):
    ...     d = Direction(id=f"{pid}-1-1", plan_id=pid, goal_number=1, number=1, title=title)
    ...     return Plan(id=pid, generation=generation, title=pid, goals=[Goal(pid, 1, "見守る", directions=[d])])
    >>> c = compare_generations(Corpus(name="例", plans=[plan("P1", 1, "見守り活動の推進"), plan("P2", 2, "見守り活動の推進")]))
    >>> c.directions[["older", "newer", "status"]].values.tolist()
    [['P1-1-1', 'P2-1-1', 'same_title']]
    """
    import pandas as pd

    if analysis is None and settings is None:
        from .settings import default_settings

        settings = default_settings()
    options = _options(settings if analysis is None else analysis.settings)  # refused before any work
    old_plan, new_plan = _generations(corpus, older, newer, owner)
    analysis = resolve_analysis(corpus, analysis=analysis, tokens=tokens, settings=settings, lexicon=lexicon)
    features = text_features(corpus, analysis=analysis)
    pair = score_pair(PlanPair(old_plan, new_plan), features, options=continuity_options(analysis.settings))
    score = {k: v.score for k, v in pair.scores.items()}
    w = (options["weight_number"], options["weight_title"], options["weight_content"])
    goals = pd.DataFrame(_goal_rows(old_plan, new_plan, score, w, options), columns=MAPPING_COLUMNS)
    dir_rows = _direction_rows(old_plan, new_plan, score, w, options)
    successors = pair_successors(pair, stated_targets(corpus), continuity_options(analysis.settings))
    differ = _with_successors(dir_rows, successors)
    directions = pd.DataFrame(dir_rows, columns=DIRECTION_COLUMNS)
    themes, terms = _shift_frames(old_plan, new_plan, features, options)
    made = analysis.settings.to_dict()
    notes = [Note("one_to_one_view",
                  f"施策の方向の対応は一対一の対応づけです。{len(differ)} 件（{JOIN.join(differ)}）は、"
                  "継続性の所見（施策の方向の行方・gaps）と対応が異なります（統合・分割・再編など一対一では"
                  "表せないつながり。gaps の対応は「継続性の後継・前身」の欄）")] if differ else []
    return Comparison(older=old_plan.id, newer=new_plan.id, goals=goals, directions=directions, themes=themes,
                      terms=terms, priorities=_priority_frame(old_plan, new_plan, dir_rows),
                      settings={"compare": made["compare"], "continuity": made["continuity"]}, notes=notes)


def _with_successors(rows: list[dict], successors: dict[str, list[str]]) -> list[str]:
    """Add to each direction row its ``successors`` by the continuity successor map (for an added
    newer direction: its predecessors); an unpaired direction that the map continues becomes
    ``continued_in`` (older) or ``continued_from`` (newer), never ``removed`` / ``added``.  Return
    the ids of the rows where the one-to-one mapping says otherwise than that map."""
    predecessors: dict[str, list[str]] = {}
    for source, targets in successors.items():
        for t in targets:
            predecessors.setdefault(t, []).append(source)
    differ = []
    for r in rows:
        if r["older"]:
            succ = successors.get(r["older"], [])
            r["successors"] = JOIN.join(succ)
            if (r["newer"] and r["newer"] not in succ) or (not r["newer"] and succ) or len(succ) > 1:
                differ.append(r["older"])
            if not r["newer"] and succ:
                r["status"] = "continued_in"
        else:
            pred = predecessors.get(r["newer"], [])
            r["successors"] = JOIN.join(pred)
            if pred:
                differ.append(r["newer"])
                r["status"] = "continued_from"
    return differ


def comparison_summary(comparison: Comparison) -> str:
    """A readable Japanese summary of a comparison (for the terminal).

    Parameters
    ----------
    comparison : Comparison

    Returns
    -------
    str
        Markdown-like text: goals, directions, theme shifts and priorities.
    """
    label = COMPARISON_STATUS
    lines = [f"# {comparison.older} → {comparison.newer} の比較", "", "## 基本目標の対応"]
    for r in comparison.goals.to_dict(orient="records"):
        lines.append(f"- [{label[r['status']]}] {r['older_title'] or '—'} → {r['newer_title'] or '—'}"
                     f"（類似度 {r['similarity']:.2f}）")
    lines += ["", "## 施策の方向の対応"]
    lines += [f"※ {n.message}" for n in comparison.notes if n.code == "one_to_one_view"]
    for r in comparison.directions.to_dict(orient="records"):
        after = f"（継続性の後継: {r['successors']}）" if r["older"] and r.get("successors") and \
            r["successors"] != r["newer"] else ""
        lines.append(f"- [{label[r['status']]}] {r['older'] or '—'} {r['older_title']} → "
                     f"{r['newer'] or '—'} {r['newer_title']}（類似度 {r['similarity']:.2f}）{after}")
    lines += ["", "## テーマの増減（G²）"]
    for r in comparison.themes.to_dict(orient="records"):
        lines.append(f"- [{label[r['status']]}] {r['subject']}: {r['older_count']} → {r['newer_count']} 文"
                     f"（G² {r['g2']:+.2f}）")
    lines += ["", "## 重点取組の変化"]
    if comparison.priorities.empty:
        lines.append("- 重点取組の指定はありません")
    for r in comparison.priorities.to_dict(orient="records"):
        before = "—" if plain_value(r["older_priority"]) is None else f"重点{r['older_priority']}"
        after = "—" if plain_value(r["newer_priority"]) is None else f"重点{r['newer_priority']}"
        lines.append(f"- [{label[r['status']]}] {r['title']}: {before} → {after}")
    return "\n".join(lines) + "\n"


def notes_summary(notes: "list[Note]") -> str:
    """The text ``compare`` prints where no comparison can be made: one line per note.

    >>> print(notes_summary([Note("single_period", "比較はできません")]), end="")
    ※ 比較はできません
    """
    return "".join(f"※ {n.message}\n" for n in notes)


__all__ = ["Comparison", "compare_generations", "comparison_summary", "notes_summary", "bigram_dice", "g2", "JOIN",
           "DIRECTION_COLUMNS"]
