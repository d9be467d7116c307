"""Features of a text for counting: content words and compound keys (the scikit-learn ``analyzer=``).

A text's features are the normalized forms of its content words (independent nouns, verbs,
adjectives and 形状詞; stop words removed), followed by the keys of its compound candidates of at
least two parts (see :mod:`analysis.terms.candidates`).  Frequency tables, TF-IDF and keyness
(:mod:`analysis.textstat`) count them.
"""

from __future__ import annotations

from typing import Callable, Literal, Mapping, Sequence

from ..tokens import Sentence, Tokens, pos_ids, tokenize
from .candidates import noun_runs, run_candidate, token_kinds
from .columns import shared_features
from .gc import without_gc
from .stopwords import StopwordsArg, resolve_stopwords

#: POS patterns of the content words: independent nouns, verbs, adjectives and 形状詞
#: (非自立可能 verbs such as する・なる・できる are function words here).
CONTENT_POS: tuple[tuple[str, ...], ...] = (
    ("名詞", "普通名詞"), ("名詞", "固有名詞"), ("動詞", "一般"), ("形容詞", "一般"), ("形状詞", "一般"),
)

PosPatterns = Sequence[Sequence["str | None"]]


def content_ids(pos: PosPatterns = CONTENT_POS) -> frozenset[int]:
    """The POS ids that match any of the POS patterns.

    Parameters
    ----------
    pos : sequence of POS patterns
        Each a prefix of Sudachi's six POS fields, ``None`` matching anything (default
        :data:`CONTENT_POS`).

    Returns
    -------
    frozenset of int
        The matching POS ids.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> [t.pos_id in content_ids() for t in tokenize("担い手を育てる")[0].tokens]
    [True, False, True]
    """
    return pos_ids([tuple(p) for p in pos])


def _features(sentences: Sequence[Sentence], content: frozenset[int], stopwords: frozenset[str],
              kinds: Mapping[int, int], compounds: bool = True) -> list[str]:
    """Content-word normalized forms (stop words removed) followed by compound keys (≥ 2 parts)."""
    words = [t.norm for s in sentences for t in s.tokens
             if t.pos_id in content and t.norm not in stopwords and t.surface not in stopwords]
    if compounds:
        for run in noun_runs(sentences, kinds):
            if len(run) > 1:
                found = run_candidate(run, stopwords)
                if found is not None and len(found[0]) > 1:
                    words.append("".join(found[0]))
    return words


def make_analyzer(
    *,
    stopwords: StopwordsArg = None,
    split_mode: Literal["A", "B", "C"] = "C",
    pos: PosPatterns = CONTENT_POS,
    compounds: bool = True,
) -> Callable[[str], list[str]]:
    """A scikit-learn ``analyzer=``: text → content-word normalized forms + compound keys.

    Parameters
    ----------
    stopwords : None, path or set of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).
    split_mode : {"A", "B", "C"}
        Sudachi's split mode.
    pos : sequence of POS patterns
        The content words (default :data:`CONTENT_POS`).
    compounds : bool
        Whether compound keys follow the words (default True).

    Returns
    -------
    callable
        ``analyze(text) -> list of str``.

    Examples
    --------
    >>> analyze = make_analyzer()
    >>> analyze("ﾎﾞﾗﾝﾃｨｱの担い手不足を解消する。")
    ['ボランティア', '担い手', '不足', '解消', '担い手不足']
    """
    stops = resolve_stopwords(stopwords)
    content = content_ids(pos)
    kinds = token_kinds()

    def analyze(text: str) -> list[str]:
        return _features(tokenize(text, split_mode=split_mode), content, stops, kinds, compounds)

    return analyze


@without_gc
def unit_features(
    tokens: Tokens,
    *,
    stopwords: StopwordsArg = None,
    pos: PosPatterns = CONTENT_POS,
    compounds: bool = True,
) -> list[list[str]]:
    """The analyzer's features of every unit of ``tokens``, without tokenizing again.

    Parameters
    ----------
    tokens : Tokens
        The units.
    stopwords, pos, compounds
        As for :func:`make_analyzer`.

    Returns
    -------
    list of list of str
        Per unit, what :func:`make_analyzer` gives for its text (a private copy).

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "担い手不足を解消する。", 1)
    >>> unit_features(Tokens([unit], [tokenize(unit.text)]))
    [['担い手', '不足', '解消', '担い手不足']]
    """
    stops = resolve_stopwords(stopwords)
    content = content_ids(pos)
    return [list(words) for words in shared_features(tokens, stops, content, compounds)]
