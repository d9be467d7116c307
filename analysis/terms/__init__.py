"""Key terms: the stop list, noun-run candidates, their rankings (key terms, FLR, C-value,
frequency) and text features.

Japanese key phrases are noun compounds that Sudachi splits (担い手不足 = 担い手 + 不足,
第2層協議体 = 第 + 2 + 層 + 協議 + 体); this package rebuilds them from the tokens and ranks
them.  One module a job:

- :mod:`~analysis.terms.stopwords`: the stop list (:func:`load_stopwords`, :func:`resolve_stopwords`);
- :mod:`~analysis.terms.candidates`: noun runs and their trimmed candidates (the plain definition);
- :mod:`~analysis.terms.columns`: the same computed over the token columns, memoized per Tokens
  (an optimisation the stages share);
- :mod:`~analysis.terms.scores`: FLR, C-value and the ranked term table (:func:`term_table`);
- :mod:`~analysis.terms.keyterms`: the default ranking, single words and compounds merged;
- :mod:`~analysis.terms.features`: content words + compound keys (scikit-learn ``analyzer=``).

Statistics over the features (frequency, TF-IDF, keyness, KWIC, co-occurrence) live in
:mod:`analysis.textstat`; their names are still importable from here, as before the split.

>>> from analysis.tokens import tokenize
>>> sorted(unit_compounds(tokenize("第2層協議体で担い手不足が課題となり、連携強化を図る。")))
['担い手不足', '第2層協議体']
"""

from __future__ import annotations

import importlib

from .candidates import MAX_NESTED_PARTS, Candidates, compound_candidates, unit_compounds
from .features import CONTENT_POS, make_analyzer, unit_features
from .keyterms import KINDS, keyterm_order, keyterm_score, term_kind
from .scores import METHODS, Term, adjacency, cvalue_scores, flr_scores, lr_scores, term_table, terms_frame
from .stopwords import load_stop_terms, load_stopwords, resolve_stop_terms, resolve_stopwords

# Names that moved to analysis.textstat (loaded on first use: textstat builds on this package).
_MOVED = {
    "frequency_table": "frequency", "tfidf_by_direction": "tfidf", "tfidf_frame": "tfidf",
    "keyness": "keyness", "keyness_statistics": "keyness", "MEASURES": "keyness", "CORRECTIONS": "keyness",
    "kwic": "kwic", "kwic_frame": "kwic",
}


def __getattr__(name: str):
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.terms' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analysis.textstat.{module}"), name)
    globals()[name] = value
    return value


__all__ = sorted([
    "MAX_NESTED_PARTS", "Candidates", "compound_candidates", "unit_compounds", "CONTENT_POS",
    "make_analyzer", "unit_features", "METHODS", "Term", "adjacency", "cvalue_scores", "flr_scores",
    "term_table", "terms_frame", "load_stopwords", "resolve_stopwords", "KINDS", "keyterm_order",
    "keyterm_score", "term_kind", "lr_scores", "load_stop_terms", "resolve_stop_terms", *_MOVED,
])
