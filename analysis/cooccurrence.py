"""Moved to :mod:`analysis.textstat.cooccurrence`; this shim keeps the old imports working."""

from .textstat.cooccurrence import CONTEXTS, communities, cooccurrence_edges_frame, cooccurrence_graph

edges_frame = cooccurrence_edges_frame  # the old name (``analysis.edges_frame`` is the continuity one)

__all__ = ["CONTEXTS", "communities", "cooccurrence_edges_frame", "cooccurrence_graph", "edges_frame"]
