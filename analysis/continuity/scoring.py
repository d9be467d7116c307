"""The content score of a past direction against a next one (see the package docstring).

:func:`score_pair` scores every (past, next) direction pair of two plans at once: one TF-IDF fit
on the project's own tokens (content nouns and compound terms already computed) and the Jaccard
of themes and terms, weighted by the ``[continuity]`` settings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

from ..corpus import Plan
from .features import TextFeatures
from .options import NEXT_FIELDS, PAST_FIELDS, continuity_options


@dataclass(frozen=True)
class PlanPair:
    """Two consecutive generations: the past plan and the next plan."""

    past: Plan
    next: Plan

    @property
    def name(self) -> str:
        """``"P2→P3"``."""
        return f"{self.past.id}→{self.next.id}"


@dataclass(frozen=True)
class LinkScore:
    """The content score of ``source`` (past) against ``target`` (next) and its parts (rounded
    to 6 places); ``shared_terms`` are the shared themes, then the words that weigh most."""

    source: str
    target: str
    score: float
    cosine: float
    theme_jaccard: float
    term_jaccard: float
    shared_terms: list[str]


@dataclass(frozen=True)
class DirectionBag:
    """What one direction's side of the texts contributes to scoring."""

    tokens: list[str]  # the TF-IDF document: per sentence its nouns, then its other compounds
    themes: frozenset[str]
    terms: frozenset[str]  # nouns and compounds


@dataclass(frozen=True)
class PairData:
    """A plan pair scored: its direction ids in document order, their bags, the too-common
    features (``common``) and the score of every (past, next) pair."""

    pair: PlanPair
    past_ids: list[str]
    next_ids: list[str]
    bags: dict[str, DirectionBag]
    common: frozenset[str]
    scores: dict[tuple[str, str], LinkScore]


def _jaccard(a: frozenset, b: frozenset) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _common_features(bags: dict[str, frozenset[str]], max_df: float) -> frozenset[str]:
    """Features present in more than ``max_df`` of the bags (too common to say anything)."""
    if not bags:
        return frozenset()
    df = Counter(f for bag in bags.values() for f in bag)
    limit = max_df * len(bags)
    return frozenset(f for f, n in df.items() if n > limit)


def _bag(features: TextFeatures, did: str, fields: tuple[str, ...]) -> DirectionBag:
    infos = features.side(did, fields)
    toks: list[str] = []
    for s in infos:
        toks.extend(sorted(s.nouns))
        toks.extend(sorted(s.compounds - s.nouns))
    return DirectionBag(tokens=toks, themes=frozenset().union(*(s.themes for s in infos)),
                        terms=frozenset().union(*(s.compounds | s.nouns for s in infos)))


def score_pair(pair: PlanPair, features: TextFeatures, *,
               options: Mapping[str, Any] | None = None) -> PairData:
    """Score every past direction of ``pair`` against every next direction.

    Past side: title + initiatives + evaluation; next side: title + initiatives + description.

    Parameters
    ----------
    pair : PlanPair
    features : TextFeatures
        The corpus's text features (:func:`~analysis.continuity.text_features`).
    options : mapping, optional
        The checked ``[continuity]`` section (:func:`~analysis.continuity.continuity_options`);
        default: the bundled settings'.

    Returns
    -------
    PairData

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> from analysis.continuity import text_features
    >>> def plan(pid, generation, title, **texts):
    ...     d = Direction(id=f"{pid}-1-1", plan_id=pid, goal_number=1, number=1, title=title, **texts)
    ...     return Plan(id=pid, generation=generation, title=pid, goals=[Goal(pid, 1, "見守る", directions=[d])])
    >>> old, new = plan("P1", 1, "見守り活動の推進"), plan("P2", 2, "見守り活動の充実")
    >>> scored = score_pair(PlanPair(old, new), text_features(Corpus(name="例", plans=[old, new])))
    >>> link = scored.scores[("P1-1-1", "P2-1-1")]
    >>> link.theme_jaccard, link.shared_terms[0]
    (1.0, '見守り')
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = continuity_options() if options is None else options
    past_ids = [d.id for d in pair.past.directions()]
    next_ids = [d.id for d in pair.next.directions()]
    bags = {did: _bag(features, did, PAST_FIELDS) for did in past_ids}
    bags.update((did, _bag(features, did, NEXT_FIELDS)) for did in next_ids)
    common = _common_features({d: b.terms for d, b in bags.items()}, options["max_df"])
    scores: dict[tuple[str, str], LinkScore] = {}
    if not past_ids or not next_ids:
        return PairData(pair, past_ids, next_ids, bags, common, scores)
    vectorizer = TfidfVectorizer(analyzer=lambda did: bags[did].tokens, lowercase=False, sublinear_tf=True)
    try:
        # dense: one plan pair's rows are few, and indexing a sparse row costs more than the row
        matrix = vectorizer.fit_transform(past_ids + next_ids).toarray()
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
                a, b = matrix[i], matrix[n_past + j]
                cosine = float(a @ b)
                product = a * b
                # ties by word, so the order never depends on the vocabulary's hash order
                order = sorted(np.flatnonzero(product), key=lambda k: (-round(float(product[k]), 12), vocabulary[k]))
                shared = [str(vocabulary[k]) for k in order if vocabulary[k] not in common]
            src, tgt = bags[source], bags[target]
            tj = _jaccard(src.themes, tgt.themes)
            mj = _jaccard(src.terms - common, tgt.terms - common)
            score = (weights[0] * cosine + weights[1] * tj + weights[2] * mj) / total
            shared_themes = sorted(src.themes & tgt.themes)
            scores[(source, target)] = LinkScore(
                source, target, round(score, 6), round(cosine, 6), round(tj, 6), round(mj, 6),
                (shared_themes + [t for t in shared if t not in shared_themes])[:options["shared_terms"]],
            )
    return PairData(pair, past_ids, next_ids, bags, common, scores)
