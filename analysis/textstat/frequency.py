"""Term and document frequency of content words."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from ..terms.features import CONTENT_POS, PosPatterns, content_ids
from ..terms.gc import without_gc
from ..terms.stopwords import StopwordsArg, resolve_stopwords
from ..tokens import Tokens

if TYPE_CHECKING:
    import pandas as pd


@without_gc
def frequency_table(tokens: Tokens, *, stopwords: StopwordsArg = None, pos: PosPatterns = CONTENT_POS) -> "pd.DataFrame":
    """Term and document frequency of content words (normalized form; stop words removed).

    Parameters
    ----------
    tokens : Tokens
        The units.
    stopwords : None, path or set of str
        The stop list (see :func:`~analysis.terms.stopwords.resolve_stopwords`).
    pos : sequence of POS patterns
        The content words (default :data:`~analysis.terms.features.CONTENT_POS`).

    Returns
    -------
    pandas.DataFrame
        Columns term (normalized), surface (most frequent spelling), frequency,
        document_frequency; sorted by frequency, then document frequency (descending), then term.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> unit = TextUnit("d1:evaluation", "P", 2, 1, "d1", "evaluation", "担い手の不足と担い手の育成。", 1)
    >>> frequency_table(Tokens([unit], [tokenize(unit.text)]))["term"].tolist()
    ['担い手', '不足', '育成']
    """
    import pandas as pd

    stops = resolve_stopwords(stopwords)
    content = content_ids(pos)
    freq: Counter = Counter()
    docf: Counter = Counter()
    spell: dict[str, Counter] = defaultdict(Counter)
    for sentences in tokens.sentences:
        seen = set()
        for s in sentences:
            for t in s.tokens:
                if t.pos_id in content and t.norm not in stops and t.surface not in stops:
                    freq[t.norm] += 1
                    spell[t.norm][t.surface] += 1
                    seen.add(t.norm)
        docf.update(seen)
    rows = [
        (term, min(spell[term].items(), key=lambda kv: (-kv[1], kv[0]))[0], f, docf[term])
        for term, f in freq.items()
    ]
    rows.sort(key=lambda r: (-r[2], -r[3], r[0]))
    return pd.DataFrame(rows, columns=["term", "surface", "frequency", "document_frequency"])
