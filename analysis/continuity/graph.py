"""The continuity graph (nodes and edges: see the package docstring) and the state findings read.

:func:`build_continuity_graph` computes everything once — text features, scored plan pairs,
problems — and keeps it on the graph as one frozen :class:`ContinuityState` under
:data:`STATE_KEY` (graph writers drop keys that start with ``_``, so files never carry it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..corpus import Corpus, Direction
from ..errors import InputError
from .features import TextFeatures, has_term, problems_of, resolve_analysis, text_features
from .notes import Note, comparable_pairs, continuity_notes
from .options import JOIN, continuity_options
from .scoring import LinkScore, PairData, score_pair

if TYPE_CHECKING:
    import networkx as nx

    from ..pipeline import Analysis
    from ..themes import Lexicon
    from ..tokens import Tokens

#: The key of ``graph.graph`` that holds the :class:`ContinuityState`.
STATE_KEY = "_continuity"


@dataclass(frozen=True)
class ContinuityState:
    """Everything findings need beyond the graph, complete when the graph is made.

    ``corpus`` and ``analysis`` (its tokens, theme coding, stances, stop list, cues) are what the
    graph was made from; ``features`` the per-sentence text features; ``pairs`` the scored plan
    pairs in corpus order; ``problems`` the problem stance records; ``options`` the checked
    ``[continuity]`` section; ``settings`` every setting as plain data.
    """

    corpus: Corpus
    analysis: "Analysis"
    features: TextFeatures
    pairs: tuple[PairData, ...]
    problems: tuple[dict, ...]
    options: Mapping[str, Any]
    settings: dict
    notes: tuple[Note, ...] = ()


ContinuityData = ContinuityState  # the name before the stage became a package


def continuity_state(graph: "nx.DiGraph") -> ContinuityState:
    """The :class:`ContinuityState` of a graph made by :func:`build_continuity_graph`.

    Parameters
    ----------
    graph : networkx.DiGraph

    Returns
    -------
    ContinuityState

    Raises
    ------
    InputError
        When the graph was not made in memory by :func:`build_continuity_graph` (e.g. read from
        a file).
    """
    state = graph.graph.get(STATE_KEY)
    if not isinstance(state, ContinuityState):
        raise InputError("this graph was not made by build_continuity_graph (or was read from a file); "
                         "findings need the corpus: pass the Corpus instead")
    return state


def as_graph(graph_or_corpus: "nx.DiGraph | Corpus", **kwargs: Any) -> "nx.DiGraph":
    """The continuity graph to read.

    Parameters
    ----------
    graph_or_corpus : networkx.DiGraph or Corpus
    **kwargs
        Passed to :func:`build_continuity_graph` when a Corpus is given.

    Returns
    -------
    networkx.DiGraph
        ``graph_or_corpus`` itself, or the graph of the Corpus.
    """
    if isinstance(graph_or_corpus, Corpus):
        return build_continuity_graph(graph_or_corpus, **kwargs)
    return graph_or_corpus


#: The plan pairs continuity compares (the name before :mod:`.notes` filtered them by text).
plan_pairs = comparable_pairs


@dataclass(frozen=True)
class StatedLink:
    """A link the document states: whether a row says 再掲 (``relisted``) and the source lines."""

    relisted: bool = False
    lines: tuple[int, ...] = ()


def stated_links(corpus: Corpus) -> dict[tuple[str, str], StatedLink]:
    """The links the document states.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    dict
        ``(source, target) → StatedLink``, in corpus order (a link stated twice is one entry:
        relisted when either row is, with both lines).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Link
    >>> stated_links(Corpus(name="例", plans=[], links=[Link("P1-1-1", "P2-1-1", line=3)]))
    {('P1-1-1', 'P2-1-1'): StatedLink(relisted=False, lines=(3,))}
    """
    stated: dict[tuple[str, str], StatedLink] = {}
    for link in corpus.links:
        if link.kind != "stated":
            continue
        seen = stated.get((link.source, link.target), StatedLink())
        stated[(link.source, link.target)] = StatedLink(
            relisted=seen.relisted or link.relisted,
            lines=seen.lines + ((link.line,) if link.line is not None else ()))
    return stated


def content_links(pairs: "tuple[PairData, ...] | list[PairData]", options: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The content links of scored plan pairs.

    Parameters
    ----------
    pairs : sequence of PairData
    options : mapping
        The checked ``[continuity]`` section.

    Returns
    -------
    set of (str, str)
        The (past, next) direction pairs scoring at least ``min_content_score``.
    """
    return {k for p in pairs for k, s in p.scores.items() if s.score >= options["min_content_score"]}


def content_successors(p: PairData, source: str, options: Mapping[str, Any]) -> list[str]:
    """Where a past direction went by content alone.

    Parameters
    ----------
    p : PairData
        The scored plan pair ``source`` belongs to.
    source : str
        A past direction id.
    options : mapping
        The checked ``[continuity]`` section.

    Returns
    -------
    list of str
        The best-scoring next direction and any other within ``successor_ratio`` of it, all at
        least ``min_content_score``; best first (ties by id).
    """
    ranked = sorted(((p.scores[(source, t)].score, t) for t in p.next_ids), key=lambda x: (-x[0], x[1]))
    if not ranked or ranked[0][0] < options["min_content_score"] or ranked[0][0] <= 0:
        return []
    best = ranked[0][0]
    return [t for score, t in ranked
            if score >= options["min_content_score"] and score >= best * options["successor_ratio"]]


def direction_order(corpus: Corpus) -> Callable[[str], tuple[int, str]]:
    """A sort key for direction ids.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    callable
        ``id → key`` putting ids in corpus order (ids not in the corpus last, by id).
    """
    order = {d.id: i for i, d in enumerate(corpus.directions())}
    return lambda did: (order.get(did, len(order)), did)


def _first_line(direction: Direction) -> int:
    return direction.source_lines[0] if direction.source_lines else 0


def build_continuity_graph(corpus: Corpus, *, analysis: "Analysis | None" = None, tokens: "Tokens | None" = None,
                           settings: Any = None, lexicon: "Lexicon | None" = None,
                           stances: list[dict] | None = None) -> "nx.DiGraph":
    """The continuity graph of ``corpus`` (see the package docstring for nodes and edges).

    Parameters
    ----------
    corpus : Corpus
    analysis : Analysis, optional
        The corpus's analysis (tokens, theme coding, stances, stop list); made from ``tokens``,
        ``settings`` and ``lexicon`` when omitted (see :func:`analysis.pipeline.analyze`).
    tokens, settings, lexicon : optional
        Only without ``analysis``.
    stances : list of dict, optional
        Evaluation stances to use instead of the analysis's.

    Returns
    -------
    networkx.DiGraph
        With its :class:`ContinuityState` under ``graph.graph[STATE_KEY]``.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction, Link
    >>> from analysis.continuity import findings
    >>> past = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="見守り活動の推進",
    ...                  evaluation="見守りの担い手不足が課題となった。")
    >>> new = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="見守り活動の充実",
    ...                 text="見守りの担い手を育てる。")
    >>> corpus = Corpus(name="例", plans=[
    ...     Plan(id="P2", generation=2, title="第2次", goals=[Goal("P2", 1, "見守る", directions=[past])]),
    ...     Plan(id="P3", generation=3, title="第3次", role="next",
    ...          goals=[Goal("P3", 1, "見守る", directions=[new])])],
    ...     links=[Link("P2-1-1", "P3-1-1")])
    >>> g = build_continuity_graph(corpus)
    >>> g.edges["P2-1-1", "P3-1-1"]["stated"], g.edges["P2-1-1", "P3-1-1"]["content"]
    (True, True)
    >>> [(f.status, f.next) for f in findings(g) if f.kind == "problem"]
    [('taken_up', ['P3-1-1'])]
    """
    import networkx as nx

    analysis = resolve_analysis(corpus, analysis=analysis, tokens=tokens, settings=settings, lexicon=lexicon)
    options = continuity_options(analysis.settings)
    features = text_features(corpus, analysis=analysis)
    pairs = tuple(score_pair(pair, features, options=options) for pair in plan_pairs(corpus))
    graph = nx.DiGraph(name=corpus.name)
    _add_nodes(graph, corpus, features)
    _add_mentions(graph, corpus, features)
    _add_links(graph, corpus, pairs, options)
    problems = tuple(problems_of(analysis.stances if stances is None else stances))
    graph.graph[STATE_KEY] = ContinuityState(
        corpus=corpus, analysis=analysis, features=features, pairs=pairs, problems=problems,
        options=options, settings=analysis.settings.to_dict(),
        notes=tuple(continuity_notes(corpus, problems=problems)))
    return graph


def _add_nodes(graph: "nx.DiGraph", corpus: Corpus, features: TextFeatures) -> None:
    """Plans, goals, directions (with ``contains`` edges), themes and key terms."""
    for plan in corpus.plans:
        graph.add_node(plan.id, kind="plan", label=plan.title, plan=plan.id,
                       generation=plan.generation, role=plan.role, period=plan.period)
        for goal in plan.goals:
            graph.add_node(goal.id, kind="goal", label=goal.title or goal.label, plan=plan.id,
                           generation=plan.generation, number=goal.number or 0, short=goal.label)
            graph.add_edge(plan.id, goal.id, kind="contains", weight=1.0)
            for d in goal.directions:
                graph.add_node(d.id, kind="direction", label=d.title, plan=plan.id,
                               generation=plan.generation, goal=goal.id, number=d.number or 0,
                               priority=d.priority or 0, line=_first_line(d),
                               relisted=bool(d.relisted_lines))
                graph.add_edge(goal.id, d.id, kind="contains", weight=1.0)
    for theme in features.themes:
        graph.add_node(f"theme:{theme}", kind="theme", label=theme)
    for key, label in sorted(features.key_terms.items()):
        graph.add_node(f"term:{key}", kind="term", label=label)


def _add_mentions(graph: "nx.DiGraph", corpus: Corpus, features: TextFeatures) -> None:
    """``mentions`` edges: direction → theme / term, with the sentence count and fields."""
    for did in sorted(features.sentences, key=direction_order(corpus)):
        if did not in graph:
            continue
        theme_counts: Counter = Counter()
        term_counts: Counter = Counter()
        fields: dict[str, set] = defaultdict(set)
        for s in features.sentences[did]:
            for t in s.themes:
                theme_counts[f"theme:{t}"] += 1
                fields[f"theme:{t}"].add(s.field)
            for key in features.key_terms:
                if has_term(s, key):
                    term_counts[f"term:{key}"] += 1
                    fields[f"term:{key}"].add(s.field)
        for node, count in sorted((theme_counts + term_counts).items()):
            graph.add_edge(did, node, kind="mentions", count=count, fields=JOIN.join(sorted(fields[node])),
                           weight=float(count))


def _add_links(graph: "nx.DiGraph", corpus: Corpus, pairs: tuple[PairData, ...],
               options: Mapping[str, Any]) -> None:
    """``link`` edges: stated or content links between directions, in corpus order."""
    stated = stated_links(corpus)
    scores: dict[tuple[str, str], LinkScore] = {}
    for p in pairs:
        scores.update(p.scores)
    content = content_links(pairs, options)
    key = direction_order(corpus)
    for (source, target) in sorted(set(stated) | set(content), key=lambda st: (key(st[0]), key(st[1]))):
        info = stated.get((source, target))
        for end in (source, target):
            if graph.nodes.get(end, {}).get("kind") != "direction":
                raise InputError(f"link {source} → {target}: no direction {end!r} in the corpus",
                                 line=info.lines[0] if info and info.lines else None, field="links")
        s = scores.get((source, target))
        graph.add_edge(
            source, target, kind="link", stated=info is not None,
            relisted=bool(info and info.relisted),
            line=min(info.lines) if info and info.lines else 0,
            content=(source, target) in content,
            score=s.score if s else 0.0, shared_terms=JOIN.join(s.shared_terms) if s else "",
            weight=max(s.score if s else 0.0, 1.0 if info is not None else 0.0),
        )
