"""The findings a planner asks for: where each direction went, whether each problem was taken up,
which themes and terms continued, appeared or were dropped (rules: see the package docstring).

Everything is read from the graph's :class:`~analysis.continuity.graph.ContinuityState`; nothing
is tokenized, coded or loaded here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..textnorm import match_form
from .decisions import decided_status
from .features import SentenceInfo, has_term, sentence_words
from .graph import ContinuityState, as_graph, content_successors, continuity_state, stated_links
from .notes import holds_evaluations
from .options import DIRECTION_STATUSES, FINDING_KINDS, NEXT_FIELDS, PROBLEM_STATUSES, THEME_STATUSES
from .scoring import PairData

if TYPE_CHECKING:
    import networkx as nx

    from ..corpus import Corpus
    from ..stance import StanceCues
    from ..tokens import Sentence


@dataclass
class Finding:
    """One finding with its evidence (each ``{"direction", "sentence", "line"}``).

    ``plans`` names the plan pair (``"P2→P3"``); ``side`` says, for direction findings, whether
    it is where a past direction went (``"past"``) or where a next one came from (``"next"``);
    ``past_titles_count`` counts, for themes and terms, the past plan's title and initiative
    sentences that carry it; ``group`` lists, for a ``reorganised`` direction, every member of its
    group (past ones first); ``basis`` is ``"decision"`` where the unit's decision states the
    status (:mod:`.decisions`).
    """

    kind: str
    subject: str
    status: str
    past: list[str] = field(default_factory=list)
    next: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    past_count: int = 0
    next_count: int = 0
    shared: list[str] = field(default_factory=list)
    plans: str = ""
    side: str = ""
    past_titles_count: int = 0
    group: list[str] = field(default_factory=list)
    basis: str = ""

    def to_dict(self) -> dict:
        """The JSON form (counts grouped under ``counts``)."""
        return {"kind": self.kind, "subject": self.subject, "status": self.status,
                "past": list(self.past), "next": list(self.next),
                "evidence": [dict(e) for e in self.evidence],
                "counts": {"past": self.past_count, "next": self.next_count,
                           "past_titles": self.past_titles_count},
                "shared": list(self.shared), "plans": self.plans, "side": self.side,
                "group": list(self.group), "basis": self.basis}


def _evidence(s: SentenceInfo) -> dict:
    return {"direction": s.direction, "sentence": s.text, "line": s.line}


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def successor_map(graph: "nx.DiGraph") -> dict[str, list[str]]:
    """Where each past direction went, by the ``[continuity] successors`` rule.

    Parameters
    ----------
    graph : networkx.DiGraph
        Made by :func:`~analysis.continuity.build_continuity_graph`.

    Returns
    -------
    dict
        Past direction id → next direction ids, in document order.
    """
    state = continuity_state(graph)
    stated_by_source = stated_targets(state.corpus)
    result: dict[str, list[str]] = {}
    for p in state.pairs:
        result.update(pair_successors(p, stated_by_source, state.options))
    return result


def stated_targets(corpus: "Corpus") -> dict[str, list[str]]:
    """Past direction id → the next direction ids the document links it to, in corpus order."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for (s, t) in stated_links(corpus):
        by_source[s].append(t)
    return dict(by_source)


def pair_successors(p: PairData, stated_by_source: dict[str, list[str]], options: Any) -> dict[str, list[str]]:
    """Where each past direction of one scored plan pair went, by the ``successors`` rule.

    Parameters
    ----------
    p : PairData
    stated_by_source : dict
        :func:`stated_targets` of the corpus.
    options : mapping
        The checked ``[continuity]`` section.

    Returns
    -------
    dict
        Past direction id → next direction ids, in document order; none for a direction whose
        decision is ``end`` (:mod:`.decisions`).
    """
    next_set = set(p.next_ids)
    order = {t: i for i, t in enumerate(p.next_ids)}
    ended = {d.id: d.title for d in p.pair.past.directions() if decided_status(d) == "no_successor"}
    next_titles = {d.id: match_form(d.title) for d in p.pair.next.directions()}
    result: dict[str, list[str]] = {}
    for source in p.past_ids:
        if source in ended:
            # the unit's decision (終了・廃止) says it has none, whatever the texts say, unless the
            # next plan holds a unit of the very same name (a project decided 廃止 still listed
            # next year): that is what the data shows, and the finding says the decision differs
            title = match_form(ended[source])
            result[source] = [t for t in p.next_ids if title and next_titles.get(t) == title]
            continue
        st = sorted({t for t in stated_by_source.get(source, []) if t in next_set}, key=order.get)
        if options["successors"] == "stated":
            chosen = st
        elif options["successors"] == "content" or not st:
            chosen = sorted(content_successors(p, source, options), key=order.get)
        elif options["successors"] == "stated_refined" and len(st) > 1:
            best = max(p.scores[(source, t)].score for t in st)
            chosen = [t for t in st if p.scores[(source, t)].score >= best * options["successor_ratio"]]
        else:
            chosen = st
        result[source] = chosen
    return result


def reorganised_groups(past_ids: list[str], successors: dict[str, list[str]], *,
                       min_density: float = 1.0) -> list[tuple[list[str], list[str]]]:
    """The many-to-many groups of a plan pair: connected components of the successor graph with
    at least two past and two next directions whose links are (nearly) complete bipartite
    (links / (past × next) ≥ ``min_density``).

    Parameters
    ----------
    past_ids : list of str
        The pair's past directions, in document order.
    successors : dict
        Past direction id → next direction ids (:func:`successor_map`).
    min_density : float
        The share of the possible links a group must hold (1.0: every past direction to every
        next one).

    Returns
    -------
    list of (list of str, list of str)
        Per group its past and next members, in document order (groups by their first past
        member).

    Examples
    --------
    >>> succ = {"P2-3-1": ["P3-3-1", "P3-3-2"], "P2-3-2": ["P3-3-1", "P3-3-2"], "P2-1-1": ["P3-1-1"]}
    >>> reorganised_groups(["P2-1-1", "P2-3-1", "P2-3-2"], succ)
    [(['P2-3-1', 'P2-3-2'], ['P3-3-1', 'P3-3-2'])]
    """
    import networkx as nx

    g = nx.Graph()
    for source in past_ids:
        g.add_node(("past", source))
        for t in successors.get(source, []):
            g.add_edge(("past", source), ("next", t))
    order = {d: i for i, d in enumerate(past_ids)}
    groups = []
    for component in nx.connected_components(g):
        past = sorted((d for side, d in component if side == "past"), key=order.get)
        nxt = sorted({d for side, d in component if side == "next"})
        if len(past) < 2 or len(nxt) < 2:
            continue
        edges = sum(1 for d in past for t in successors.get(d, []) if t in nxt)
        if edges >= min_density * len(past) * len(nxt):
            first_seen: dict[str, int] = {}
            for i, d in enumerate(past):
                for t in successors.get(d, []):
                    first_seen.setdefault(t, i)
            groups.append((past, sorted(nxt, key=lambda t: (first_seen.get(t, 0), t))))
    return sorted(groups, key=lambda g: order[g[0][0]])


def _direction_findings(graph: "nx.DiGraph", state: ContinuityState,
                        successors: dict[str, list[str]]) -> list[Finding]:
    out: list[Finding] = []
    corpus_directions = {d.id: d for d in state.corpus.directions()}
    for p in state.pairs:
        predecessors: dict[str, list[str]] = defaultdict(list)
        for source in p.past_ids:
            for t in successors.get(source, []):
                predecessors[t].append(source)
        titles = {did: graph.nodes[did]["label"] for did in p.past_ids + p.next_ids}
        lines = {did: graph.nodes[did]["line"] for did in p.past_ids + p.next_ids}
        group_of: dict[str, list[str]] = {}
        for past, nxt in reorganised_groups(p.past_ids, successors, min_density=state.options["reorganised_min_density"]):
            for member in past + nxt:
                group_of[member] = past + nxt

        def same(a: str, b: str) -> bool:
            return match_form(titles[a]) == match_form(titles[b])

        def ev(ids: Iterable[str]) -> list[dict]:
            return [{"direction": d, "sentence": titles[d], "line": lines[d]} for d in ids]

        for source in p.past_ids:
            succ = successors.get(source, [])
            decided = decided_status(corpus_directions.get(source))
            if decided and succ and decided == "no_successor":  # the same name next time (pair_successors)
                status, decided = "same_title", "contradicted"
            elif decided:
                status = decided
            elif not succ:
                status = "no_successor"
            elif source in group_of:
                status = "reorganised"
            elif len(succ) > 1:
                status = "split"
            elif same(source, succ[0]):
                status = "same_title"
            elif len(predecessors[succ[0]]) > 1:
                status = "merged"
            else:
                status = "renamed"
            shared = sorted({w for t in succ for w in p.scores[(source, t)].shared_terms})
            out.append(Finding("direction", titles[source], status, [source], list(succ),
                               ev([source, *succ]), 1, len(succ), shared, p.pair.name, "past",
                               group=list(group_of.get(source, [])),
                               basis="decision_contradicted" if decided == "contradicted" else "decision" if decided else ""))
        for target in p.next_ids:
            pred = predecessors.get(target, [])
            if not pred:
                status = "new"
            elif target in group_of:
                status = "reorganised"
            elif len(pred) > 1:
                status = "merged"
            elif same(pred[0], target):
                status = "same_title"
            elif len(successors.get(pred[0], [])) > 1:
                status = "split"
            else:
                status = "renamed"
            out.append(Finding("direction", titles[target], status, list(pred), [target],
                               ev([*pred, target]), len(pred), 1, [], p.pair.name, "next",
                               group=list(group_of.get(target, []))))
    return out


def _subject_findings(state: ContinuityState) -> list[Finding]:
    features, n = state.features, state.options["evidence"]
    subjects = [("theme", t, lambda s, t=t: t in s.themes) for t in features.themes]
    subjects += [("term", label, lambda s, k=key: has_term(s, k))
                 for key, label in sorted(features.key_terms.items(), key=lambda kv: kv[1])]
    out: list[Finding] = []
    for p in state.pairs:
        if not holds_evaluations(p.pair.past):
            continue  # nothing to compare the next plan with: a no_evaluations note says so
        past_sentences = [s for d in p.past_ids for s in features.side(d, ("evaluation",))]
        past_titles = [s for d in p.past_ids for s in features.side(d, ("title", "initiative"))]
        next_sentences = [s for d in p.next_ids for s in features.side(d, NEXT_FIELDS)]
        for kind, subject, has in subjects:
            past = [s for s in past_sentences if has(s)]
            nxt = [s for s in next_sentences if has(s)]
            if not past and not nxt:
                continue
            status = "continued" if past and nxt else ("new" if nxt else "dropped")
            out.append(Finding(
                kind, subject, status,
                _unique(s.direction for s in past), _unique(s.direction for s in nxt),
                [_evidence(s) for s in past[:n]] + [_evidence(s) for s in nxt[:n]],
                len(past), len(nxt), [], p.pair.name,
                past_titles_count=sum(1 for s in past_titles if has(s))))
    return out


def problem_focus(sentence: "Sentence | None", *, settings: Any = None, cues: "StanceCues | None" = None,
                  variants: dict[str, str] | None = None) -> "Sentence | None":
    """The part of a problem sentence that states the problem: after its last contrast word
    (〜に取り組んだが、…が課題) when that part holds a stance cue, as the stance stage decides its
    scope (:func:`analysis.stance.stance_scope`); otherwise the whole sentence.

    Parameters
    ----------
    sentence : tokens.Sentence or None
        None is returned as it is.
    settings : Settings, optional
        Where the stance cues come from when ``cues`` is None (default: the bundled ones).
    cues : StanceCues, optional
    variants : dict, optional
        The variant table (default: the bundled one).

    Returns
    -------
    tokens.Sentence or None

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> problem_focus(tokenize("住民主体の活動に取り組んだが、担い手の確保が課題となつた。")[0]).text
    '担い手の確保が課題となつた。'
    """
    from ..stance import load_cues, stance_scope

    if sentence is None:
        return sentence
    if cues is None:
        cues = load_cues(settings=settings)
    return stance_scope(sentence, cues=cues, variants=variants)


def _focus_features(info: SentenceInfo, state: ContinuityState) -> tuple[frozenset[str], frozenset[str]]:
    """The features of the part of a problem sentence that states the problem, and which of them
    are compound terms (of two words or more)."""
    analysis = state.analysis
    focus = problem_focus(info.sentence, cues=analysis.cues, variants=analysis.variants)
    if focus is None or focus is info.sentence:
        return info.features, info.compounds - info.nouns
    from ..themes import match_sentence

    nouns, compounds = sentence_words(focus, analysis.stopwords)
    themes = frozenset(match_sentence(analysis.lexicon, focus, variants=analysis.variants))
    return nouns | compounds | frozenset(f"theme:{t}" for t in themes), compounds - nouns


def generic_nouns(features: Iterable[str], compounds: Iterable[str], key_terms: Iterable[str],
                  common: Iterable[str] = ()) -> frozenset[str]:
    """The generic words among a problem's features: single nouns that are no part of any of the
    corpus's key compound terms, and every feature too common in the plan pair (``common``: in
    more than ``max_df`` of its directions).  Themes (``theme:…``) and compounds are never generic
    unless too common.

    Parameters
    ----------
    features : iterable of str
        Nouns, compounds and ``theme:<name>`` features.
    compounds : iterable of str
        Which of them are compound terms.
    key_terms : iterable of str
        The corpus's key term keys (:attr:`TextFeatures.key_terms`).
    common : iterable of str, optional

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> sorted(generic_nouns(["センター", "廃止", "担い手", "担い手不足", "theme:担い手不足"], ["担い手不足"],
    ...                      ["担い手不足", "地域福祉活動"]))
    ['センター', '廃止']
    """
    compounds, keys, common = set(compounds), list(key_terms), set(common)
    return frozenset(f for f in features
                     if f in common or (not f.startswith("theme:") and f not in compounds
                                        and not any(f in key for key in keys)))


def _grounded(shared: list[str], compounds: frozenset[str], generic: frozenset[str], *, successor: bool) -> bool:
    """Whether shared features can carry a match: a shared theme or a non-generic compound term;
    for a successor of the problem's direction also a non-generic noun."""
    return any(f not in generic and (f.startswith("theme:") or f in compounds or successor) for f in shared)


def _next_bags(p: PairData, state: ContinuityState) -> tuple[dict[str, frozenset[str]], dict[str, float]]:
    """Features of each next direction of a pair and their IDF over those directions
    (``ln((1 + n) / (1 + df)) + 1``, as scikit-learn's smoothed IDF)."""
    have: dict[str, frozenset[str]] = {}
    for target in p.next_ids:
        infos = state.features.side(target, NEXT_FIELDS)
        have[target] = frozenset().union(*(s.features for s in infos))
    df = Counter(f for bag in have.values() for f in bag)
    n = len(have)
    idf = defaultdict(lambda: math.log(1 + n) + 1,
                      {f: math.log((1 + n) / (1 + k)) + 1 for f, k in df.items()})
    return have, idf


def _problem_sentence(problem: dict, state: ContinuityState) -> SentenceInfo | None:
    """The evaluation sentence a stance record is about (by its index, else by its text)."""
    candidates = state.features.side(problem.get("direction"), ("evaluation",))
    sentence, index = problem.get("sentence", ""), problem.get("index")
    if isinstance(index, int) and 0 <= index < len(candidates) and candidates[index].text == sentence:
        return candidates[index]
    return next((s for s in candidates if s.text == sentence), None)


def _problem_findings(state: ContinuityState, successors: dict[str, list[str]]) -> list[Finding]:
    options = state.options
    pair_of = {d: p for p in state.pairs for d in p.past_ids}
    next_bags: dict[str, tuple[dict[str, frozenset[str]], dict[str, float]]] = {}
    out: list[Finding] = []
    for problem in state.problems:
        source = problem.get("direction")
        p = pair_of.get(source)
        if p is None:
            continue  # the last generation's evaluations: no next plan in the corpus to judge by
        sentence = problem.get("sentence", "")
        line = problem.get("line") or 0
        info = _problem_sentence(problem, state)
        if info is None:  # a stance row whose sentence the tokens do not hold: report it unmatched
            out.append(Finding("problem", sentence, "not_taken_up", [source] if source else [], [],
                               [{"direction": source, "sentence": sentence, "line": line}], 1, 0, [],
                               p.pair.name))
            continue
        cue_text = "".join(problem.get("cues") or [])
        focus, compounds = _focus_features(info, state)
        wanted = frozenset(f for f in focus - p.common if not (cue_text and f in cue_text))
        generic = generic_nouns(wanted, compounds, state.features.key_terms, p.common)
        have, idf = next_bags.setdefault(p.pair.name, _next_bags(p, state))
        succ = successors.get(source, [])
        candidates: list[tuple[float, str, list[str]]] = []
        for target in p.next_ids:
            shared = sorted(wanted & have[target])
            needed = options["problem_min_shared"] if target in succ else options["problem_min_shared_other"]
            if needed > 0 and len(shared) >= needed and _grounded(shared, compounds, generic,
                                                                 successor=target in succ):
                candidates.append((sum(idf[f] for f in shared), target, shared))
        best_overlap = max((o for o, _, _ in candidates), default=0.0)
        takers: list[tuple[str, list[str], SentenceInfo]] = []
        for overlap, target, shared in candidates:
            if target in succ or overlap >= options["problem_ratio"] * best_overlap:
                infos = state.features.side(target, NEXT_FIELDS)
                best = max(infos, key=lambda s: (len(s.features & wanted), -infos.index(s)))
                takers.append((target, shared, best))
        shared_all = sorted({w for _, shared, _ in takers for w in shared})
        evidence = [{"direction": source, "sentence": sentence, "line": line or info.line}]
        evidence += [_evidence(best) for _, _, best in takers]
        out.append(Finding(
            "problem", sentence, "taken_up" if takers else "not_taken_up", [source],
            [t for t, _, _ in takers], evidence, 1, len(takers),
            # a theme and a word of one name (ボランティア) are named once
            list(dict.fromkeys(w.removeprefix("theme:") for w in shared_all)), p.pair.name))
    return out


_KIND_ORDER = {k: i for i, k in enumerate(FINDING_KINDS)}
_STATUS_ORDER = {s: i for i, s in enumerate(THEME_STATUSES + PROBLEM_STATUSES + DIRECTION_STATUSES)}


def findings(graph_or_corpus: "nx.DiGraph | Corpus", **kwargs: Any) -> list[Finding]:
    """Every finding: themes and terms (continued / new / dropped), problems (taken_up /
    not_taken_up) and directions (same_title / renamed / merged / split / reorganised /
    no_successor / new).

    Parameters
    ----------
    graph_or_corpus : networkx.DiGraph or Corpus
        The graph of :func:`~analysis.continuity.build_continuity_graph`, or a Corpus (then
        ``kwargs`` are passed to it).

    Returns
    -------
    list of Finding
        By plan pair, kind, then (themes, terms) status and counts, (problems, directions)
        document order.
    """
    graph = as_graph(graph_or_corpus, **kwargs)
    state = continuity_state(graph)
    subject = _subject_findings(state)
    subject.sort(key=lambda f: (f.plans, _KIND_ORDER[f.kind], _STATUS_ORDER[f.status],
                                -(f.past_count + f.next_count), f.subject))
    successors = successor_map(graph)
    rest = _problem_findings(state, successors) + _direction_findings(graph, state, successors)
    pair_rank = {p.pair.name: i for i, p in enumerate(state.pairs)}
    # stable: kind order within a pair, document order inside problems and directions
    return sorted(subject + rest, key=lambda f: (pair_rank.get(f.plans, len(pair_rank)), _KIND_ORDER[f.kind]))
