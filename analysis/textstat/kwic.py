"""Keyword in context: every occurrence of a word, with the original text around it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError, SettingsError
from ..tokens import Tokens, tokenize

if TYPE_CHECKING:
    import pandas as pd

KWIC_COLUMNS = ["unit", "direction_id", "field", "generation", "line", "left", "keyword", "right"]


def kwic(tokens: Tokens, word: str, *, window: int = 5) -> list[dict]:
    """Keyword in context: every occurrence of ``word``, matched on normalized forms.

    ``word`` is tokenized like the text, so a compound Sudachi splits (担い手不足) is found as
    its token sequence and a variant spelling (ﾎﾞﾗﾝﾃｨｱ) matches its normalized form.

    Parameters
    ----------
    tokens : Tokens
        The units.
    word : str
        What to look for.
    window : int
        How many tokens either side (default 5).

    Returns
    -------
    list of dict
        Per hit, the unit (``unit``, ``direction_id``, ``field``, ``generation``, ``line``) and
        ``left``, ``keyword``, ``right``: up to ``window`` tokens either side, cut from the
        ORIGINAL text.

    Raises
    ------
    SettingsError
        ``window`` is negative.
    InputError
        ``word`` holds nothing to search for.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "地域の担い手不足が深刻。", 1)
    >>> hit = kwic(Tokens([unit], [tokenize(unit.text)]), "担い手不足", window=2)[0]
    >>> hit["left"], hit["keyword"], hit["right"]
    ('地域の', '担い手不足', 'が深刻')
    """
    if window < 0:
        raise SettingsError("window must be ≥ 0", field="window")
    # cut like the text was (same split mode and word list), so a listed word is one token here too
    cut = tokenize(word, split_mode=tokens.split_mode, user_dictionary=tokens.user_dictionary)
    query = [t.norm for s in cut for t in s.tokens if not t.surface.isspace()]
    if not query:
        raise InputError(f"nothing to search for in {word!r}", field="word")
    first, n = query[0], len(query)
    hits = []
    for unit, sentences in tokens:
        flat = [t for s in sentences for t in s.tokens]
        norms = [t.norm for t in flat]
        for i, norm in enumerate(norms):
            if norm != first or norms[i:i + n] != query:
                continue
            lo = flat[max(0, i - window)].begin if window and i > 0 else flat[i].begin
            hi = flat[min(len(flat), i + n + window) - 1].end if window else flat[i + n - 1].end
            hits.append({
                "unit": unit.id, "direction_id": unit.direction_id, "field": unit.field,
                "generation": unit.generation, "line": unit.line,
                "left": unit.text[lo:flat[i].begin],
                "keyword": unit.text[flat[i].begin:flat[i + n - 1].end],
                "right": unit.text[flat[i + n - 1].end:hi],
            })
    return hits


def kwic_frame(tokens: Tokens, word: str, *, window: int = 5) -> "pd.DataFrame":
    """:func:`kwic` as a DataFrame.

    Parameters
    ----------
    tokens, word, window
        As for :func:`kwic`.

    Returns
    -------
    pandas.DataFrame
        One row a hit: unit, direction_id, field, generation, line, left, keyword, right.
    """
    import pandas as pd

    return pd.DataFrame(kwic(tokens, word, window=window), columns=KWIC_COLUMNS)
