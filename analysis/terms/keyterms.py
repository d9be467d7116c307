"""The key-term list: single words and compounds ranked together so that both appear.

A planner reading a plan names two kinds of key term: the frequent single words of the document
(連携, 担い手, サロン — KH Coder's 抽出語リスト) and its characteristic compounds
(地域福祉コーディネーター, 支援体制 — TermExtract).  Ranked on one scale, one kind crowds the
other out: compounds are rarer than the words they are made of, and FLR favours nouns that join
many compounds.  The key-term list (method ``keyterms`` of
:func:`~analysis.terms.scores.term_table`) therefore ranks each kind on its own and then merges
the two rankings:

1. every term has n, its occurrences (on its own and inside longer candidates), f, its
   occurrences on its own (1 ≤ f ≤ n), and d, the text units it occurs in (d ≤ n);
2. a single word scores √(f·d): written often on its own *and* spread over the units (its
   occurrences inside compounds are left to the compounds, so 体制, mostly seen inside 支援体制, ranks low as a
   word); a compound scores √(f·d) × LR, LR being FLR's compound weighting (the geometric mean of
   (LN+1)(RN+1) of its nouns, see :mod:`analysis.terms.scores`) — FLR with f replaced by √(f·d);
3. the list takes the best word and the best compound, then the second of each, and so on; of
   the two at the same rank the one with more occurrences goes first (a tie: the word);
4. a term written once in the whole corpus (n = 1) comes after every term written at least
   twice (the terms written once are merged the same way after them), so a frequent single
   word always outranks a one-off compound.

Ties are broken by n, then the key, so the order is deterministic.  Nothing here knows a
document's words: the stop list (``analysis/data/stopwords.txt``) is the only data.
"""

from __future__ import annotations

import math
from typing import Sequence

#: The two kinds of key term, as :func:`term_kind` names them.
KINDS = ("word", "compound")

#: What planners read (terminal, report, CSV): the Japanese names of a term's columns, its kinds
#: and the rankings.  The three counts are kept apart and named for what they count.
COLUMN_LABELS = {"term": "語", "kind": "種類", "score": "スコア",
                 "total_frequency": "出現数（複合語の中を含む）", "frequency": "単独の出現数",
                 "document_frequency": "文書数", "parts": "構成語"}
KIND_LABELS = {"word": "単語", "compound": "複合語"}
#: How each ranking is made, in Japanese, for the report's key-term section.
METHOD_EXPLANATIONS = {
    "keyterms": "名詞の連続から単語と複合語を取り出し、それぞれを順位づけて交互に並べました。"
                "単語は「√(単独の出現数×文書数)」、複合語はそれに FLR の連接の重み（構成する名詞が"
                "ほかの名詞とどれだけ連なるか）を掛けたもので順位づけ、同じ順位の単語と複合語は出現数の"
                "多い方を先にしています。全体で 1 回しか出ない語は、2 回以上出る語の後に置きます。"
                "「出現数（複合語の中を含む）」は長い複合語の一部として出た回数も数え、「単独の出現数」は"
                "その語だけで出た回数、「文書数」はその語を含むテキスト単位の数です。"
                "停止語リストで丸ごと除く語（補助事業など）は載せていません。",
    "flr": "名詞の連続から複合語を作り、FLR（単独の出現数×連接の重み）で順位づけました。",
    "cvalue": "名詞の連続から複合語を作り、C-value（入れ子の出現を差し引いた出現数×語の長さ）で順位づけました。",
    "frequency": "名詞の連続から単語と複合語を取り出し、出現数（複合語の中を含む）の多い順に並べました。",
}
METHOD_LABELS = {"keyterms": "重要語（単語と複合語）", "flr": "複合語（FLR）", "cvalue": "複合語（C-value）",
                 "frequency": "単語と複合語（出現数）"}


def term_kind(parts: Sequence[str]) -> str:
    """``"word"`` for a one-token term, ``"compound"`` for a longer one.

    Parameters
    ----------
    parts : sequence of str
        The term's normalized parts.

    Returns
    -------
    str
        One of :data:`KINDS`.

    Examples
    --------
    >>> term_kind(("連携",)), term_kind(("担い手", "不足"))
    ('word', 'compound')
    """
    return "word" if len(parts) == 1 else "compound"


def keyterm_score(occurrences: int, documents: int, lr: float, *, compound: bool) -> float:
    """A term's score within its kind: √(f·d) for a word, √(f·d) × LR for a compound.

    Parameters
    ----------
    occurrences : int
        f, occurrences on its own (as a whole candidate).
    documents : int
        d, the text units it occurs in.
    lr : float
        FLR's LR of the term (used for compounds only).
    compound : bool
        Whether the term has more than one part.

    Returns
    -------
    float
        The score.

    Examples
    --------
    >>> keyterm_score(8, 2, 9.0, compound=False), keyterm_score(8, 2, 9.0, compound=True)
    (4.0, 36.0)
    """
    base = math.sqrt(occurrences * documents)
    return base * lr if compound else base


def keyterm_order(rows: Sequence[tuple[str, int, float, bool]]) -> list[str]:
    """The key-term order of scored terms (see the module docstring, steps 3 and 4).

    Parameters
    ----------
    rows : sequence of (key, occurrences, score, compound)
        Every term: its key, n (occurrences on its own and nested), its score within its kind
        and whether it is a compound.

    Returns
    -------
    list of str
        The keys, best first.

    Examples
    --------
    >>> keyterm_order([("地域", 9, 6.0, False), ("連携", 4, 3.0, False),
    ...                ("担い手不足", 3, 8.0, True), ("福祉教育", 1, 5.0, True)])
    ['地域', '担い手不足', '連携', '福祉教育']
    """
    ranked: list[tuple] = []
    for once in (False, True):
        for compound in (False, True):
            kind = sorted((r for r in rows if r[3] == compound and (r[1] < 2) == once),
                          key=lambda r: (-r[2], -r[1], r[0]))
            ranked += [(once, rank, -n, compound, key) for rank, (key, n, _, _) in enumerate(kind)]
    ranked.sort()
    return [r[-1] for r in ranked]
