"""Candidate themes: what the lexicon lacks, for a planner to review and add to ``themes.toml``.

Two sources: high-ranked compound terms that no theme covers, and co-occurrence communities most of
whose words no theme covers (see :func:`theme_candidates`).
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ..tokens import Tokens, tokenize
from .lexicon import Lexicon, load_lexicon
from .scan import match_sentence

__all__ = ["theme_candidates"]


def _covered(lexicon: Lexicon, text: str, *, split_mode: str) -> bool:
    return any(match_sentence(lexicon, s) for s in tokenize(text, split_mode=split_mode))


def _background(tokens: Tokens, share: float) -> set[str]:
    """Simple nouns (normalized) found in more than ``share`` of the text units."""
    if not len(tokens):
        return set()
    counts: dict[str, int] = {}
    for _, sentences in tokens:
        for norm in {t.norm for s in sentences for t in s.tokens if t.pos[0] == "名詞"}:
            counts[norm] = counts.get(norm, 0) + 1
    return {norm for norm, n in counts.items() if n / len(tokens) > share}


def theme_candidates(tokens: Tokens, lexicon: Lexicon | None = None, *, top: int = 20,
                     seed: int = 0, background: float = 0.15, min_units: int = 2,
                     cooccurrence: dict | None = None) -> list[dict]:
    """Themes the lexicon lacks, for a planner to review and add.

    Two sources: high-ranked compound terms (:func:`analysis.terms.term_table`) that no theme
    covers, and co-occurrence communities (:func:`analysis.textstat.cooccurrence_graph`) most
    of whose words no theme covers; the two are interleaved.  A compound term is proposed only if
    it has at least two parts, occurs in at least ``min_units`` text units, and has a part that is
    not background vocabulary (a simple noun in more than ``background`` of all text units, such
    as 地域 or 福祉 in a welfare plan).

    Parameters
    ----------
    tokens : analysis.tokens.Tokens
        The tokenized text units.
    lexicon : Lexicon or None, default None
        The themes (``None``: the bundled lexicon).
    top : int, default 20
        How many candidates at most (0 or less: none).
    seed : int, default 0
        Seed of the co-occurrence communities.
    background : float, default 0.15
        Share of text units above which a simple noun is background vocabulary.
    min_units : int, default 2
        Text units a compound term must occur in.
    cooccurrence : dict or None, default None
        Options for the co-occurrence graph (``min_jaccard``, ``min_frequency``).

    Returns
    -------
    list[dict]
        Each candidate: ``name`` (a proposed name: its leading term), ``terms``, ``source``
        ("terms" or "cooccurrence") and ``why`` (in Japanese).
    """
    if lexicon is None:
        lexicon = load_lexicon()
    if top <= 0:
        return []
    covered_cache: dict[str, bool] = {}

    def covered(term: str) -> bool:
        if term not in covered_cache:
            covered_cache[term] = _covered(lexicon, term, split_mode=tokens.split_mode)
        return covered_cache[term]

    common = _background(tokens, background)
    from_terms = _term_candidates(tokens, covered, common, min_units=min_units)
    from_communities = _community_candidates(tokens, covered, common, seed=seed, options=cooccurrence or {})
    # Interleave so both sources are seen, then cut to ``top``.
    merged: list[dict] = []
    names: set[str] = set()
    for pair in _interleave(from_terms, from_communities):
        if pair["name"] in names:
            continue
        names.add(pair["name"])
        merged.append(pair)
        if len(merged) >= top:
            break
    return merged


def _term_candidates(tokens: Tokens, covered: Callable[[str], bool], common: set[str], *,
                     min_units: int) -> list[dict]:
    """Compound terms, by FLR rank, that no theme covers (see :func:`theme_candidates`)."""
    from .. import terms as terms_module

    out: list[dict] = []
    table = terms_module.term_table(tokens, method="flr", top=None, min_parts=2)
    for rank, term in enumerate(table, 1):
        row = term.to_dict()
        word = row["term"]
        if row["document_frequency"] < min_units or all(p in common for p in row["parts"]):
            continue
        if covered(word):
            continue
        out.append({
            "name": word, "terms": [word], "source": "terms",
            "why": f"複合語の順位{rank}位（FLR {row['score']:.2f}、{row['document_frequency']}件のテキストに出現）で、どのテーマにも当たらない",
        })
    return out


def _community_candidates(tokens: Tokens, covered: Callable[[str], bool], common: set[str], *, seed: int,
                          options: dict) -> list[dict]:
    """Co-occurrence communities more than half of whose words no theme covers, largest first."""
    try:
        from ..textstat import cooccurrence_graph
    except ImportError:  # the co-occurrence stage is optional for candidates
        return []
    graph = cooccurrence_graph(tokens, seed=seed, **options)
    groups: dict[object, list[str]] = {}
    labels = {node: str(data.get("label") or node) for node, data in graph.nodes(data=True)}
    for node, data in graph.nodes(data=True):
        groups.setdefault(data.get("community"), []).append(node)
    out: list[dict] = []
    for community, nodes in groups.items():
        if community is None or len(nodes) < 2:
            continue
        nodes.sort(key=lambda n: (-graph.degree(n, weight="weight"), str(n)))
        # One-character words and background vocabulary say too little to name a theme.
        uncovered = [labels[n] for n in nodes
                     if len(labels[n]) > 1 and str(n) not in common and not covered(labels[n])]
        if len(uncovered) < 2 or len(uncovered) * 2 <= len(nodes):
            continue
        out.append({
            "name": uncovered[0], "terms": uncovered[:10], "source": "cooccurrence",
            "why": f"共起ネットワークのまとまり（語{len(nodes)}個）のうち{len(uncovered)}個がどのテーマにも当たらない",
        })
    out.sort(key=lambda c: (-len(c["terms"]), c["name"]))
    return out


def _interleave(a: Sequence[dict], b: Sequence[dict]) -> Iterable[dict]:
    for index in range(max(len(a), len(b))):
        if index < len(a):
            yield a[index]
        if index < len(b):
            yield b[index]
