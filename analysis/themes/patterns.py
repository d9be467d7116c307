"""The units matching compares: lexicon words and sentence tokens cut into Sudachi's shortest units.

A word of the lexicon is folded (:func:`fold`: NFKC, variants, no whitespace, lower case) and cut
into mode-A units; its :class:`Pattern` is the concatenation of those units' normalized forms and
the folded surface.  A token of a sentence is cut the same way, inside the token
(:func:`token_units`), so that a word matches from a unit boundary to a unit boundary.

Cutting a token costs a Sudachi call, so the units of each distinct ``(surface, norm)`` are kept
per variant table (:func:`unit_memo`); distinct tokens are far fewer than tokens.

>>> compile_pattern("取組").norm
'取り組み'
>>> token_units("相談窓口", "相談窓口", default_variants()).norms
('相談', '窓口')
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Iterable, NamedTuple, Sequence

from ..textnorm import match_form
from ..tokens import Sentence, default_variants, tokenizer

__all__ = ["Pattern", "TokenMemo", "TokenUnits", "compile_pattern", "fold", "fold_fast", "fold_many",
           "sentence_columns", "short_units", "token_units", "token_units_many", "unit_memo"]


def fold(text: str, variants: dict[str, str]) -> str:
    """The matching form of a word.

    Parameters
    ----------
    text : str
        A word, phrase or token surface.
    variants : dict[str, str]
        The variant table (character → its folded form).

    Returns
    -------
    str
        :func:`analysis.textnorm.match_form` (NFKC, variants folded, no whitespace), lower-cased
        so that ＮＰＯ = NPO = npo.

    >>> fold("ＮＰＯ 法人", default_variants())
    'npo法人'
    """
    return match_form(text, variants).lower()


_fold_tables: tuple = (None, None)
_SPACE = re.compile(r"\s+")


def fold_fast(text: str, variants: dict[str, str]) -> str:
    """:func:`fold`, with the variant table's translation built once per table (``match_form``
    rebuilds it on every call); tests check that both agree.

    Parameters
    ----------
    text : str
        A token surface (or any text).
    variants : dict[str, str]
        The variant table.

    Returns
    -------
    str
        The same string as ``fold(text, variants)``.

    >>> fold_fast("隨時", default_variants())
    '随時'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_fold_mapping(variants))).lower()


def _fold_mapping(variants: dict[str, str]) -> dict[int, int]:
    """The translation table of ``variants`` (built once per table)."""
    global _fold_tables
    table, mapping = _fold_tables
    if table is not variants:
        mapping = {ord(a): ord(b) for a, b in variants.items() if a != b}
        _fold_tables = (variants, mapping)
    return mapping


# Joins the texts fold_many folds in one go: NFKC never makes it, nor composes or reorders a
# character across it (a starter that composes with nothing), ``\s`` does not match it, and
# ``lower`` treats it as a caseless non-letter, as it treats the end of a text.
_JOIN = "\x00"


def fold_many(texts: Sequence[str], variants: dict[str, str]) -> list[str]:
    """``[fold_fast(t, variants) for t in texts]``, folding all of them as one string (per text,
    the four string operations cost more than its few characters); tests check both agree.

    Parameters
    ----------
    texts : sequence of str
        Token surfaces.
    variants : dict[str, str]
        The variant table.

    Returns
    -------
    list of str
        Each text folded.

    >>> fold_many(["ﾎﾞﾗﾝﾃｨｱ", "隨時", "Ｎ Ｐ Ｏ"], default_variants())
    ['ボランティア', '随時', 'npo']
    """
    joined = _JOIN.join(texts)
    mapping = _fold_mapping(variants)
    if (len(texts) < 2 or joined.count(_JOIN) != len(texts) - 1 or ord(_JOIN) in mapping
            or ord(_JOIN) in mapping.values()):
        return [fold_fast(t, variants) for t in texts]  # a text holds the joiner, or the table moves it
    return fold_fast(joined, variants).split(_JOIN)


@functools.lru_cache(maxsize=65536)
def short_units(surface: str) -> tuple[tuple[str, str], ...]:
    """The shortest Sudachi units (mode A) of one word.

    Parameters
    ----------
    surface : str
        A word (already folded).

    Returns
    -------
    tuple[tuple[str, str], ...]
        ``(surface, normalized form)`` of each unit; ``()`` for the empty string, the whole word
        as one unit when Sudachi refuses it.

    >>> short_units("担い手不足")
    (('担い手', '担い手'), ('不足', '不足'))
    """
    if not surface:
        return ()
    morphemes = _mode_a(surface)
    if morphemes is None:  # a piece Sudachi refuses stays whole rather than failing the match
        return ((surface, surface),)
    return tuple((m.surface(), m.normalized_form()) for m in morphemes)


def _mode_a(surface: str):
    """Sudachi's mode-A morphemes of a word, or None when Sudachi refuses it."""
    return _mode_a_cutter()(surface)


def _mode_a_cutter() -> Callable[[str], object]:
    """:func:`_mode_a` with this thread's mode-A tokenizer looked up once (for many words)."""
    tokenize = tokenizer("A").tokenize

    def cut(surface: str):
        try:
            return tokenize(surface)
        except Exception:
            return None

    return cut


@dataclass(frozen=True)
class Pattern:
    """A lexicon word compiled for matching: its normalized and folded-surface strings."""

    text: str
    norm: str
    surface: str


def compile_pattern(text: str, *, variants: dict[str, str] | None = None) -> Pattern:
    """Compile a word or phrase (cut into units like the sentences it will be matched against).

    Parameters
    ----------
    text : str
        The word or phrase as written in the lexicon.
    variants : dict[str, str] or None, default None
        The variant table (``None``: :func:`analysis.tokens.default_variants`).

    Returns
    -------
    Pattern
        ``text`` as written, the joined lower-cased normalized forms of its units, and its
        folded surface.

    >>> compile_pattern("ﾎﾞﾗﾝﾃｨｱ").surface
    'ボランティア'
    """
    if variants is None:
        variants = default_variants()
    folded = fold(text, variants)
    units = short_units(folded)
    return Pattern(text=text, norm="".join(n.lower() for _, n in units), surface=folded)


class TokenUnits(NamedTuple):
    """The short units of one token as matched: lower-cased normalized forms, folded surfaces,
    and how many there are (0 for whitespace: nothing to match, and no boundary of its own)."""

    norms: tuple[str, ...]
    surfaces: tuple[str, ...]
    count: int


_new_units = tuple.__new__  # TokenUnits without the Python-level __new__: one is made per distinct token


def token_units(surface: str, norm: str, variants: dict[str, str]) -> TokenUnits:
    """Cut one token of a sentence into the units a pattern is matched against.

    A token is cut into mode-A units only when they spell its folded surface exactly;
    otherwise (and for one character) it stays one unit with its own normalized form.

    Parameters
    ----------
    surface : str
        The token as written.
    norm : str
        Its normalized form (in the sentence's split mode).
    variants : dict[str, str]
        The variant table.

    Returns
    -------
    TokenUnits
        The token's units.

    >>> token_units("隨時", "随時", default_variants())
    TokenUnits(norms=('随時',), surfaces=('随時',), count=1)
    """
    return _cut(fold_fast(surface, variants), norm)


def token_units_many(keys: Sequence[tuple[str, str]], variants: dict[str, str]) -> list[TokenUnits]:
    """``[token_units(surface, norm, variants) for surface, norm in keys]``, the surfaces folded
    in one go (:func:`fold_many`).

    Parameters
    ----------
    keys : sequence of (surface, norm)
        The tokens.
    variants : dict[str, str]
        The variant table.

    Returns
    -------
    list of TokenUnits
        Each token's units.
    """
    folded = fold_many([surface for surface, _ in keys], variants)
    cut = _mode_a_cutter()
    return [_cut(f, norm, cut) for f, (_, norm) in zip(folded, keys)]


def _cut(folded: str, norm: str, mode_a: Callable[[str], object] = _mode_a) -> TokenUnits:
    """The units of a token, given its folded surface (see :func:`token_units`)."""
    if not folded:
        return _new_units(TokenUnits, ((), (), 0))
    # the units of short_units(folded), read only when there are two or more: most tokens are
    # one unit, and reading a unit's fields costs about as much as the cut
    morphemes = mode_a(folded) if len(folded) > 1 else None
    if morphemes is not None and len(morphemes) > 1:
        surfaces = tuple(m.surface() for m in morphemes)
        if "".join(surfaces) == folded:
            return _new_units(TokenUnits, (tuple(m.normalized_form().lower() for m in morphemes), surfaces,
                                           len(surfaces)))
    return _new_units(TokenUnits, ((norm.lower(),), (folded,), 1))


class TokenMemo(dict):
    """``{(surface, norm): make(surface, norm)}``, filled on a miss (so that a sentence's
    look-ups are one ``map`` over the dict, with no check for misses) and emptied past ``limit``;
    ``make_many`` (the same, for a list of keys) fills many at once (:meth:`fill`)."""

    __slots__ = ("make", "make_many", "limit")

    def __init__(self, make: Callable[[str, str], tuple], *, limit: int = 200_000,
                 make_many: Callable[[list], list] | None = None) -> None:
        super().__init__()
        self.make = make
        self.make_many = make_many
        self.limit = limit

    def fill(self, keys: Iterable[tuple[str, str]]) -> None:
        """Make the entries of the ``keys`` not held yet in one call of ``make_many`` (when there
        is one and they fit under ``limit``; else misses make them one by one)."""
        if self.make_many is None:
            return
        missing = [key for key in dict.fromkeys(keys) if key not in self]
        if missing and len(self) + len(missing) <= self.limit:
            self.update(zip(missing, self.make_many(missing)))

    def __missing__(self, key: tuple[str, str]) -> tuple:
        if len(self) > self.limit:
            self.clear()
        value = self[key] = self.make(*key)
        return value


_unit_memos: dict[int, tuple[dict, TokenMemo]] = {}


def unit_memo(variants: dict[str, str]) -> TokenMemo:
    """The process-wide memo of :func:`token_units` for one variant table.

    Parameters
    ----------
    variants : dict[str, str]
        The variant table (memos are kept by identity, for a few tables).

    Returns
    -------
    TokenMemo
        ``memo[(surface, norm)]`` is ``token_units(surface, norm, variants)``.

    >>> unit_memo(default_variants())[("相談窓口", "相談窓口")].count
    2
    """
    entry = _unit_memos.get(id(variants))
    if entry is None or entry[0] is not variants:
        if len(_unit_memos) > 8:
            _unit_memos.clear()
        entry = _unit_memos[id(variants)] = (variants, TokenMemo(
            lambda surface, norm: token_units(surface, norm, variants),
            make_many=lambda keys: token_units_many(keys, variants)))
    return entry[1]


def sentence_columns(sentence: Sentence) -> tuple[list[str], list[str], list[int] | None, list[int]]:
    """Read a sentence's tokens as columns, from the text's token columns when it has them (no
    :class:`analysis.tokens.Token` objects: building them costs about as much as tokenizing).

    Parameters
    ----------
    sentence : analysis.tokens.Sentence
        A tokenized sentence.

    Returns
    -------
    tuple[list[str], list[str], list[int] or None, list[int]]
        ``(surfaces, norms, begins, ends)`` of its tokens, offsets relative to the sentence;
        ``begins`` is ``None`` when each token begins where the previous one ends.  (A plain
        tuple: one is made for every sentence coded.)

    >>> from analysis.tokens import tokenize
    >>> surfaces, norms, begins, ends = sentence_columns(tokenize("研修会を開催した。")[0])
    >>> "|".join(surfaces), begins, ends[-1]
    ('研修会|を|開催|し|た|。', None, 9)
    """
    columns = sentence.columns
    if columns is not None:
        lo, hi = sentence.token_range
        ends = columns.ends[lo:hi].tolist()
        text = sentence.text
        surfaces = list(map(text.__getitem__, map(slice, chain((0,), ends), ends)))
        return surfaces, columns.norms[lo:hi], None, ends
    start = sentence.start
    tokens = sentence.tokens
    return ([t.surface for t in tokens], [t.norm for t in tokens],
            [t.begin - start for t in tokens], [t.end - start for t in tokens])
