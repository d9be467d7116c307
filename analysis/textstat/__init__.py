"""Text statistics over the tokens: frequency, TF-IDF, keyness, KWIC and the co-occurrence network.

They count the features of :mod:`analysis.terms` (content words and compound terms); one module
a statistic:

- :mod:`~analysis.textstat.frequency`: term and document frequency (:func:`frequency_table`);
- :mod:`~analysis.textstat.tfidf`: key terms of each direction (:func:`tfidf_by_direction`);
- :mod:`~analysis.textstat.keyness`: G² and χ² of one group against another (:func:`keyness`,
  :func:`keyness_statistics`, and :func:`g2` for one pair of counts);
- :mod:`~analysis.textstat.kwic`: keyword in context (:func:`kwic`);
- :mod:`~analysis.textstat.cooccurrence`: the co-occurrence network (:func:`cooccurrence_graph`,
  :func:`communities`, :func:`cooccurrence_edges_frame`).

>>> round(g2(10, 2, 100, 100), 2)
6.16
"""

from __future__ import annotations

from .cooccurrence import (CONTEXTS, communities, cooccurrence_edges_frame, cooccurrence_graph,
                           cooccurrence_nodes_frame, jaccard_matrix)
from .frequency import frequency_table
from .keyness import CORRECTIONS, MEASURES, g2, keyness, keyness_statistics
from .kwic import kwic, kwic_frame
from .tfidf import tfidf_by_direction, tfidf_frame

__all__ = [
    "CONTEXTS", "communities", "cooccurrence_edges_frame", "cooccurrence_graph", "cooccurrence_nodes_frame",
    "jaccard_matrix", "frequency_table",
    "CORRECTIONS", "MEASURES", "g2", "keyness", "keyness_statistics", "kwic", "kwic_frame",
    "tfidf_by_direction", "tfidf_frame",
]
