"""Writing and reading graphs: GraphML (Cytoscape, yEd), GEXF (Gephi) and node-link JSON.

Symmetric I/O: ``write_graph(graph, path)`` / ``read_graph(path)``, the format taken from the
file's suffix (``.graphml``, ``.gexf``, ``.json``) or named with ``format=``.  Writes are atomic
and deterministic (same graph → same bytes: GEXF's modification date is fixed); graph attributes
whose name starts with ``_`` (in-memory helpers) and values that are not ``str``, ``int``,
``float`` or ``bool`` are refused rather than silently dropped or mangled.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_node("P2-1-1", kind="direction", label="地域力の向上")
>>> "地域力の向上" in graph_text(g, "graphml")
True
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Literal

from .errors import InputError, OutputError, check_choice
from .outputs import atomic_write_text, json_dumps

GraphFormat = Literal["graphml", "gexf", "json"]
FORMATS = ("graphml", "gexf", "json")
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}
FIXED_DATE = "2000-01-01"  # GEXF wants a lastmodifieddate; a fixed one keeps the bytes stable


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        check_choice("format", format, FORMATS)
        return format
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise OutputError(f"unknown graph format {path.suffix!r}; use .graphml, .gexf or .json",
                          file=str(path)) from None


def _exportable(graph):
    """A copy without private graph attributes, every value checked to be GraphML-safe."""
    clean = graph.copy()
    for key in [k for k in clean.graph if str(k).startswith("_")]:
        del clean.graph[key]
    for where, items in (("graph", [(None, clean.graph)]), ("node", clean.nodes(data=True)),
                         ("edge", ((e[:2], e[2]) for e in clean.edges(data=True)))):
        for owner, attrs in items:
            for key, value in attrs.items():
                if not isinstance(value, (str, int, float, bool)):
                    raise OutputError(f"{where} {owner!r}: attribute {key!r} is a {type(value).__name__}; "
                                      "graphs keep only str, int, float and bool")
    return clean


def graph_text(graph, format: GraphFormat = "graphml") -> str:
    """The graph as GraphML, GEXF or node-link JSON text."""
    import networkx as nx

    check_choice("format", format, FORMATS)
    clean = _exportable(graph)
    if format == "json":
        return json_dumps(nx.node_link_data(clean, edges="edges"))
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue().decode("utf-8")
    nx.write_gexf(clean, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    text = buffer.getvalue().decode("utf-8")
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{FIXED_DATE}"', text, count=1)


def write_graph(graph, path, *, format: GraphFormat | None = None) -> Path:
    """Write ``graph`` atomically; the format from the suffix unless ``format`` names it."""
    path = Path(path)
    atomic_write_text(path, graph_text(graph, _format_of(path, format)))
    return path


def read_graph(path, *, format: GraphFormat | None = None):
    """Read a graph written by :func:`write_graph` (or by Gephi / Cytoscape / networkx)."""
    import json

    import networkx as nx

    path = Path(path)
    fmt = _format_of(path, format)
    if not path.exists():
        raise InputError("file not found", file=str(path))
    try:
        if fmt == "graphml":
            return nx.read_graphml(path)
        if fmt == "gexf":
            return nx.read_gexf(path, version="1.2draft")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return nx.node_link_graph(data, edges="edges")
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as exc:
        raise InputError(f"not a readable {fmt} graph: {exc}", file=str(path)) from exc
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        if type(exc).__name__ == "ParseError":
            raise InputError(f"not a readable {fmt} graph: {exc}", file=str(path)) from exc
        raise
