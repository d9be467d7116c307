"""Per-sentence text features of every direction: content nouns, compound terms, themes.

Adapters over the stages above continuity: the tokens, the theme coding and the stop list come
from one :class:`analysis.pipeline.Analysis` (nothing is tokenized or coded again here); the key
terms are the terms stage's :func:`analysis.terms.term_table`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..corpus import Corpus
from .options import PROBLEM_STANCES, continuity_options

if TYPE_CHECKING:
    from ..pipeline import Analysis
    from ..themes import Lexicon
    from ..tokens import Sentence, Tokens


def resolve_analysis(corpus: Corpus, *, analysis: "Analysis | None" = None, tokens: "Tokens | None" = None,
                     settings: Any = None, lexicon: "Lexicon | None" = None) -> "Analysis":
    """The :class:`~analysis.pipeline.Analysis` a continuity function works from.

    Parameters
    ----------
    corpus : Corpus
    analysis : Analysis, optional
        Used as it is (then ``tokens``, ``settings`` and ``lexicon`` must be None, and its corpus
        must be ``corpus``).
    tokens, settings, lexicon : optional
        Made into a new Analysis when ``analysis`` is None (see :func:`analysis.pipeline.analyze`).

    Returns
    -------
    Analysis
    """
    if analysis is None:
        from ..pipeline import analyze

        return analyze(corpus, settings=settings, tokens=tokens, lexicon=lexicon)
    if tokens is not None or settings is not None or lexicon is not None:
        raise TypeError("give analysis= or tokens=/settings=/lexicon=, not both")
    if analysis.corpus is not corpus:
        raise ValueError("analysis= is the analysis of another corpus")
    return analysis


def _is_kana_only(text: str) -> bool:
    return all("\u3040" <= ch <= "\u309f" or ch == "ー" for ch in text)


def content_nouns(sentence: "Sentence", stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Normalized common and proper nouns of a sentence: the words that carry a plan's content.

    Parameters
    ----------
    sentence : tokens.Sentence
    stopwords : frozenset of str
        Normalized words left out (as are kana-only words and numbers).

    Returns
    -------
    list of str
        In sentence order, repeats kept.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> content_nouns(tokenize("担い手不足が課題となった。")[0])
    ['担い手', '不足', '課題']
    """
    from ..tokens import pos_table

    table = pos_table()
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


def sentence_words(sentence: "Sentence", stopwords: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The content nouns and the compound terms (:func:`analysis.terms.unit_compounds`) of a
    sentence, both without the stop words.

    Parameters
    ----------
    sentence : tokens.Sentence
    stopwords : frozenset of str

    Returns
    -------
    (frozenset of str, frozenset of str)
        Nouns, compounds.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> nouns, compounds = sentence_words(tokenize("担い手不足が課題となった。")[0], frozenset())
    >>> sorted(nouns), sorted(compounds)
    (['不足', '担い手', '課題'], ['担い手不足'])
    """
    from ..terms import unit_compounds

    nouns = frozenset(content_nouns(sentence, stopwords))
    compounds = frozenset(c for c in unit_compounds([sentence], stopwords=stopwords) if c not in stopwords)
    return nouns, compounds


# Bump when what unit_sentence_words gives for the same tokens and stop list changes (the source
# of the modules below is part of the stage cache key too, so an edit to them needs no bump).
CACHE_VERSION = "sentence-words-1"
_CODE = ("analysis.continuity.features", "analysis.terms.candidates", "analysis.terms.scores",
         "analysis.terms.columns", "analysis.terms.stopwords")


def unit_sentence_words(tokens: "Tokens", stopwords: frozenset[str], *,
                        cache: bool = False) -> list[list[tuple[frozenset[str], frozenset[str]]]]:
    """:func:`sentence_words` of every sentence of every unit (the per-sentence part of
    :func:`text_features`, cached with ``cache``, :mod:`analysis.stagecache`, keyed by the
    tokens and the stop list; the result is the same either way).

    Parameters
    ----------
    tokens : Tokens
    stopwords : frozenset of str
    cache : bool, default False

    Returns
    -------
    list of list of (frozenset of str, frozenset of str)
        Per unit, per sentence: nouns, compounds.

    Examples
    --------
    >>> from analysis.tokens import tokenize_units
    >>> from analysis.units import TextUnit
    >>> tokens = tokenize_units([TextUnit("d:title", "P", 1, 1, "d", "title", "担い手不足。", 1)], cache=False)
    >>> [(sorted(n), sorted(c)) for n, c in unit_sentence_words(tokens, frozenset())[0]]
    [(['不足', '担い手'], ['担い手不足'])]
    """
    from .. import stagecache

    def compute() -> list[list[tuple[frozenset[str], frozenset[str]]]]:
        out = []
        for sents in tokens.sentences:
            words = []
            for sentence in sents:
                words.append(sentence_words(sentence, stopwords))
                sentence.forget_tokens()  # a national corpus's Token objects would not fit in memory
            out.append(words)
        return out

    def decode(data: list) -> list[list[tuple[frozenset[str], frozenset[str]]]]:
        if not isinstance(data, list) or list(map(len, data)) != list(map(len, tokens.sentences)):
            raise ValueError("sentence words do not fit the tokens")
        return [[(nouns, compounds) for nouns, compounds in unit] for unit in data]

    return stagecache.cached_stage(
        "sentence-words", version=stagecache.code_version(CACHE_VERSION, *_CODE),
        keys=stagecache.token_keys(tokens), inputs=(stagecache.digest(stopwords),), compute=compute,
        encode=lambda words: words, decode=decode, enabled=cache)


@dataclass(frozen=True)
class SentenceInfo:
    """One sentence of a direction's text with what matching needs."""

    direction: str
    field: str
    text: str
    line: int
    nouns: frozenset[str]
    compounds: frozenset[str]
    themes: frozenset[str]
    sentence: "Sentence | None" = field(default=None, repr=False, compare=False)

    @property
    def features(self) -> frozenset[str]:
        """Nouns, compounds and themes (as ``theme:<name>``) in one set."""
        return self.nouns | self.compounds | frozenset(f"theme:{t}" for t in self.themes)


def has_term(sentence: SentenceInfo, key: str) -> bool:
    """Whether a sentence holds the term ``key`` (normalized), whole or nested in a longer
    compound (権利擁護 in 権利擁護支援).

    Parameters
    ----------
    sentence : SentenceInfo
    key : str
        A normalized term key.

    Returns
    -------
    bool

    Examples
    --------
    >>> s = SentenceInfo("P1-1-1", "title", "", 1, frozenset(), frozenset({"権利擁護支援"}), frozenset())
    >>> has_term(s, "権利擁護"), has_term(s, "相談")
    (True, False)
    """
    if key in sentence.compounds or key in sentence.nouns:
        return True
    return len(key) > 1 and any(key in c for c in sentence.compounds)


@dataclass(frozen=True)
class TextFeatures:
    """Per direction: its sentences (with nouns, compounds, themes); the key terms and themes.

    ``key_terms`` maps a term's normalized key to its label; ``themes`` are the themes found,
    sorted; ``lexicon`` is the theme lexicon that found them.
    """

    sentences: dict[str, list[SentenceInfo]]
    key_terms: dict[str, str]
    themes: list[str]
    lexicon: "Lexicon | None" = None

    def side(self, direction_id: str, fields: tuple[str, ...]) -> list[SentenceInfo]:
        """The sentences of one direction whose field is one of ``fields``, in order."""
        return [s for s in self.sentences.get(direction_id, []) if s.field in fields]


def _theme_index(analysis: "Analysis") -> dict[tuple[int, int], set[str]]:
    """(unit index, sentence index) → themes matched there, from the analysis's theme coding."""
    index: dict[tuple[int, int], set[str]] = defaultdict(set)
    for u, item in enumerate(analysis.coded.units):
        for name, matches in item.themes.items():
            for match in matches:
                index[(u, match.sentence_index)].add(name)
    return index


def text_features(corpus: Corpus, *, analysis: "Analysis | None" = None, tokens: "Tokens | None" = None,
                  settings: Any = None, lexicon: "Lexicon | None" = None) -> TextFeatures:
    """Describe every sentence of every direction of ``corpus``.

    Parameters
    ----------
    corpus : Corpus
    analysis : Analysis, optional
        The corpus's analysis (tokens, theme coding, stop list); made from ``tokens``,
        ``settings`` and ``lexicon`` when omitted.
    tokens, settings, lexicon : optional
        See :func:`analysis.pipeline.analyze`.

    Returns
    -------
    TextFeatures

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動の推進")
    >>> c = Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次",
    ...                                   goals=[Goal("P1", 1, "見守る", directions=[d])])])
    >>> f = text_features(c)
    >>> f.themes, sorted(f.sentences["P1-1-1"][0].nouns)  # 推進 is on the stop list
    (['見守り'], ['活動'])
    """
    analysis = resolve_analysis(corpus, analysis=analysis, tokens=tokens, settings=settings, lexicon=lexicon)
    options = continuity_options(analysis.settings)
    stopwords = analysis.stopwords
    theme_index = _theme_index(analysis)
    words = unit_sentence_words(analysis.tokens, stopwords, cache=analysis.cache)
    sentences: dict[str, list[SentenceInfo]] = defaultdict(list)
    for u, (unit, sents) in enumerate(analysis.tokens):
        for k, (sentence, (nouns, compounds)) in enumerate(zip(sents, words[u])):
            sentences[unit.direction_id].append(SentenceInfo(
                direction=unit.direction_id, field=unit.field, text=sentence.text, line=unit.line or 0,
                nouns=nouns, compounds=compounds, themes=frozenset(theme_index.get((u, k), ())),
                sentence=sentence))
    key_terms: dict[str, str] = {}
    if options["key_terms"] > 0:
        # Not cached yet (the terms column pass is being reworked): the hook is
        # analysis.stagecache.cached_stage("terms", keys=token_keys(tokens), inputs=digests of the
        # stop list and of these options, compute=the term_table call below, encode/decode).
        from ..terms import term_table

        table = term_table(
            analysis.tokens, method=options["term_method"], top=options["key_terms"],
            min_parts=options["key_term_min_parts"],
            min_frequency=analysis.settings.get("terms", "min_frequency"), stopwords=stopwords)
        key_terms = {term.key: term.term for term in table}
    themes = sorted({t for infos in sentences.values() for s in infos for t in s.themes})
    return TextFeatures(sentences=dict(sentences), key_terms=key_terms, themes=themes, lexicon=analysis.lexicon)


def problems_of(stances: Iterable[dict]) -> list[dict]:
    """The stance records that state a problem (stance ``issue`` or ``carried_over``).

    Parameters
    ----------
    stances : iterable of dict
        Records of :func:`analysis.stance.evaluation_stances`.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> [s["stance"] for s in problems_of([{"stance": "issue"}, {"stance": "achieved"}])]
    ['issue']
    """
    return [s for s in stances if s.get("stance") in PROBLEM_STANCES]


def problem_stances(tokens: "Tokens", *, settings: Any = None) -> list[dict]:
    """Evaluation sentences of ``tokens`` whose stance is ``issue`` or ``carried_over``.

    Parameters
    ----------
    tokens : Tokens
    settings : Settings, optional
        Its stance cues and variant table (default: the bundled settings).

    Returns
    -------
    list of dict
        Records of :func:`analysis.stance.evaluation_stances`.
    """
    from ..settings import default_settings
    from ..stance import evaluation_stances, load_cues
    from ..tokens import settings_variants

    settings = default_settings() if settings is None else settings
    return problems_of(evaluation_stances(tokens, cues=load_cues(settings=settings),
                                          variants=settings_variants(settings)))
