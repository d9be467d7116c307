"""The continuity graph: past-plan directions and their evaluations, linked to the next plan's
directions, with the findings a planner asks for (what is continued, new, dropped, taken up).

Stage: ``Corpus`` (+ ``Tokens``, theme coding, stances) ──continuity──▶ ``nx.DiGraph`` + findings.

The graph (:func:`build_continuity_graph`)
------------------------------------------
Nodes (attribute ``kind``; ``label`` is the Japanese text a reader sees):

- ``plan`` (id ``P2``), ``goal`` (``P2-G1``), ``direction`` (``P2-1-3``) per generation;
- ``theme`` (id ``theme:<name>``) and ``term`` (id ``term:<key>``, the corpus's key compound terms).

Edges (attribute ``kind``):

- ``contains``: plan → goal → direction;
- ``link``: a direction of one generation → a direction of the next.  ``stated`` (the document
  places it there; ``relisted`` when the row says 再掲, ``line`` the source line), ``content``
  (the texts alone say so: ``score`` ≥ ``[continuity] min_content_score``), ``score`` (always
  computed, also where the document states the link) and ``shared_terms`` (the words behind the
  score, joined with ``"、"``).  A link edge exists when it is stated or content.
- ``mentions``: direction → theme / term, with ``count`` (sentences) and ``fields``.

Every edge has a ``weight`` for Gephi and Cytoscape layouts (1 for ``contains`` and for stated
links, the score for content-only links, the count for mentions).  Every attribute is a
``str``, ``int``, ``float`` or ``bool`` so GraphML and GEXF keep it; ``0`` means "none" for
``priority`` and ``line``.

Content score
-------------
A past direction's title + initiatives + evaluation against a next direction's title +
description (+ initiatives, when a next plan has them), only between consecutive generations of
the corpus (so the work grows linearly with the number of plans)::

    score = (w_tfidf · cosine(TF-IDF) + w_themes · Jaccard(themes) + w_terms · Jaccard(terms))
            / (w_tfidf + w_themes + w_terms)

TF-IDF is fitted with scikit-learn on the project's own tokens (``analyzer=`` over content
nouns and compound terms already computed; nothing is tokenized again).  Terms shared by more
than ``max_df`` of a generation pair's directions are too common to count as shared (地域,
活動 …): this is a property of each corpus, not a word list.

Where a direction went
----------------------
Successors of a past direction are its stated links, or — when the document states none — its
content links (``successors = "stated_then_content"``, the default; ``"stated"`` and
``"content"`` use one kind only; ``"stated_refined"`` is the default except that, where the
document links one past direction to several next ones — a merged table cell often does — only
the stated links scoring within ``successor_ratio`` of its best stated link are kept).  Content successors are the best-scoring next direction and any
other within ``successor_ratio`` of the best, all at least ``min_content_score``.  Then, for a
past direction: no successor → ``no_successor``; several → ``split``; one with the same title
(compared in match form) → ``same_title``; one that has several predecessors → ``merged``;
otherwise ``renamed``.  For a next direction: no predecessor → ``new``; several → ``merged``;
one with the same title → ``same_title``; one that has several successors → ``split``; otherwise
``renamed``.

Problems
--------
Every evaluation sentence whose stance is ``issue`` or ``carried_over`` is a problem.  Its
features are the themes, content nouns and compound terms of the part that states the problem
(after the last contrast word, 〜に取り組んだが、…, when that part holds the stance cue, as the
stance stage scopes it), minus the cue's own words (課題 …) and the too-common words.  A next
direction takes it up when it shares at least ``problem_min_shared`` features with it and is a
successor of the problem's direction (the document's link or the content link), or — any other
next direction — at least ``problem_min_shared_other`` features whose summed IDF (over the next
plan's directions) is at least ``problem_ratio`` of the best such overlap.  No such direction →
``not_taken_up``.  Problems of a plan with no next generation in the corpus are not judged
(there is nothing to take them up).  The evidence is the problem sentence and, per taking
direction, its sentence sharing most features.

Themes and terms
----------------
Per theme and per key term (whole or nested in a longer compound), sentences of the past
plan's evaluations against sentences of the next plan's titles and descriptions: ``continued``
(both), ``new`` (next only), ``dropped`` (past only), with the counts of both sides and up to
``evidence`` example sentences per side.  ``past_titles_count`` says how often the past plan's
titles and initiatives carried it, so a "new" theme that the old plan named but never evaluated
is visible as such.

What the document states against what the texts say
----------------------------------------------------
:func:`agreement_frame`: per past direction, its stated links, its content links and the best
content match; ``agree`` when that best match is a stated link, ``disagree`` when the texts point
elsewhere first, ``stated_only`` / ``content_only`` / ``none`` otherwise.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from .corpus import Corpus, Direction, Plan
from .errors import InputError, SettingsError, check_choice
from .labels import FINDING_STATUS as STATUS_JA
from .textnorm import match_form

SUCCESSOR_RULES = ("stated_then_content", "stated_refined", "stated", "content")
FINDING_KINDS = ("theme", "term", "problem", "direction")
THEME_STATUSES = ("continued", "new", "dropped")
PROBLEM_STATUSES = ("taken_up", "not_taken_up")
DIRECTION_STATUSES = ("same_title", "renamed", "merged", "split", "no_successor", "new")
PROBLEM_STANCES = ("issue", "carried_over")
PAST_FIELDS = ("title", "initiative", "evaluation")
NEXT_FIELDS = ("title", "initiative", "description")
JOIN = "、"


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------
def _settings(settings):
    from .settings import default_settings

    return default_settings() if settings is None else settings


def continuity_options(settings=None) -> dict:
    """The ``[continuity]`` section, checked (weights ≥ 0 and not all 0, ratios in [0, 1])."""
    options = _settings(settings).section("continuity")
    check_choice("continuity.successors", options["successors"], SUCCESSOR_RULES)
    weights = [options["weight_tfidf"], options["weight_themes"], options["weight_terms"]]
    if min(weights) < 0 or sum(weights) <= 0:
        raise SettingsError("weights must be ≥ 0 and not all 0", field="continuity.weight_*")
    for key in ("min_content_score", "successor_ratio", "max_df", "problem_ratio"):
        if not 0 <= options[key] <= 1:
            raise SettingsError(f"must be between 0 and 1, got {options[key]!r}", field=f"continuity.{key}")
    for key in ("key_terms", "shared_terms", "evidence", "problem_min_shared", "problem_min_shared_other"):
        if options[key] < 0:
            raise SettingsError(f"must be ≥ 0, got {options[key]!r}", field=f"continuity.{key}")
    if options["key_term_min_parts"] < 1:
        raise SettingsError("must be ≥ 1", field="continuity.key_term_min_parts")
    check_choice("continuity.term_method", options["term_method"], ("flr", "cvalue"))
    return options


# ---------------------------------------------------------------------------------------------
# Text features: adapters over the terms / themes / stance stages
# ---------------------------------------------------------------------------------------------
def _pos_table():
    from .tokens import pos_table

    return pos_table()


def _is_kana_only(text: str) -> bool:
    return all("\u3040" <= ch <= "\u309f" or ch == "ー" for ch in text)


def content_nouns(sentence, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Normalized common and proper nouns of a sentence: the words that carry a plan's content.

    >>> from analysis.tokens import tokenize
    >>> content_nouns(tokenize("担い手不足が課題となった。")[0])
    ['担い手', '不足', '課題']
    """
    table = _pos_table()
    out = []
    for token in sentence.tokens:
        pos = table[token.pos_id]
        if pos[0] != "名詞" or pos[1] not in ("普通名詞", "固有名詞"):
            continue
        norm = token.norm
        if norm in stopwords or _is_kana_only(norm) or not any(not ch.isdigit() for ch in norm):
            continue
        out.append(norm)
    return out


@dataclass
class _Analyzers:
    stopwords: frozenset[str]
    compounds: Any  # sentences -> list[str]


def _analyzers(settings=None) -> _Analyzers:
    from . import terms

    stopwords = frozenset(terms.load_stopwords(_settings(settings).data_file("stopwords")))

    def compounds(sentences, _stop=stopwords):
        return terms.unit_compounds(sentences, stopwords=_stop)

    return _Analyzers(stopwords=stopwords, compounds=compounds)


@dataclass
class SentenceInfo:
    """One sentence of a direction's text with what matching needs."""

    direction: str
    field: str
    text: str
    line: int
    nouns: frozenset[str]
    compounds: frozenset[str]
    themes: frozenset[str]
    sentence: Any = field(default=None, repr=False, compare=False)  # the tokens.Sentence

    @property
    def features(self) -> frozenset[str]:
        return self.nouns | self.compounds | frozenset(f"theme:{t}" for t in self.themes)


def _theme_index(tokens, lexicon=None, settings=None) -> dict[tuple[int, int], set[str]]:
    """(unit index, sentence index) → themes matched there, from ``analysis.themes``."""
    from . import themes

    index: dict[tuple[int, int], set[str]] = defaultdict(set)
    if lexicon is None:
        lexicon = themes.load_lexicon(settings=settings)
    coded = themes.code_units(tokens, lexicon)
    for u, item in enumerate(coded):
        for name, matches in item.themes.items():
            for match in matches:
                index[(u, match.sentence_index)].add(name)
    return index


def has_term(sentence: SentenceInfo, key: str) -> bool:
    """Whether a sentence holds the term ``key`` (normalized), whole or nested in a longer
    compound (権利擁護 in 権利擁護支援)."""
    if key in sentence.compounds or key in sentence.nouns:
        return True
    return len(key) > 1 and any(key in c for c in sentence.compounds)


@dataclass
class TextFeatures:
    """Per direction: its sentences (with nouns, compounds, themes) and bags of features."""

    sentences: dict[str, list[SentenceInfo]]
    key_terms: dict[str, str]  # key -> label
    themes: list[str]
    lexicon: Any = None

    def side(self, direction_id: str, fields: tuple[str, ...]) -> list[SentenceInfo]:
        return [s for s in self.sentences.get(direction_id, []) if s.field in fields]


def text_features(corpus: Corpus, *, tokens=None, settings=None, lexicon=None) -> TextFeatures:
    """Tokenize (unless ``tokens`` is given) and describe every sentence of every direction."""
    options = continuity_options(settings)
    analyzers = _analyzers(settings)
    if tokens is None:
        tokens = _tokens_for(corpus, settings)
    if lexicon is None:
        from .themes import load_lexicon

        lexicon = load_lexicon(settings=_settings(settings))
    theme_index = _theme_index(tokens, lexicon, settings)
    sentences: dict[str, list[SentenceInfo]] = defaultdict(list)
    for u, (unit, sents) in enumerate(tokens):
        for k, sentence in enumerate(sents):
            sentences[unit.direction_id].append(SentenceInfo(
                direction=unit.direction_id, field=unit.field, text=sentence.text,
                line=unit.line or 0,
                nouns=frozenset(content_nouns(sentence, analyzers.stopwords)),
                compounds=frozenset(c for c in analyzers.compounds([sentence])
                                    if c not in analyzers.stopwords),
                themes=frozenset(theme_index.get((u, k), ())),
                sentence=sentence,
            ))
    key_terms: dict[str, str] = {}
    if options["key_terms"] > 0:
        from .terms import term_table

        table = term_table(
            tokens, method=options["term_method"], top=options["key_terms"],
            min_parts=options["key_term_min_parts"],
            min_frequency=_settings(settings).get("terms", "min_frequency"), stopwords=analyzers.stopwords)
        for term in table:
            key_terms[term.key] = term.term
    themes = sorted({t for infos in sentences.values() for s in infos for t in s.themes})
    return TextFeatures(sentences=dict(sentences), key_terms=key_terms, themes=themes, lexicon=lexicon)


def _tokens_for(corpus: Corpus, settings=None):
    from .tokens import tokenize_units
    from .units import text_units

    split_mode = _settings(settings).get("tokens", "split_mode")
    return tokenize_units(text_units(corpus), split_mode=split_mode)


def problem_stances(tokens, *, settings=None) -> list[dict]:
    """Evaluation sentences whose stance is ``issue`` or ``carried_over`` (from
    ``analysis.stance``)."""
    from . import stance

    cues = stance.load_cues(settings=_settings(settings))
    return [s for s in stance.evaluation_stances(tokens, cues=cues) if s.get("stance") in PROBLEM_STANCES]


# ---------------------------------------------------------------------------------------------
# Content links between consecutive generations
# ---------------------------------------------------------------------------------------------
@dataclass
class PlanPair:
    """Two consecutive generations: the past plan's directions and the next plan's."""

    past: Plan
    next: Plan

    @property
    def name(self) -> str:
        return f"{self.past.id}→{self.next.id}"


def plan_pairs(corpus: Corpus) -> list[PlanPair]:
    """Consecutive generations of the corpus (several plans of one generation pair up with every
    plan of the next generation)."""
    by_generation: dict[int, list[Plan]] = defaultdict(list)
    for plan in corpus.plans:
        by_generation[plan.generation].append(plan)
    generations = sorted(by_generation)
    pairs = []
    for older, newer in zip(generations, generations[1:]):
        for past in by_generation[older]:
            for nxt in by_generation[newer]:
                pairs.append(PlanPair(past, nxt))
    return pairs


@dataclass
class LinkScore:
    source: str
    target: str
    score: float
    cosine: float
    theme_jaccard: float
    term_jaccard: float
    shared_terms: list[str]


def _jaccard(a: set, b: set) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _common_features(bags: dict[str, set[str]], max_df: float) -> frozenset[str]:
    """Features present in more than ``max_df`` of the bags (too common to say anything)."""
    if not bags:
        return frozenset()
    df = Counter(f for bag in bags.values() for f in bag)
    limit = max_df * len(bags)
    return frozenset(f for f, n in df.items() if n > limit)


@dataclass
class _PairData:
    pair: PlanPair
    past_ids: list[str]
    next_ids: list[str]
    bags: dict[str, dict[str, Any]]  # direction id -> {"tokens": list, "themes": set, "terms": set}
    common: frozenset[str]
    scores: dict[tuple[str, str], LinkScore]


def _score_pair(pair: PlanPair, features: TextFeatures, options: dict) -> _PairData:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    past_ids = [d.id for d in pair.past.directions()]
    next_ids = [d.id for d in pair.next.directions()]
    bags: dict[str, dict[str, Any]] = {}
    for ids, fields in ((past_ids, PAST_FIELDS), (next_ids, NEXT_FIELDS)):
        for did in ids:
            infos = features.side(did, fields)
            toks: list[str] = []
            for s in infos:
                toks.extend(sorted(s.nouns))
                toks.extend(sorted(s.compounds - s.nouns))
            bags[did] = {
                "tokens": toks,
                "themes": set().union(*(s.themes for s in infos)) if infos else set(),
                "terms": set().union(*(s.compounds | s.nouns for s in infos)) if infos else set(),
            }
    common = _common_features({d: b["terms"] for d, b in bags.items()}, options["max_df"])
    scores: dict[tuple[str, str], LinkScore] = {}
    if not past_ids or not next_ids:
        return _PairData(pair, past_ids, next_ids, bags, common, scores)
    docs = past_ids + next_ids
    vectorizer = TfidfVectorizer(analyzer=lambda did: bags[did]["tokens"], lowercase=False,
                                 sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(docs)
        vocabulary = vectorizer.get_feature_names_out()
    except ValueError:  # no features at all (empty texts)
        matrix, vocabulary = None, np.array([], dtype=object)
    weights = (options["weight_tfidf"], options["weight_themes"], options["weight_terms"])
    total = sum(weights)
    n_past = len(past_ids)
    for i, source in enumerate(past_ids):
        for j, target in enumerate(next_ids):
            cosine = 0.0
            shared: list[str] = []
            if matrix is not None:
                a = matrix[i].toarray().ravel()
                b = matrix[n_past + j].toarray().ravel()
                cosine = float(a @ b)
                product = a * b
                order = sorted((k for k in np.flatnonzero(product)),
                               key=lambda k: (-round(float(product[k]), 12), vocabulary[k]))
                shared = [str(vocabulary[k]) for k in order if vocabulary[k] not in common]
            tj = _jaccard(bags[source]["themes"], bags[target]["themes"])
            mj = _jaccard(bags[source]["terms"] - common, bags[target]["terms"] - common)
            score = (weights[0] * cosine + weights[1] * tj + weights[2] * mj) / total
            shared_themes = sorted(bags[source]["themes"] & bags[target]["themes"])
            scores[(source, target)] = LinkScore(
                source, target, round(score, 6), round(cosine, 6), round(tj, 6), round(mj, 6),
                (shared_themes + [t for t in shared if t not in shared_themes])[:options["shared_terms"]],
            )
    return _PairData(pair, past_ids, next_ids, bags, common, scores)


# ---------------------------------------------------------------------------------------------
# The graph
# ---------------------------------------------------------------------------------------------
@dataclass
class ContinuityData:
    """What findings need beyond the graph (kept in ``graph.graph["_continuity"]``; graph writers
    drop keys that start with ``_``)."""

    corpus: Corpus
    features: TextFeatures
    pairs: list[_PairData]
    problems: list[dict]
    options: dict
    settings: dict
    settings_obj: Any = None
    lexicon: Any = None
    # Loaded once, on first use by problem matching (stop list, stance cues).
    analyzers: Any = None
    cues: Any = None


def _first_line(direction: Direction) -> int:
    return direction.source_lines[0] if direction.source_lines else 0


def _stated_links(corpus: Corpus) -> dict[tuple[str, str], dict]:
    stated: dict[tuple[str, str], dict] = {}
    for link in corpus.links:
        if link.kind != "stated":
            continue
        entry = stated.setdefault((link.source, link.target), {"relisted": False, "lines": []})
        entry["relisted"] = entry["relisted"] or link.relisted
        if link.line is not None:
            entry["lines"].append(link.line)
    return stated


def build_continuity_graph(corpus: Corpus, *, tokens=None, settings=None, lexicon=None,
                           stances: list[dict] | None = None):
    """The continuity graph of ``corpus`` (see the module docstring for nodes and edges).

    ``tokens`` are the corpus's Tokens (tokenized when omitted); ``stances`` the evaluation
    stances (from ``analysis.stance`` when omitted); ``lexicon`` the theme lexicon (the bundled
    one when omitted).

    >>> from analysis.corpus import Corpus, Plan, Goal, Direction, Link
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

    options = continuity_options(settings)
    if tokens is None:
        tokens = _tokens_for(corpus, settings)
    features = text_features(corpus, tokens=tokens, settings=settings, lexicon=lexicon)
    if stances is None:
        stances = problem_stances(tokens, settings=settings)
    problems = [s for s in stances if s.get("stance") in PROBLEM_STANCES]

    graph = nx.DiGraph(name=corpus.name)
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

    # mentions
    for did in sorted(features.sentences, key=_direction_order(corpus)):
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

    # links
    stated = _stated_links(corpus)
    pairs = [_score_pair(pair, features, options) for pair in plan_pairs(corpus)]
    scores: dict[tuple[str, str], LinkScore] = {}
    for p in pairs:
        scores.update(p.scores)
    content = _content_links(pairs, options)
    for (source, target) in sorted(set(stated) | set(content), key=_pair_order(corpus)):
        for end in (source, target):
            if graph.nodes.get(end, {}).get("kind") != "direction":
                lines = stated.get((source, target), {}).get("lines") or [None]
                raise InputError(f"link {source} → {target}: no direction {end!r} in the corpus",
                                 line=lines[0], field="links")
        s = scores.get((source, target))
        info = stated.get((source, target))
        graph.add_edge(
            source, target, kind="link", stated=info is not None,
            relisted=bool(info and info["relisted"]),
            line=min(info["lines"]) if info and info["lines"] else 0,
            content=(source, target) in content,
            score=s.score if s else 0.0, shared_terms=JOIN.join(s.shared_terms) if s else "",
            weight=max(s.score if s else 0.0, 1.0 if info is not None else 0.0),
        )
    graph.graph["_continuity"] = ContinuityData(
        corpus=corpus, features=features, pairs=pairs, problems=problems, options=options,
        settings=_settings(settings).to_dict(), settings_obj=_settings(settings), lexicon=features.lexicon)
    return graph


def _direction_order(corpus: Corpus):
    order = {d.id: i for i, d in enumerate(corpus.directions())}
    return lambda did: (order.get(did, len(order)), did)


def _pair_order(corpus: Corpus):
    key = _direction_order(corpus)
    return lambda pair: (key(pair[0]), key(pair[1]))


def _content_links(pairs: list[_PairData], options: dict) -> set[tuple[str, str]]:
    """Content links: scores at or above ``min_content_score``."""
    return {k for p in pairs for k, s in p.scores.items() if s.score >= options["min_content_score"]}


def _content_successors(p: _PairData, source: str, options: dict) -> list[str]:
    """Best next direction(s) of ``source`` by content: the best one and any within
    ``successor_ratio`` of it, all at least ``min_content_score``."""
    ranked = sorted(((p.scores[(source, t)].score, t) for t in p.next_ids), key=lambda x: (-x[0], x[1]))
    if not ranked or ranked[0][0] < options["min_content_score"] or ranked[0][0] <= 0:
        return []
    best = ranked[0][0]
    return [t for score, t in ranked
            if score >= options["min_content_score"] and score >= best * options["successor_ratio"]]


def _data(graph) -> ContinuityData:
    data = graph.graph.get("_continuity")
    if data is None:
        raise InputError("this graph was not made by build_continuity_graph (or was read from a file); "
                         "findings need the corpus: pass the Corpus instead")
    return data


def _as_graph(graph_or_corpus, **kwargs):
    if isinstance(graph_or_corpus, Corpus):
        return build_continuity_graph(graph_or_corpus, **kwargs)
    return graph_or_corpus


# ---------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------
@dataclass
class Finding:
    """One finding with its evidence (each ``{"direction", "sentence", "line"}``)."""

    kind: str
    subject: str
    status: str
    past: list[str] = field(default_factory=list)
    next: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    past_count: int = 0
    next_count: int = 0
    shared: list[str] = field(default_factory=list)
    plans: str = ""  # "P2→P3"
    side: str = ""  # direction findings: "past" (where it went) or "next" (where it came from)
    past_titles_count: int = 0  # themes/terms: sentences of the past plan's titles and initiatives

    def to_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "status": self.status,
                "past": list(self.past), "next": list(self.next),
                "evidence": [dict(e) for e in self.evidence],
                "counts": {"past": self.past_count, "next": self.next_count,
                           "past_titles": self.past_titles_count},
                "shared": list(self.shared), "plans": self.plans, "side": self.side}


def _evidence(s: SentenceInfo) -> dict:
    return {"direction": s.direction, "sentence": s.text, "line": s.line}


def successor_map(graph) -> dict[str, list[str]]:
    """Past direction id → next direction ids it went to (the ``successors`` rule)."""
    data = _data(graph)
    options = data.options
    stated = _stated_links(data.corpus)
    stated_by_source: dict[str, list[str]] = defaultdict(list)
    for (s, t) in stated:
        stated_by_source[s].append(t)
    result: dict[str, list[str]] = {}
    for p in data.pairs:
        next_set = set(p.next_ids)
        order = {t: i for i, t in enumerate(p.next_ids)}
        for source in p.past_ids:
            st = sorted({t for t in stated_by_source.get(source, []) if t in next_set}, key=order.get)
            if options["successors"] == "stated":
                chosen = st
            elif options["successors"] == "content" or not st:
                chosen = sorted(_content_successors(p, source, options), key=order.get)
            elif options["successors"] == "stated_refined" and len(st) > 1:
                best = max(p.scores[(source, t)].score for t in st)
                chosen = [t for t in st if p.scores[(source, t)].score >= best * options["successor_ratio"]]
            else:
                chosen = st
            result[source] = chosen
    return result


def _direction_findings(graph, data: ContinuityData) -> list[Finding]:
    successors = successor_map(graph)
    out: list[Finding] = []
    for p in data.pairs:
        predecessors: dict[str, list[str]] = defaultdict(list)
        for source in p.past_ids:
            for t in successors.get(source, []):
                predecessors[t].append(source)
        titles = {did: graph.nodes[did]["label"] for did in p.past_ids + p.next_ids}
        lines = {did: graph.nodes[did]["line"] for did in p.past_ids + p.next_ids}

        def same(a: str, b: str) -> bool:
            return match_form(titles[a]) == match_form(titles[b])

        def ev(ids: Iterable[str]) -> list[dict]:
            return [{"direction": d, "sentence": titles[d], "line": lines[d]} for d in ids]

        for source in p.past_ids:
            succ = successors.get(source, [])
            if not succ:
                status = "no_successor"
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
                               ev([source, *succ]), 1, len(succ), shared, p.pair.name, "past"))
        for target in p.next_ids:
            pred = predecessors.get(target, [])
            if not pred:
                status = "new"
            elif len(pred) > 1:
                status = "merged"
            elif same(pred[0], target):
                status = "same_title"
            elif len(successors.get(pred[0], [])) > 1:
                status = "split"
            else:
                status = "renamed"
            out.append(Finding("direction", titles[target], status, list(pred), [target],
                               ev([*pred, target]), len(pred), 1, [], p.pair.name, "next"))
    return out


def _subject_findings(data: ContinuityData) -> list[Finding]:
    options = data.options
    out: list[Finding] = []
    for p in data.pairs:
        past_sentences = [s for d in p.past_ids for s in data.features.side(d, ("evaluation",))]
        past_titles = [s for d in p.past_ids for s in data.features.side(d, ("title", "initiative"))]
        next_sentences = [s for d in p.next_ids for s in data.features.side(d, ("title", "description"))]
        subjects = [("theme", t, lambda s, t=t: t in s.themes) for t in data.features.themes]
        subjects += [("term", label, lambda s, k=key: has_term(s, k))
                     for key, label in sorted(data.features.key_terms.items(), key=lambda kv: kv[1])]
        for kind, subject, has in subjects:
            past = [s for s in past_sentences if has(s)]
            nxt = [s for s in next_sentences if has(s)]
            if not past and not nxt:
                continue
            status = "continued" if past and nxt else ("new" if nxt else "dropped")
            n = options["evidence"]
            out.append(Finding(
                kind, subject, status,
                _unique(s.direction for s in past), _unique(s.direction for s in nxt),
                [_evidence(s) for s in past[:n]] + [_evidence(s) for s in nxt[:n]],
                len(past), len(nxt), [], p.pair.name,
                past_titles_count=sum(1 for s in past_titles if has(s))))
    return out


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _problem_findings(graph, data: ContinuityData) -> list[Finding]:
    options = data.options
    successors = successor_map(graph)
    pair_of = {d: p for p in data.pairs for d in p.past_ids}
    next_bags: dict[str, tuple[dict[str, frozenset[str]], dict[str, float]]] = {}
    out: list[Finding] = []
    for problem in data.problems:
        source = problem.get("direction")
        p = pair_of.get(source)
        sentence = problem.get("sentence", "")
        line = problem.get("line") or 0
        candidates = data.features.side(source, ("evaluation",))
        index = problem.get("index")
        info = (candidates[index] if isinstance(index, int) and 0 <= index < len(candidates)
                and candidates[index].text == sentence else None)
        info = info or next((s for s in candidates if s.text == sentence), None)
        if p is None:
            continue  # the last generation's evaluations: no next plan in the corpus to judge by
        if info is None:  # a stance row whose sentence the tokens do not hold: report it unmatched
            out.append(Finding("problem", sentence, "not_taken_up", [source] if source else [], [],
                               [{"direction": source, "sentence": sentence, "line": line}], 1, 0, [],
                               p.pair.name if p else ""))
            continue
        cue_text = "".join(problem.get("cues") or [])
        wanted = frozenset(f for f in _focus_features(info, data) - p.common
                           if not (cue_text and f in cue_text))
        have, idf = next_bags.setdefault(p.pair.name, _next_bags(p, data))
        succ = successors.get(source, [])
        candidates_: list[tuple[float, str, list[str]]] = []
        for target in p.next_ids:
            shared = sorted(wanted & have[target])
            needed = options["problem_min_shared"] if target in succ else options["problem_min_shared_other"]
            if needed > 0 and len(shared) >= needed:
                candidates_.append((sum(idf[f] for f in shared), target, shared))
        best_overlap = max((o for o, _, _ in candidates_), default=0.0)
        takers: list[tuple[str, list[str], SentenceInfo | None]] = []
        for overlap, target, shared in candidates_:
            if target in succ or overlap >= options["problem_ratio"] * best_overlap:
                infos = data.features.side(target, NEXT_FIELDS)
                best = max(infos, key=lambda s: (len(s.features & wanted), -infos.index(s)))
                takers.append((target, shared, best))
        shared_all = sorted({w for _, shared, _ in takers for w in shared})
        evidence = [{"direction": source, "sentence": sentence, "line": line or info.line}]
        evidence += [_evidence(best) for _, _, best in takers if best is not None]
        out.append(Finding(
            "problem", sentence, "taken_up" if takers else "not_taken_up", [source],
            [t for t, _, _ in takers], evidence, 1, len(takers),
            [w.removeprefix("theme:") for w in shared_all], p.pair.name))
    return out


def problem_focus(sentence, *, settings=None, cues=None):
    """The part of a problem sentence that states the problem: after its last contrast word
    (〜に取り組んだが、…が課題) when that part holds a stance cue, as the stance stage decides its
    scope; otherwise the whole sentence.  Returns a tokens.Sentence.

    >>> from analysis.tokens import tokenize
    >>> problem_focus(tokenize("住民主体の活動に取り組んだが、担い手の確保が課題となつた。")[0]).text
    '担い手の確保が課題となつた。'
    """
    from . import stance

    if sentence is None:
        return sentence
    if cues is None:
        cues = stance.load_cues(settings=_settings(settings))
    return stance.stance_scope(sentence, cues=cues)


def _focus_features(info: SentenceInfo, data: ContinuityData) -> frozenset[str]:
    if data.cues is None:
        from .stance import load_cues

        data.cues = load_cues(settings=_settings(data.settings_obj))
    focus = problem_focus(info.sentence, settings=data.settings_obj, cues=data.cues)
    if focus is None or focus is info.sentence:
        return info.features
    if data.analyzers is None:
        data.analyzers = _analyzers(data.settings_obj)
    analyzers = data.analyzers
    nouns = frozenset(content_nouns(focus, analyzers.stopwords))
    compounds = frozenset(c for c in analyzers.compounds([focus]) if c not in analyzers.stopwords)
    themes = info.themes
    if data.lexicon is not None:
        from .themes import match_sentence

        themes = frozenset(match_sentence(data.lexicon, focus))
    return nouns | compounds | frozenset(f"theme:{t}" for t in themes)


def _next_bags(p: _PairData, data: ContinuityData):
    """Features of each next direction of a pair and their IDF over those directions
    (``ln((1 + n) / (1 + df)) + 1``, as scikit-learn's smoothed IDF)."""
    have: dict[str, frozenset[str]] = {}
    for target in p.next_ids:
        infos = data.features.side(target, NEXT_FIELDS)
        have[target] = frozenset().union(*(s.features for s in infos)) if infos else frozenset()
    df = Counter(f for bag in have.values() for f in bag)
    n = len(have)
    idf = defaultdict(lambda: math.log(1 + n) + 1,
                      {f: math.log((1 + n) / (1 + k)) + 1 for f, k in df.items()})
    return have, idf


_KIND_ORDER = {k: i for i, k in enumerate(FINDING_KINDS)}
_STATUS_ORDER = {s: i for i, s in enumerate(THEME_STATUSES + PROBLEM_STATUSES + DIRECTION_STATUSES)}


def findings(graph_or_corpus, **kwargs) -> list[Finding]:
    """Every finding: themes and terms (continued / new / dropped), problems (taken_up /
    not_taken_up) and directions (same_title / renamed / merged / split / no_successor / new).

    Accepts the graph of :func:`build_continuity_graph` or a Corpus (keyword arguments are then
    passed to it).  Order: by plan pair, kind, then (themes, terms) status and counts, (problems,
    directions) document order.
    """
    graph = _as_graph(graph_or_corpus, **kwargs)
    data = _data(graph)
    subject = _subject_findings(data)
    subject.sort(key=lambda f: (f.plans, _KIND_ORDER[f.kind], _STATUS_ORDER[f.status],
                                -(f.past_count + f.next_count), f.subject))
    rest = _problem_findings(graph, data) + _direction_findings(graph, data)
    pair_rank = {p.pair.name: i for i, p in enumerate(data.pairs)}
    everything = subject + rest
    # stable: kind order within a pair, document order inside problems and directions
    return sorted(everything, key=lambda f: (pair_rank.get(f.plans, len(pair_rank)), _KIND_ORDER[f.kind]))


FINDING_COLUMNS = ["plans", "kind", "side", "subject", "status", "status_ja", "past", "next", "past_count",
                   "next_count", "past_titles_count", "shared", "evidence_direction", "evidence_sentence", "evidence_line"]


def findings_frame(graph_or_corpus, **kwargs):
    """Findings as a DataFrame, one row per finding (lists joined with ``"、"``; the first piece
    of evidence in its own columns, the rest in ``findings`` JSON)."""
    import pandas as pd

    items = graph_or_corpus if isinstance(graph_or_corpus, list) else findings(graph_or_corpus, **kwargs)
    rows = []
    for f in items:
        first = f.evidence[0] if f.evidence else {"direction": "", "sentence": "", "line": None}
        rows.append({"plans": f.plans, "kind": f.kind, "side": f.side, "subject": f.subject, "status": f.status,
                     "status_ja": STATUS_JA[f.status], "past": JOIN.join(f.past),
                     "next": JOIN.join(f.next), "past_count": f.past_count,
                     "next_count": f.next_count, "past_titles_count": f.past_titles_count, "shared": JOIN.join(f.shared),
                     "evidence_direction": first["direction"], "evidence_sentence": first["sentence"],
                     "evidence_line": first["line"] or None})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"evidence_line": "Int64"})


LINK_COLUMNS = ["from", "to", "kind", "relisted", "line", "score", "shared_terms", "from_title", "to_title"]


def links(graph) -> list[dict]:
    """Links between directions as the JSON form: one entry per kind (``stated`` — 再掲
    included, with ``relisted`` — and ``content``), each with ``score`` and ``shared_terms``."""
    out = []
    for source, target, attrs in graph.edges(data=True):
        if attrs.get("kind") != "link":
            continue
        shared = attrs["shared_terms"].split(JOIN) if attrs["shared_terms"] else []
        for kind in ("stated", "content"):
            if attrs[kind]:
                out.append({"from": source, "to": target, "kind": kind, "score": attrs["score"],
                            "shared_terms": shared, "relisted": attrs["relisted"] if kind == "stated" else False,
                            "line": (attrs["line"] or None) if kind == "stated" else None})
    return out


def links_frame(graph_or_corpus, **kwargs):
    """The links as a DataFrame (columns ``LINK_COLUMNS``)."""
    import pandas as pd

    graph = _as_graph(graph_or_corpus, **kwargs)
    rows = []
    for link in links(graph):
        rows.append({**link, "shared_terms": JOIN.join(link["shared_terms"]),
                     "from_title": graph.nodes[link["from"]]["label"],
                     "to_title": graph.nodes[link["to"]]["label"]})
    return pd.DataFrame(rows, columns=LINK_COLUMNS).astype({"line": "Int64"})


AGREEMENT_COLUMNS = ["plans", "past", "past_title", "stated", "content", "best", "best_score",
                     "stated_best_score", "agreement"]
AGREEMENTS = ("agree", "disagree", "stated_only", "content_only", "none")


def agreement_frame(graph_or_corpus, **kwargs):
    """Per past direction: what the document states against what the texts say.

    ``agreement``: ``agree`` (the best content link is one the document states), ``disagree``
    (the texts point elsewhere first), ``stated_only`` (no content link reaches the threshold),
    ``content_only`` (the document states nothing), ``none``.  ``content`` lists every content
    link (score ≥ ``min_content_score``); ``best`` is the best-scoring next direction whatever its
    score; ``stated_best_score`` the best score among the stated links.
    """
    import pandas as pd

    graph = _as_graph(graph_or_corpus, **kwargs)
    data = _data(graph)
    stated = _stated_links(data.corpus)
    content = _content_links(data.pairs, data.options)
    rows = []
    for p in data.pairs:
        for source in p.past_ids:
            st = [t for t in p.next_ids if (source, t) in stated]
            ct = [t for t in p.next_ids if (source, t) in content]
            ranked = sorted(p.next_ids, key=lambda t: (-p.scores[(source, t)].score, p.next_ids.index(t)))
            best = ranked[0] if ranked else ""
            if st and ct:
                agreement = "agree" if best in st else "disagree"
            else:
                agreement = "stated_only" if st else ("content_only" if ct else "none")
            rows.append({"plans": p.pair.name, "past": source, "past_title": graph.nodes[source]["label"],
                         "stated": JOIN.join(st), "content": JOIN.join(ct), "best": best,
                         "best_score": p.scores[(source, best)].score if best else 0.0,
                         "stated_best_score": max((p.scores[(source, t)].score for t in st), default=math.nan),
                         "agreement": agreement})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def nodes_frame(graph):
    """The graph's nodes as a DataFrame (``id`` then every attribute; empty where a kind lacks it)."""
    import pandas as pd

    rows = [{"id": node, **attrs} for node, attrs in graph.nodes(data=True)]
    columns = ["id"] + sorted({k for r in rows for k in r} - {"id"})
    return pd.DataFrame(rows, columns=columns)


def edges_frame(graph):
    """The graph's edges as a DataFrame (``source``, ``target`` then every attribute)."""
    import pandas as pd

    rows = [{"source": s, "target": t, **attrs} for s, t, attrs in graph.edges(data=True)]
    columns = ["source", "target"] + sorted({k for r in rows for k in r} - {"source", "target"})
    return pd.DataFrame(rows, columns=columns)


def continuity_settings(graph) -> dict:
    """The settings that made the graph."""
    return _data(graph).settings
