"""What a theme matches in a sentence: the plain definition.

A sentence is seen as its short units (:class:`SentenceView`: each token cut by
:func:`~analysis.themes.patterns.token_units`, with the index of the token each unit belongs to).
A pattern matches where its normalized string, or its folded surface, equals the joined strings
of a run of units, from a unit boundary to a unit boundary (:meth:`SentenceView.find`: a string
search).  A rule is evaluated on those matches (:func:`evaluate_rule`), a theme holds where one
of its terms matches or one of its rules holds (:func:`theme_spans`), and
:func:`match_sentence_plain` evaluates every theme of the lexicon in turn.

This is the definition, written to be read; :mod:`analysis.themes.scan` computes the same result
faster and is tested against it.

>>> from analysis.themes import compile_pattern, parse_rule
>>> from analysis.tokens import tokenize
>>> view = SentenceView(tokenize("相談窓口を周知した。")[0])
>>> view.find(compile_pattern("窓口")), view.words((0, 1))
([(0, 1)], '相談窓口')
>>> evaluate_rule(parse_rule("相談 & !議体"), view)
(True, [(0, 1)])
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Iterable, Sequence

from ..tokens import Sentence, Token, default_variants
from .lexicon import Lexicon, Theme
from .patterns import Pattern, TokenUnits, sentence_columns, unit_memo
from .rules import And, Near, Not, Or, Rule, ThemeRef, Word

__all__ = ["SentenceView", "ThemeMatch", "evaluate_rule", "match_sentence_plain", "match_view", "theme_match",
           "theme_spans"]

Span = tuple[int, int]  # token indexes (first, last + 1)
_norms_of, _surfaces_of, _count_of = itemgetter(0), itemgetter(1), itemgetter(2)


class SentenceView:
    """A sentence prepared for matching: its short units, with their parent token index.

    Parameters
    ----------
    sentence : analysis.tokens.Sentence
        A tokenized sentence.
    variants : dict[str, str] or None, default None
        The variant table (``None``: the default table).
    """

    def __init__(self, sentence: Sentence, *, variants: dict[str, str] | None = None) -> None:
        memo = unit_memo(default_variants() if variants is None else variants)
        surfaces, norms, begins, ends = sentence_columns(sentence)
        self._setup(sentence, list(map(memo.__getitem__, zip(surfaces, norms))), begins, ends)

    @classmethod
    def from_units(cls, sentence: Sentence, units: Sequence[TokenUnits], begins: list[int] | None,
                   ends: list[int]) -> "SentenceView":
        """A view of a sentence over its tokens' units already cut.

        Parameters
        ----------
        sentence : analysis.tokens.Sentence
            The sentence.
        units : Sequence[TokenUnits]
            One entry per token, starting with the fields of
            :class:`~analysis.themes.patterns.TokenUnits` (longer tuples are fine).
        begins : list[int] or None
            Token begins relative to the sentence (``None``: each where the previous one ends).
        ends : list[int]
            Token ends relative to the sentence.

        Returns
        -------
        SentenceView
            The view (of the class it is called on).
        """
        view = cls.__new__(cls)
        view._setup(sentence, units, begins, ends)
        return view

    def _setup(self, sentence: Sentence, units: Sequence[TokenUnits], begins: list[int] | None,
               ends: list[int]) -> None:
        self.sentence = sentence
        self._begins = begins
        self._ends = ends
        # units of the sentence: lower-cased normalized forms, folded surfaces, parent token index
        self._norm_units: list[str] = list(chain.from_iterable(map(_norms_of, units)))
        self._surf_units: list[str] = list(chain.from_iterable(map(_surfaces_of, units)))
        self._parent: list[int] = list(chain.from_iterable(map(repeat, range(len(units)), map(_count_of, units))))
        self._norm: str | None = None
        self._surface: str | None = None
        self._bounds: tuple[dict[int, int], dict[int, int]] | None = None
        self._chars: frozenset[str] | None = None

    @property
    def norm(self) -> str:
        """The sentence's units' lower-cased normalized forms, joined."""
        if self._norm is None:
            self._norm = "".join(self._norm_units)
        return self._norm

    @property
    def surface(self) -> str:
        """The sentence's units' folded surfaces, joined."""
        if self._surface is None:
            self._surface = "".join(self._surf_units)
        return self._surface

    @property
    def chars(self) -> frozenset[str]:
        """Every character of :attr:`norm` and :attr:`surface` (a word can be in the sentence only
        when all its characters are)."""
        if self._chars is None:
            self._chars = frozenset(self.norm).union(self.surface)
        return self._chars

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The sentence's tokens."""
        return self.sentence.tokens

    def _offsets(self) -> tuple[dict[int, int], dict[int, int]]:
        """``{char offset: unit index}`` at every unit boundary of the normalized and surface strings."""
        if self._bounds is None:
            bounds = []
            for units in (self._norm_units, self._surf_units):
                table = {0: 0}
                offset = 0
                for number, unit in enumerate(units, 1):
                    offset += len(unit)
                    table[offset] = number
                bounds.append(table)
            self._bounds = (bounds[0], bounds[1])
        return self._bounds

    def find(self, pattern: Pattern) -> list[Span]:
        """Token spans where ``pattern`` matches.

        Parameters
        ----------
        pattern : Pattern
            A compiled word or phrase.

        Returns
        -------
        list[tuple[int, int]]
            ``(first token, last token + 1)`` of each match, sorted, deduplicated.
        """
        spans: set[Span] = set()
        norm_bounds, surf_bounds = self._offsets()
        for haystack, needle, bounds in ((self.norm, pattern.norm, norm_bounds),
                                          (self.surface, pattern.surface, surf_bounds)):
            if not needle:
                continue
            start = haystack.find(needle)
            while start >= 0:
                end = start + len(needle)
                if start in bounds and end in bounds:
                    first, last = bounds[start], bounds[end]
                    spans.add((self._parent[first], self._parent[last - 1] + 1))
                start = haystack.find(needle, start + 1)
        return sorted(spans)

    def words(self, span: Span) -> str:
        """The original wording of a token span (as written in the source).

        Parameters
        ----------
        span : tuple[int, int]
            ``(first token, last token + 1)``.

        Returns
        -------
        str
            The sentence's text over those tokens, stripped.
        """
        first, last = span
        begins, ends = self._begins, self._ends
        begin = begins[first] if begins is not None else ends[first - 1] if first else 0
        return self.sentence.text[begin:ends[last - 1]].strip()


@dataclass(frozen=True)
class ThemeMatch:
    """Why a sentence carries a theme: the deciding words as written, and the sentence."""

    theme: str
    words: tuple[str, ...]
    sentence: str
    sentence_index: int

    def to_dict(self) -> dict:
        """The match as plain data (the shape of ``keikaku themes --json``)."""
        return {"theme": self.theme, "words": list(self.words), "sentence": self.sentence,
                "sentence_index": self.sentence_index}


def evaluate_rule(node: Rule, view: SentenceView, *, lexicon: Lexicon | None = None,
                  memo: dict | None = None) -> tuple[bool, list[Span]]:
    """Whether a rule holds on one sentence, and the token spans that made it hold.

    Parameters
    ----------
    node : Rule
        A parsed rule.
    view : SentenceView
        The sentence.
    lexicon : Lexicon or None, default None
        The lexicon ``theme:NAME`` references are looked up in (``None``: a rule without them).
    memo : dict or None, default None
        Theme spans already decided on this sentence (:func:`theme_spans`), shared between rules.

    Returns
    -------
    tuple[bool, list[tuple[int, int]]]
        The truth, and the deciding spans: a word's first match, both sides of the first
        ``near()`` pair within the window, every operand's spans for ``&``, the first true
        operand's for ``|``, none for ``!``.
    """
    return _evaluate(node, view, {} if memo is None else memo, lexicon or _NO_THEMES)


def _evaluate(node: Rule, view: SentenceView, memo: dict, lexicon: Lexicon) -> tuple[bool, list[Span]]:
    if isinstance(node, Word):
        spans = view.find(node.pattern)
        return bool(spans), spans[:1]
    if isinstance(node, Near):
        lefts = sorted({span for p in node.left for span in view.find(p)})
        rights = sorted({span for p in node.right for span in view.find(p)})
        for a in lefts:
            for b in rights:
                if a == b:
                    continue
                if node.ordered and b[0] < a[1]:
                    continue
                gap = max(b[0] - a[1], a[0] - b[1], 0)
                if gap <= node.window:
                    return True, [a, b]
        return False, []
    if isinstance(node, ThemeRef):
        spans = theme_spans(lexicon.get(node.name), view, lexicon, memo)
        return spans is not None, spans or []
    if isinstance(node, Not):
        ok, _ = _evaluate(node.operand, view, memo, lexicon)
        return not ok, []
    if isinstance(node, And):
        spans: list = []
        for operand in node.operands:
            ok, found = _evaluate(operand, view, memo, lexicon)
            if not ok:
                return False, []
            spans.extend(found)
        return True, spans
    if isinstance(node, Or):
        for operand in node.operands:
            ok, found = _evaluate(operand, view, memo, lexicon)
            if ok:
                return True, found
        return False, []
    raise TypeError(node)


_NO_THEMES = Lexicon(themes=())


def theme_spans(theme: Theme, view: SentenceView, lexicon: Lexicon, memo: dict) -> list[Span] | None:
    """The spans deciding ``theme`` on one sentence, or ``None`` when it does not hold there.

    Parameters
    ----------
    theme : Theme
        The theme.
    view : SentenceView
        The sentence.
    lexicon : Lexicon
        The lexicon (for ``theme:`` references).
    memo : dict
        ``{theme name: spans or None}`` of this sentence, filled as themes are decided.

    Returns
    -------
    list[tuple[int, int]] or None
        Every match of its terms and the spans of every rule that holds, sorted, deduplicated.
    """
    if theme.name in memo:
        return memo[theme.name]
    memo[theme.name] = None  # cycles are rejected at load time; this guards recursion anyway
    spans: list[Span] = []
    for pattern in theme.terms:
        spans.extend(view.find(pattern))
    matched = bool(spans)
    for _, tree in theme.rules:
        ok, found = _evaluate(tree, view, memo, lexicon)
        if ok:
            matched = True
            spans.extend(found)
    result = sorted(set(spans)) if matched else None
    memo[theme.name] = result
    return result


def theme_match(name: str, spans: list[Span], view: SentenceView, *, index: int) -> ThemeMatch:
    """The evidence of a theme that holds: the deciding words as written.

    Parameters
    ----------
    name : str
        The theme's name.
    spans : list[tuple[int, int]]
        Its deciding spans (:func:`theme_spans`).
    view : SentenceView
        The sentence.
    index : int
        The sentence's index in its text unit.

    Returns
    -------
    ThemeMatch
        The words of the spans not inside another deciding span (担い手 inside 担い手不足 adds
        nothing), in span order, each once.
    """
    kept = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]
    words = tuple(dict.fromkeys(view.words(s) for s in kept))
    return ThemeMatch(name, words, view.sentence.text, index)


def match_sentence_plain(lexicon: Lexicon, sentence: Sentence, *, index: int = 0,
                         variants: dict[str, str] | None = None) -> dict[str, list[ThemeMatch]]:
    """The themes of one sentence, by the plain definition: every theme evaluated in turn.

    :func:`analysis.themes.match_sentence` gives the same result, faster.

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

    >>> from analysis.tokens import tokenize
    >>> from analysis.themes import parse_lexicon
    >>> lexicon = parse_lexicon('[[theme]]\\nname = "担い手不足"\\nrules = ["near(担い手, 確保, 3) & 課題"]\\n')
    >>> match_sentence_plain(lexicon, tokenize("新たな担い手の確保が課題となった。")[0])["担い手不足"][0].words
    ('担い手', '確保', '課題')
    """
    return match_view(lexicon, SentenceView(sentence, variants=variants), index=index)


def match_view(lexicon: Lexicon, view: SentenceView, *, index: int = 0,
               only: Iterable[int] | None = None) -> dict[str, list[ThemeMatch]]:
    """The themes that hold on a sentence already prepared for matching.

    Parameters
    ----------
    lexicon : Lexicon
        The themes.
    view : SentenceView
        The sentence.
    index : int, default 0
        The sentence's index in its text unit (kept on each match).
    only : Iterable[int] or None, default None
        Positions (in lexicon order, increasing) of the themes to evaluate, when the others are
        known not to hold (``None``: every theme).

    Returns
    -------
    dict[str, list[ThemeMatch]]
        ``{theme: [ThemeMatch]}`` for the themes that hold, in lexicon order.
    """
    themes = lexicon.themes
    memo: dict = {}
    out: dict[str, list[ThemeMatch]] = {}
    for number in range(len(themes)) if only is None else only:
        theme = themes[number]
        spans = theme_spans(theme, view, lexicon, memo)
        if spans is not None:
            out[theme.name] = [theme_match(theme.name, spans, view, index=index)]
    return out
