"""The fast scan: the themes of a sentence as :mod:`analysis.themes.match` defines them, computed
with far less work.  It is an optimisation only; ``tests/test_themes_scan.py`` checks that it gives
the same matches as :func:`~analysis.themes.match.match_sentence_plain` (table-driven cases,
generated text, every sentence of the bundled corpus).

How it saves work, for many sentences and one lexicon:

1. **Needle index** (:class:`LexiconIndex`, built once per lexicon): every pattern's normalized
   string and folded surface (the *needles*), and every prefix of them.  For each theme, the
   needles one of which must occur for it to hold (its *triggers*: a term, or a word each rule
   needs); a theme some rule of which can hold without any word (``!A``, or ``theme:X`` of such
   a theme) is evaluated on every sentence.
2. **Per-token unit memo**: a token's units (:func:`~analysis.themes.patterns.token_units`) and
   which of them start some needle are kept per distinct ``(surface, norm)``; a sentence's tokens
   are read from the token columns (:func:`~analysis.themes.patterns.sentence_columns`), so no
   :class:`~analysis.tokens.Token` objects are built.
3. **Prefix walk**: from each unit that starts some needle, units are appended while the joined
   string is still a prefix of a needle; each needle met is recorded with its token span.  These
   are exactly the runs of units, boundary to boundary, that :meth:`SentenceView.find` finds with
   its string search, for all needles at once.
4. **Only the candidates**: a sentence where no needle starts and no theme always needs
   evaluating has no theme; otherwise only the themes triggered by the needles found (and those
   evaluated on every sentence) are evaluated, by the plain :func:`~analysis.themes.match.match_view`,
   on an :class:`IndexedView` whose ``find`` is a look-up in the walk's results.
5. **Many sentences at once** (:func:`match_units`): most sentences have a unit that starts some
   needle (one-character prefixes such as 人 or た are common), but few hold a whole needle.  The
   walk is split in two: what it finds inside one token is memoized per distinct token (a needle
   inside it, and the *open pieces*, runs of its last units that are still a prefix of a needle),
   and only where an open piece followed by the next token's first unit is still a prefix can a
   needle cross tokens.  Both are checked for every token of every sentence at once (numpy over
   per-token ids); only the sentences that pass are walked and evaluated as above.

A sentence with an empty unit (a unit sharing its offset with a neighbour, where the walk's
unit-by-unit step does not hold) is evaluated by the plain definition instead.

>>> from analysis.tokens import tokenize
>>> from analysis.themes import parse_lexicon
>>> lexicon = parse_lexicon('[[theme]]\\nname = "相談"\\nterms = ["相談窓口"]\\n')
>>> match_sentence(lexicon, tokenize("相談窓口を周知した。")[0])["相談"][0].words
('相談窓口',)
"""

from __future__ import annotations

import functools
from array import array
from itertools import accumulate, compress
from operator import itemgetter
from typing import Callable, Iterable, Sequence

from ..terms.numbering import Numbering
from ..tokens import Sentence, default_variants
from .lexicon import Lexicon, Theme
from .match import SentenceView, ThemeMatch, match_view
from .patterns import Pattern, TokenMemo, sentence_columns, unit_memo
from .rules import And, Near, Not, Or, Rule, ThemeRef, Word, rule_patterns

__all__ = ["IndexedView", "LexiconIndex", "lexicon_index", "match_sentence", "match_units", "sentence_matcher"]

Needs = tuple[frozenset, frozenset]  # (normalized needles, surface needles)
Hits = dict[str, set[tuple[int, int]]]  # needle -> token spans

# Fields of a token's entry in the index's token memo (a tuple, read by position on the hot path).
(_NORMS, _SURFACES, _COUNT, _FLAGGED, _EMPTY, _NORM_STARTS, _SURF_STARTS, _INNER, _OPEN_NORMS,
 _OPEN_SURFACES) = range(10)
_flag, _inner = itemgetter(_FLAGGED), itemgetter(_INNER)


class LexiconIndex:
    """Every needle of a lexicon (with all its prefixes), the themes each needle can make hold,
    and the memo of per-token units for the scan.

    Parameters
    ----------
    lexicon : Lexicon
        The themes to index.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        norms: set[str] = set()
        surfaces: set[str] = set()
        for theme in lexicon.themes:
            for pattern in _theme_patterns(theme):
                norms.add(pattern.norm)
                surfaces.add(pattern.surface)
        norms.discard("")
        surfaces.discard("")
        self.norms = frozenset(norms)
        self.surfaces = frozenset(surfaces)
        self.norm_prefixes = frozenset(n[:k] for n in norms for k in range(1, len(n) + 1))
        self.surf_prefixes = frozenset(s[:k] for s in surfaces for k in range(1, len(s) + 1))
        needs: dict[str, Needs | None] = {}
        for theme in lexicon.themes:
            _theme_needs(theme, lexicon, needs)
        self.has_empty = False  # a token with an empty unit was seen
        self._memo_variants: dict | None = None
        self._token_memo: TokenMemo | None = None
        self.always: list[int] = []  # themes evaluated on every sentence
        self.by_norm: dict[str, list[int]] = {}
        self.by_surface: dict[str, list[int]] = {}
        for number, theme in enumerate(lexicon.themes):
            need = needs[theme.name]
            if need is None:
                self.always.append(number)
                continue
            for needle in need[0]:
                self.by_norm.setdefault(needle, []).append(number)
            for needle in need[1]:
                self.by_surface.setdefault(needle, []).append(number)

    def token_memo(self, variants: dict[str, str]) -> TokenMemo:
        """The memo of :meth:`token_info` for the tokens seen so far (one variant table at a time).

        Parameters
        ----------
        variants : dict[str, str]
            The variant table.

        Returns
        -------
        TokenMemo
            ``memo[(surface, norm)]`` is ``token_info(surface, norm, variants)``.
        """
        if self._memo_variants is not variants:
            self._memo_variants = variants
            self._token_memo = TokenMemo(lambda surface, norm: self.token_info(surface, norm, variants))
        return self._token_memo

    def token_info(self, surface: str, norm: str, variants: dict[str, str]) -> tuple:
        """A token as the scan reads it.

        Parameters
        ----------
        surface : str
            The token as written.
        norm : str
            Its normalized form.
        variants : dict[str, str]
            The variant table.

        Returns
        -------
        tuple
            Its units (norms, surfaces, count), whether a needle may start in it (or it has an
            empty unit), whether it has an empty unit, the positions of the units where a
            normalized and a surface needle may start, whether a needle lies inside it (or it has
            an empty unit), and its open pieces, normalized and surface (see :func:`_token_walk`).
        """
        units = unit_memo(variants)[(surface, norm)]
        unit_norms, unit_surfaces = units[0], units[1]
        norm_prefixes, surf_prefixes = self.norm_prefixes, self.surf_prefixes
        empty = "" in unit_norms or "" in unit_surfaces
        if empty:
            self.has_empty = True
        elif norm_prefixes.isdisjoint(unit_norms) and surf_prefixes.isdisjoint(unit_surfaces):
            return (*units, False, False, (), (), False, (), ())  # most tokens: no unit starts a needle
        # a token with an empty unit is flagged too, so that the sentence is seen as having one
        norm_starts = tuple(k for k, n in enumerate(unit_norms) if n in norm_prefixes)
        surf_starts = tuple(k for k, s in enumerate(unit_surfaces) if s in surf_prefixes)
        norm_inner, open_norms = _token_walk(unit_norms, norm_starts, norm_prefixes, self.norms)
        surf_inner, open_surfaces = _token_walk(unit_surfaces, surf_starts, surf_prefixes, self.surfaces)
        return (*units, bool(empty or norm_starts or surf_starts), empty, norm_starts, surf_starts,
                empty or norm_inner or surf_inner, open_norms, open_surfaces)

    def continues(self, info: tuple, following: tuple) -> bool:
        """Whether the walk can go on from a token's open pieces into the token after it.

        Parameters
        ----------
        info, following : tuple
            The two tokens' entries of :meth:`token_memo`, in sentence order.

        Returns
        -------
        bool
            True when an open piece of ``info`` followed by the first unit of ``following`` is
            still a prefix of a needle (on the same side), or ``following`` has no units (the
            walk steps over it: decided by the walk itself).
        """
        if not following[_COUNT]:
            return True
        return any(piece + following[side][0] in prefixes
                   for side, prefixes, pieces in ((_NORMS, self.norm_prefixes, _OPEN_NORMS),
                                                  (_SURFACES, self.surf_prefixes, _OPEN_SURFACES))
                   for piece in info[pieces])

    def candidates(self, norms: Iterable[str], surfaces: Iterable[str]) -> list[int]:
        """The themes that may hold on a sentence, given the needles found there.

        Parameters
        ----------
        norms : Iterable[str]
            Normalized needles found.
        surfaces : Iterable[str]
            Surface needles found.

        Returns
        -------
        list[int]
            Positions (increasing, in lexicon order) of the themes triggered, and of those
            evaluated on every sentence.
        """
        found = set(self.always)
        by_norm, by_surface = self.by_norm, self.by_surface
        for needle in norms:
            found.update(by_norm.get(needle, ()))
        for needle in surfaces:
            found.update(by_surface.get(needle, ()))
        return sorted(found)


def _token_walk(units: tuple[str, ...], starts: tuple[int, ...], prefixes: frozenset[str],
                needles: frozenset[str]) -> tuple[bool, tuple[str, ...]]:
    """The prefix walk of :func:`_walk` inside one token: whether it meets a needle there, and the
    pieces with which it reaches the token's end still on a prefix (its *open pieces*: only from
    those can a needle go on into the next token)."""
    inner = False
    pieces = []
    for k in starts:
        piece = units[k]
        inner = inner or piece in needles
        for unit in units[k + 1:]:
            piece += unit
            if piece not in prefixes:
                break
            inner = inner or piece in needles
        else:
            pieces.append(piece)
    return inner, tuple(pieces)


def _theme_patterns(theme: Theme) -> Iterable[Pattern]:
    yield from theme.terms
    for _, tree in theme.rules:
        yield from rule_patterns(tree)


def _needles(patterns: Iterable[Pattern]) -> Needs:
    patterns = list(patterns)
    return (frozenset(p.norm for p in patterns if p.norm), frozenset(p.surface for p in patterns if p.surface))


def _node_needs(node: Rule, lexicon: Lexicon, needs: dict) -> Needs | None:
    """Needles one of which must occur for ``node`` to hold (``None``: it may hold without any)."""
    if isinstance(node, Word):
        return _needles([node.pattern])
    if isinstance(node, Near):
        return _needles(node.left)  # near() needs one of its first alternatives
    if isinstance(node, ThemeRef):
        for theme in lexicon.themes:
            if theme.name == node.name:
                return _theme_needs(theme, lexicon, needs)
        return None
    if isinstance(node, Not):
        return None
    if isinstance(node, And):  # any operand's needs will do: take the narrowest
        found = [n for n in (_node_needs(op, lexicon, needs) for op in node.operands) if n is not None]
        return min(found, key=lambda n: len(n[0]) + len(n[1])) if found else None
    if isinstance(node, Or):
        norms: set[str] = set()
        surfaces: set[str] = set()
        for operand in node.operands:
            need = _node_needs(operand, lexicon, needs)
            if need is None:
                return None
            norms |= need[0]
            surfaces |= need[1]
        return frozenset(norms), frozenset(surfaces)
    return None


def _theme_needs(theme: Theme, lexicon: Lexicon, needs: dict) -> Needs | None:
    """A theme's triggers: its terms' needles and each rule's (``None`` when a rule needs none)."""
    if theme.name in needs:
        return needs[theme.name]
    needs[theme.name] = None  # cycles are rejected at load time; this guards recursion anyway
    norms, surfaces = (set(n) for n in _needles(theme.terms))
    result: Needs | None = None
    for _, tree in theme.rules:
        need = _node_needs(tree, lexicon, needs)
        if need is None:
            break
        norms |= need[0]
        surfaces |= need[1]
    else:
        result = (frozenset(norms), frozenset(surfaces))
    needs[theme.name] = result
    return result


_index_memo: dict[int, tuple[Lexicon, LexiconIndex]] = {}


def lexicon_index(lexicon: Lexicon) -> LexiconIndex:
    """The needle index of a lexicon, built once per lexicon object (a few are kept).

    Parameters
    ----------
    lexicon : Lexicon
        The themes.

    Returns
    -------
    LexiconIndex
        Its index (the same object for the same lexicon).

    >>> from analysis.themes import parse_lexicon
    >>> sorted(lexicon_index(parse_lexicon('[[theme]]\\nname = "a"\\nterms = ["担い手不足"]\\n')).norm_prefixes)
    ['担', '担い', '担い手', '担い手不', '担い手不足']
    """
    entry = _index_memo.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        if len(_index_memo) > 16:
            _index_memo.clear()
        entry = _index_memo[id(lexicon)] = (lexicon, LexiconIndex(lexicon))
    return entry[1]


class IndexedView(SentenceView):
    """A :class:`SentenceView` whose :meth:`find` reads the spans the prefix walk found (patterns
    the index does not hold fall back to the string search)."""

    @classmethod
    def over(cls, sentence: Sentence, infos: list[tuple], begins: list[int] | None, ends: list[int],
             norm_hits: Hits, surf_hits: Hits, index: LexiconIndex) -> "IndexedView":
        """The view of a sentence over its tokens' memo entries, with the walk's hits.

        Parameters
        ----------
        sentence : analysis.tokens.Sentence
            The sentence.
        infos : list[tuple]
            Each token's entry of :meth:`LexiconIndex.token_memo`.
        begins, ends : list[int] or None, list[int]
            As :func:`~analysis.themes.patterns.sentence_columns` gives them.
        norm_hits, surf_hits : dict[str, set[tuple[int, int]]]
            The normalized and surface needles found, with their token spans.
        index : LexiconIndex
            The index the needles come from.

        Returns
        -------
        IndexedView
            The view.
        """
        view = cls.from_units(sentence, infos, begins, ends)
        view._index = (norm_hits, surf_hits, index.norms, index.surfaces, {})  # {} : spans found per pattern
        return view

    def find(self, pattern: Pattern) -> list[tuple[int, int]]:
        """:meth:`SentenceView.find`, read from the walk's hits for the index's patterns.

        Parameters
        ----------
        pattern : Pattern
            A compiled word or phrase.

        Returns
        -------
        list[tuple[int, int]]
            The same spans as the string search finds.
        """
        norm_hits, surf_hits, norms, surfaces, done = self._index
        spans = done.get(pattern)
        if spans is None:
            if (pattern.norm and pattern.norm not in norms) or (pattern.surface and pattern.surface not in surfaces):
                return super().find(pattern)
            a = norm_hits.get(pattern.norm)
            b = surf_hits.get(pattern.surface)
            spans = done[pattern] = tuple(sorted(a | b if a and b else a or b or ()))
        return list(spans)


def match_sentence(lexicon: Lexicon, sentence: Sentence, *, index: int = 0,
                   variants: dict[str, str] | None = None) -> dict[str, list[ThemeMatch]]:
    """The themes of one sentence (the same as :func:`~analysis.themes.match.match_sentence_plain`, faster).

    Parameters
    ----------
    lexicon : Lexicon
        The themes.
    sentence : analysis.tokens.Sentence
        A tokenized sentence.
    index : int, default 0
        The sentence's index in its text unit (kept on each match).
    variants : dict[str, str] or None, default None
        The variant table (``None``: the default table).

    Returns
    -------
    dict[str, list[ThemeMatch]]
        ``{theme: [ThemeMatch]}`` for the themes that hold, in lexicon order.
    """
    if variants is None:
        variants = default_variants()
    return sentence_matcher(lexicon, variants=variants)(sentence, index)


def sentence_matcher(lexicon: Lexicon, *, variants: dict[str, str]) -> Callable[[Sentence, int], dict[str, list[ThemeMatch]]]:
    """:func:`match_sentence` for one lexicon and variant table, ready for many sentences.

    Parameters
    ----------
    lexicon : Lexicon
        The themes.
    variants : dict[str, str]
        The variant table.

    Returns
    -------
    Callable[[Sentence, int], dict[str, list[ThemeMatch]]]
        ``match(sentence, index)``: the themes of the sentence, as :func:`match_sentence` gives them.
    """
    index = lexicon_index(lexicon)
    return functools.partial(_match, lexicon, index, index.token_memo(variants))


def match_units(lexicon: Lexicon, unit_sentences: Sequence[Sequence[Sentence]], *, variants: dict[str, str],
                numbers: tuple | None = None) -> list[list[tuple[int, dict[str, list[ThemeMatch]]]]]:
    """The themes of every sentence of many text units (:func:`match_sentence` on each, faster).

    Parameters
    ----------
    lexicon : Lexicon
        The themes.
    unit_sentences : Sequence[Sequence[Sentence]]
        Each unit's sentences (``Tokens.sentences``).
    variants : dict[str, str]
        The variant table.
    numbers : tuple or None, default None
        ``(ids, keys, sentence_starts)`` of these sentences' tokens numbered by ``(surface, norm)``
        (:func:`analysis.terms.columns.token_numbers`, shared with the terms stage); ``None``:
        numbered here.

    Returns
    -------
    list[list[tuple[int, dict[str, list[ThemeMatch]]]]]
        Per unit, ``(sentence index, themes)`` of each of its sentences that carries a theme, in
        sentence order; ``themes`` as :func:`match_sentence` gives it.

    >>> from analysis.themes import parse_lexicon
    >>> from analysis.tokens import tokenize
    >>> lexicon = parse_lexicon('[[theme]]\\nname = "相談"\\nterms = ["相談窓口"]\\n')
    >>> found = match_units(lexicon, [tokenize("晴れた。相談窓口を周知した。")], variants=default_variants())
    >>> [(i, list(themes)) for i, themes in found[0]]
    [(1, ['相談'])]
    """
    index = lexicon_index(lexicon)
    memo = index.token_memo(variants)
    sentences = [s for unit in unit_sentences for s in unit]
    unit_of = [u for u, unit in enumerate(unit_sentences) for _ in unit]
    first_of = list(accumulate(map(len, unit_sentences), initial=0))
    out: list[list] = [[] for _ in unit_sentences]
    chosen = (range(len(sentences)) if index.always
              else _candidates(index, memo, numbers or _numbers(sentences), unit_memo(variants)))
    for k in chosen:
        unit = unit_of[k]
        found = _match(lexicon, index, memo, sentences[k], k - first_of[unit])
        if found:
            out[unit].append((k - first_of[unit], found))
    return out


def _numbers(sentences: list[Sentence]) -> tuple:
    """The sentences' tokens numbered by ``(surface, norm)``: ``(ids, keys, sentence_starts)``."""
    import numpy as np

    # sentence by sentence: the surfaces are dropped as they are read (all of them at once would be
    # ~50 MB of fresh memory per M characters)
    numbers = Numbering()
    number = numbers.__getitem__
    token_numbers = array("q")
    bounds = [0]  # sentence k's tokens are [bounds[k], bounds[k + 1]) of token_numbers
    for sentence in sentences:
        surfaces, norms, _, _ = sentence_columns(sentence)
        token_numbers.extend(map(number, zip(surfaces, norms)))
        bounds.append(len(token_numbers))
    ids = np.frombuffer(token_numbers, dtype=np.int64) if token_numbers else np.zeros(0, dtype=np.int64)
    return ids, list(numbers), np.asarray(bounds)


def _candidates(index: LexiconIndex, memo: TokenMemo, numbers: tuple, units: TokenMemo) -> list[int]:
    """The positions of the sentences where the walk can meet a needle (a superset of those where
    it does): a token holds one, or an open piece of a token goes on into the next token.
    ``units``: the unit memo ``memo`` reads (filled here for every distinct token at once)."""
    import numpy as np

    ids, keys, starts = numbers
    units.fill(key for key in keys if key not in memo)
    infos = list(map(memo.__getitem__, keys))  # one entry per distinct token, by its number
    inner = np.fromiter(map(_inner, infos), dtype=bool, count=len(infos))[ids]
    hit = np.searchsorted(starts, np.flatnonzero(inner), side="right") - 1
    # a token with open pieces and a next token in its sentence: does the walk go on into it?
    is_open = np.fromiter((bool(i[_OPEN_NORMS] or i[_OPEN_SURFACES]) for i in infos), dtype=bool,
                          count=len(infos))[ids]
    at = np.flatnonzero(is_open)
    sentence_of = np.searchsorted(starts, at, side="right") - 1
    keep = at + 1 < starts[sentence_of + 1]
    at, sentence_of = at[keep], sentence_of[keep]
    pairs, which = np.unique(ids[at] * len(infos) + ids[at + 1], return_inverse=True)
    goes_on = np.fromiter((index.continues(infos[p // len(infos)], infos[p % len(infos)]) for p in pairs.tolist()),
                          dtype=bool, count=len(pairs))
    return np.union1d(hit, sentence_of[goes_on[which]]).tolist()


def _match(lexicon: Lexicon, lexicon_index: LexiconIndex, memo: TokenMemo, sentence: Sentence,
           index: int) -> dict[str, list[ThemeMatch]]:
    surfaces, norms, begins, ends = sentence_columns(sentence)
    infos = list(map(memo.__getitem__, zip(surfaces, norms)))
    always = lexicon_index.always
    flagged = list(compress(range(len(infos)), map(_flag, infos)))
    if not flagged and not always:
        return {}  # no unit can start any word of the lexicon, and no theme holds without one
    if lexicon_index.has_empty and any(infos[position][_EMPTY] for position in flagged):
        return match_view(lexicon, SentenceView.from_units(sentence, infos, begins, ends), index=index)
    norm_hits = _walk(infos, flagged, 0, lexicon_index.norm_prefixes, lexicon_index.norms)
    surf_hits = _walk(infos, flagged, 1, lexicon_index.surf_prefixes, lexicon_index.surfaces)
    if not norm_hits and not surf_hits and not always:
        return {}
    view = IndexedView.over(sentence, infos, begins, ends, norm_hits, surf_hits, lexicon_index)
    return match_view(lexicon, view, index=index, only=lexicon_index.candidates(norm_hits.keys(), surf_hits.keys()))


def _walk(infos: list[tuple], flagged: list[int], side: int, prefixes: frozenset[str],
          needles: frozenset[str]) -> Hits:
    """Every needle that equals a run of units (``side`` 0: normalized, 1: surface), with its token
    spans, walking from the units of the ``flagged`` tokens that start a needle along ``prefixes``
    (no unit of the sentence may be empty)."""
    hits: Hits = {}
    size = len(infos)
    starts_at = _NORM_STARTS + side
    for first in flagged:
        info = infos[first]
        units = info[side]
        for k in info[starts_at]:
            piece = units[k]
            token, rest = first, units[k + 1:]
            while True:
                if piece in needles:
                    found = hits.get(piece)
                    if found is None:
                        found = hits[piece] = set()
                    found.add((first, token + 1))
                if not rest:  # on to the next token that has units (whitespace has none)
                    token += 1
                    while token < size and not infos[token][_COUNT]:
                        token += 1
                    if token == size:
                        break
                    rest = infos[token][side]
                piece += rest[0]
                rest = rest[1:]
                if piece not in prefixes:
                    break
    return hits
