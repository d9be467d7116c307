"""Compound-term candidates: noun runs rebuilt from the tokens and trimmed at their edges.

Japanese key phrases are noun compounds that Sudachi splits (担い手不足 = 担い手 + 不足,
第2層協議体 = 第 + 2 + 層 + 協議 + 体).  This module holds the plain, token-by-token definition;
:mod:`analysis.terms.columns` computes the same over the token columns, faster.

A *noun run* is a maximal sequence of adjacent tokens that are noun-like: common and proper
nouns and 形状詞-一般 (名詞 普通名詞 / 固有名詞, 形状詞 一般), numerals (名詞 数詞), prefixes
(接頭辞), noun-like suffixes (接尾辞 名詞的), and a verb in its 連用形 used as a noun inside a
compound (見守り活動, 助け合い活動; Sudachi tags 見守り as a verb).  Anything else (particles,
symbols such as ・, spaces) ends a run.  Inside a run tokens form *groups*: a prefix binds to
what follows, a suffix to what precedes (推進 + 員, 第 + 2).

Edges are then trimmed, group by group, while the first or last group is (a) a stop word
(its joined normalized form, or a lone token's surface, is on the stop list), (b) only
numerals, (c) a lone adverbial noun (名詞 普通名詞 副詞可能: 随時, 今後, ため), (d) a dangling
prefix at the end or a dangling suffix at the start, or (e) at the end, a verb (a compound
ends in a noun); a prefix or suffix that is itself a stop word is peeled off an edge token
by token (各地域 → 地域, 住民等 → 住民).  What remains is a candidate if it still holds a
noun; its key is the joined normalized forms of its tokens (the *parts*; a verb's part is
its 連用形 as written), and its display form is the most frequent joined surface (ties: the
smallest string).

Stop words are therefore trimmed from the EDGES only and kept inside: a planner reads
連携強化 as 連携 (強化 adds nothing), 地域活動の推進 as 地域活動, while 担い手不足 (不足 is
not filler) and 福祉推進員 (推進 bound to a suffix) stay whole; a candidate made of one
stop word disappears (see :mod:`analysis.terms.stopwords`).

>>> from analysis.tokens import tokenize
>>> sorted(unit_compounds(tokenize("第2層協議体で担い手不足が課題となり、連携強化を図る。")))
['担い手不足', '第2層協議体']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

from ..tokens import Sentence, Token, Tokens, pos_ids
from .gc import without_gc
from .stopwords import StopwordsArg, resolve_stopwords

# How a token takes part in a noun run (its *kind*).
NOUN, NUM, PREFIX, SUFFIX, VERB, ADVERBIAL = 0, 1, 2, 3, 4, 5
# Sub-runs longer than this are not enumerated for C-value (bounds work on pathological text).
MAX_NESTED_PARTS = 8

#: A candidate's group shape, used to enumerate nested candidates: per group
#: (length, trimmed at a left edge, trimmed at a right edge, holds a noun).
Shape = tuple[tuple[int, bool, bool, bool], ...]
#: The shape of a candidate that is one noun.
SINGLE_NOUN_SHAPE: Shape = ((1, False, False, True),)

# Inside the trimming code a token is a triple (norm, surface, kind).
Triple = tuple[str, str, int]


@functools.cache
def token_kinds() -> dict[int, int]:
    """The kind (:data:`NOUN`, :data:`NUM`, …) of every POS id that takes part in a noun run.

    Returns
    -------
    dict of int to int
        POS id → kind; a POS id not in it ends a run.  Shared: do not mutate.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> [token_kinds().get(t.pos_id) for t in tokenize("担い手の不足")[0].tokens] == [NOUN, None, NOUN]
    True
    """
    kinds: dict[int, int] = {}
    for i in pos_ids([("動詞", "一般", None, None, None, "連用形-一般")]):
        kinds[i] = VERB
    for i in pos_ids([("名詞", "普通名詞"), ("名詞", "固有名詞"), ("形状詞", "一般")]):
        kinds[i] = NOUN
    for i in pos_ids([("名詞", "普通名詞", "副詞可能")]):
        kinds[i] = ADVERBIAL
    for i in pos_ids([("名詞", "数詞")]):
        kinds[i] = NUM
    for i in pos_ids([("接頭辞",)]):
        kinds[i] = PREFIX
    for i in pos_ids([("接尾辞", "名詞的")]):
        kinds[i] = SUFFIX
    return kinds


def noun_runs(sentences: Iterable[Sentence], kinds: Mapping[int, int] | None = None) -> Iterator[list[tuple[Token, int]]]:
    """Maximal runs of noun-like tokens, read token by token (the plain definition).

    Parameters
    ----------
    sentences : iterable of Sentence
        One text's sentences; a run never crosses a sentence.
    kinds : mapping, optional
        POS id → kind (default :func:`token_kinds`).

    Returns
    -------
    iterator of list of (Token, int)
        Each run as (token, kind) pairs, in text order.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> [[t.surface for t, _ in run] for run in noun_runs(tokenize("担い手不足の解消"))]
    [['担い手', '不足'], ['解消']]
    """
    kinds = token_kinds() if kinds is None else kinds
    for sentence in sentences:
        run: list = []
        for token in sentence.tokens:
            kind = kinds.get(token.pos_id)
            if kind is None:
                if run:
                    yield run
                    run = []
            else:
                run.append((token, kind))
        if run:
            yield run


def _groups(run: Sequence[Triple]) -> list[list[Triple]]:
    groups: list[list] = []
    previous = None
    for triple in run:
        kind = triple[2]
        if groups and (kind == SUFFIX or previous == PREFIX or (kind == NUM and previous == NUM)):
            groups[-1].append(triple)
        else:
            groups.append([triple])
        previous = kind
    return groups


def _trimmable(group: list[Triple], stopwords: frozenset[str], *, at_end: bool) -> bool:
    """Whether a group is trimmed when it stands at the left (or, ``at_end``, the right) edge."""
    if len(group) == 1:
        norm, surface, kind = group[0]
        if kind == NUM or kind == ADVERBIAL:
            return True
        if (kind == PREFIX or kind == VERB) if at_end else kind == SUFFIX:
            return True
        return norm in stopwords or surface in stopwords
    kinds = [t[2] for t in group]
    if all(k == NUM for k in kinds):
        return True
    if at_end and kinds[-1] in (PREFIX, VERB):
        return True
    if not at_end and kinds[0] == SUFFIX:
        return True
    return "".join([s if k == VERB else n for n, s, k in group]) in stopwords


def _is_stop(triple: Triple, stopwords: frozenset[str]) -> bool:
    return triple[0] in stopwords or triple[1] in stopwords


def trim_run(run: list[Triple], stopwords: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...], Shape] | None:
    """The candidate a noun run leaves once its edges are trimmed (see the module docstring).

    Parameters
    ----------
    run : list of (norm, surface, kind)
        The run's tokens.
    stopwords : frozenset of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).

    Returns
    -------
    tuple or None
        ``(parts, surfaces, shape)``, or None when nothing is left or no noun remains.

    Examples
    --------
    >>> trim_run([("連携", "連携", NOUN), ("強化", "強化", NOUN)], frozenset({"強化"}))[0]
    ('連携',)
    """
    if len(run) == 1:  # the common case, decided at once
        norm, surface, kind = run[0]
        if kind != NOUN or norm in stopwords or surface in stopwords:
            return None
        return (norm,), (surface,), SINGLE_NOUN_SHAPE
    while True:
        # a stop-word prefix (各) or suffix (等) is peeled off the edge token by token
        lo, hi = 0, len(run)
        while lo < hi and run[lo][2] == PREFIX and _is_stop(run[lo], stopwords):
            lo += 1
        while hi > lo and run[hi - 1][2] == SUFFIX and _is_stop(run[hi - 1], stopwords):
            hi -= 1
        groups = _groups(run[lo:hi])
        start, end = 0, len(groups)
        while start < end and _trimmable(groups[start], stopwords, at_end=False):
            start += 1
        while end > start and _trimmable(groups[end - 1], stopwords, at_end=True):
            end -= 1
        kept = groups[start:end]
        triples = [t for group in kept for t in group]
        if len(triples) == len(run):
            break
        run = triples
    if not kept:
        return None
    if not any(t[2] == NOUN or t[2] == ADVERBIAL for t in triples):
        return None
    parts = tuple([s if k == VERB else n for n, s, k in triples])
    if len(parts) > 1 and "".join(parts) in stopwords:
        return None
    shape = tuple(
        (len(g), _trimmable(g, stopwords, at_end=False), _trimmable(g, stopwords, at_end=True),
         any(t[2] == NOUN or t[2] == ADVERBIAL for t in g))
        for g in kept
    )
    return parts, tuple([t[1] for t in triples]), shape


def run_candidate(run: Sequence[tuple[Token, int]], stopwords: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...], Shape] | None:
    """:func:`trim_run` on a run of (token, kind) pairs, as :func:`noun_runs` yields them.

    Parameters
    ----------
    run : sequence of (Token, int)
        A noun run.
    stopwords : frozenset of str
        The stop list.

    Returns
    -------
    tuple or None
        ``(parts, surfaces, shape)``, or None.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> run = next(noun_runs(tokenize("各地域")))
    >>> run_candidate(run, frozenset({"各"}))[0]
    ('地域',)
    """
    return trim_run([(t.norm, t.surface, k) for t, k in run], stopwords)


def nested_runs(parts: tuple[str, ...], shape: Shape) -> list[tuple[tuple[str, ...], Shape]]:
    """Proper sub-runs of whole groups whose edges would not be trimmed (C-value's nested
    candidates), one per position, at most :data:`MAX_NESTED_PARTS` tokens long.

    Parameters
    ----------
    parts : tuple of str
        A candidate's parts.
    shape : Shape
        Its group shape.

    Returns
    -------
    list of (parts, shape)
        The sub-runs, left to right, shorter first at each start.

    Examples
    --------
    >>> shape = ((1, False, False, True),) * 3
    >>> [p for p, _ in nested_runs(("地域", "福祉", "活動"), shape)]
    [('地域',), ('地域', '福祉'), ('福祉',), ('福祉', '活動'), ('活動',)]
    """
    if len(shape) == 1:  # one group has no proper sub-run of whole groups
        return []
    bounds = [0]
    for group in shape:
        bounds.append(bounds[-1] + group[0])
    n = len(shape)
    out = []
    for i in range(n):
        if shape[i][1]:
            continue
        has_noun = False
        for j in range(i + 1, n + 1):
            if bounds[j] - bounds[i] > MAX_NESTED_PARTS:
                break
            has_noun = has_noun or shape[j - 1][3]
            if (i, j) == (0, n) or shape[j - 1][2] or not has_noun:
                continue
            out.append((parts[bounds[i]:bounds[j]], shape[i:j]))
    return out


@dataclass
class Candidates:
    """Compound-term candidates of a text (or of every unit of a Tokens object).

    ``frequency``: key → occurrences as a whole candidate; ``parts``: key → normalized parts;
    ``display``: key → most frequent surface; ``runs``: untrimmed noun runs (as tuples of parts)
    → count, the source of FLR's adjacency counts; ``shapes``: key → group shape (nesting);
    ``surfaces``: key → tuple of token surfaces of the display form;
    ``units``: key → indexes of the units the key occurs in as a whole candidate.
    """

    frequency: dict[str, int]
    parts: dict[str, tuple[str, ...]]
    display: dict[str, str]
    runs: dict[tuple[str, ...], int]
    shapes: dict[str, Shape]
    surfaces: dict[str, tuple[str, ...]]
    units: dict[str, tuple[int, ...]]

    def by_parts(self) -> dict[tuple[str, ...], int]:
        """Frequencies keyed by parts (the input of :func:`~analysis.terms.scores.flr_scores`
        and :func:`~analysis.terms.scores.cvalue_scores`)."""
        return {self.parts[k]: f for k, f in self.frequency.items()}

    def copy(self) -> "Candidates":
        """A copy whose dicts the caller may change (``runs`` sorted)."""
        return Candidates(frequency=dict(self.frequency), parts=dict(self.parts), display=dict(self.display),
                          runs=dict(sorted(self.runs.items())), shapes=dict(self.shapes),
                          surfaces=dict(self.surfaces), units=dict(self.units))


@without_gc
def compound_candidates(
    sentences_or_tokens: "Tokens | Sequence[Sentence] | Sequence[Sequence[Sentence]]",
    *,
    stopwords: StopwordsArg = None,
) -> Candidates:
    """The candidates of the noun runs of one text, of a list of texts, or of Tokens.

    Computed by the shared column pass (:func:`analysis.terms.columns.shared_candidates`,
    memoized per Tokens object), which gives what :func:`noun_runs` and :func:`run_candidate`
    define.

    Parameters
    ----------
    sentences_or_tokens : Tokens, list of Sentence, or list of lists of Sentence
        The text(s); each list of sentences (each Tokens unit) is one unit.
    stopwords : None, path or set of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).

    Returns
    -------
    Candidates
        A private copy (the caller may change it).

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> c = compound_candidates(tokenize("担い手不足の解消と担い手不足への対応、連携強化。"))
    >>> c.frequency["担い手不足"], c.parts["担い手不足"], "連携強化" in c.frequency
    (2, ('担い手', '不足'), False)
    """
    from .columns import shared_candidates  # columns builds on this module

    return shared_candidates(sentences_or_tokens, resolve_stopwords(stopwords)).copy()


def unit_compounds(sentences: Sequence[Sentence], *, stopwords: StopwordsArg = None, min_parts: int = 2) -> list[str]:
    """Normalized keys of the compound terms of one text, in order of first occurrence.

    Parameters
    ----------
    sentences : sequence of Sentence
        The text.
    stopwords : None, path or set of str
        The stop list.
    min_parts : int
        Only candidates of at least this many tokens are compounds (default 2).

    Returns
    -------
    list of str
        The keys, each once.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> unit_compounds(tokenize("市民後見人の養成と地域福祉コーディネーターの配置を推進する。"))
    ['市民後見人', '地域福祉コーディネーター']
    """
    stopwords = resolve_stopwords(stopwords)
    out: dict[str, None] = {}
    for run in noun_runs(sentences):
        found = run_candidate(run, stopwords)
        if found is not None and len(found[0]) >= min_parts:
            out.setdefault("".join(found[0]), None)
    return list(out)
