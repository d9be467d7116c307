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
from pathlib import Path
from typing import Literal

from .errors import InputError, OutputError, check_choice
from .outputs import json_dumps

GraphFormat = Literal["graphml", "gexf", "json"]
FORMATS = ("graphml", "gexf", "json")
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}
FIXED_DATE = "2000-01-01"  # GEXF wants a lastmodifieddate; a fixed one keeps the bytes stable
# networkx builds a GEXF file as one XML tree in memory (about 5 KiB per edge at its peak): a
# graph with more edges is written as GraphML and JSON only, and the commands say so.
GEXF_MAX_EDGES = 200_000
GEXF_OMITTED = ("グラフのエッジが {edges:,} 本と多いため、GEXF（continuity.gexf）は書き出していません"
                "（上限 {limit:,} 本。Gephi は同じグラフの continuity.graphml を開けます）")


def gexf_omitted(graph) -> str:
    """The line saying why ``graph`` is not written as GEXF, or ``""`` when it is.

    >>> import networkx as nx
    >>> gexf_omitted(nx.path_graph(3))
    ''
    """
    edges = graph.number_of_edges()
    return GEXF_OMITTED.format(edges=edges, limit=GEXF_MAX_EDGES) if edges > GEXF_MAX_EDGES else ""


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
    """A read-only view of ``graph`` without its private graph attributes (a view, not a copy: a
    national corpus's graph is large), every value checked to be GraphML-safe."""
    import networkx as nx

    clean = nx.subgraph_view(graph)
    clean.graph = {k: v for k, v in graph.graph.items() if not str(k).startswith("_")}
    for where, items in (("graph", [(None, clean.graph)]), ("node", clean.nodes(data=True)),
                         ("edge", ((e[:2], e[2]) for e in clean.edges(data=True)))):
        for owner, attrs in items:
            for key, value in attrs.items():
                if not isinstance(value, (str, int, float, bool)):
                    raise OutputError(f"{where} {owner!r}: attribute {key!r} is a {type(value).__name__}; "
                                      "graphs keep only str, int, float and bool")
    return clean


def graph_bytes(graph, format: GraphFormat = "graphml") -> bytes:
    """The graph as GraphML, GEXF or node-link JSON, encoded in UTF-8."""
    import networkx as nx

    check_choice("format", format, FORMATS)
    clean = _exportable(graph)
    if format == "json":
        return node_link_bytes(clean)
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.xml.find("meta").set("lastmodifieddate", FIXED_DATE)  # else today's date: bytes would differ
    writer.add_graph(clean)
    writer.write(buffer)
    return buffer.getvalue()


def node_link_bytes(graph) -> bytes:
    """``json_dumps(nx.node_link_data(graph, edges="edges"))`` as UTF-8, the same bytes, made one
    node and one edge at a time: the plain form builds a dict of every node and edge and one
    string of the whole file, twice the memory of a national corpus's graph.

    >>> import networkx as nx
    >>> g = nx.DiGraph(name="例"); g.add_edge("P1-1-1", "P2-1-1", kind="link", score=0.5); g.add_node("x")
    >>> node_link_bytes(g) == json_dumps(nx.node_link_data(g, edges="edges")).encode("utf-8")
    True
    """
    import json

    import networkx as nx

    def item(obj) -> bytes:  # one element of a list at depth 2 of the indented document
        return ("    " + json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2).replace("\n", "\n    ")).encode("utf-8")

    def items(name: str, rows) -> list[bytes]:
        encoded = [item(row) for row in rows]
        if not encoded:
            return [f'  "{name}": [],\n'.encode("utf-8")]
        return [f'  "{name}": [\n'.encode("utf-8"), b",\n".join(encoded), b"\n  ],\n"]

    if graph.is_multigraph():  # keys and their order as networkx gives them: the plain form
        return json_dumps(nx.node_link_data(graph, edges="edges")).encode("utf-8")
    header = json.dumps(graph.graph, ensure_ascii=False, sort_keys=True, indent=2).replace("\n", "\n  ")
    chunks = [b"{\n", f'  "directed": {json.dumps(graph.is_directed())},\n'.encode("utf-8")]
    chunks += items("edges", ({**d, "source": u, "target": v} for u, v, d in graph.edges(data=True)))
    chunks += [f'  "graph": {header},\n'.encode("utf-8"), b'  "multigraph": false,\n']
    nodes = items("nodes", ({**d, "id": n} for n, d in graph.nodes(data=True)))
    nodes[-1] = nodes[-1].rstrip(b",\n") + b"\n"
    return b"".join(chunks + nodes + [b"}\n"])


def graph_text(graph, format: GraphFormat = "graphml") -> str:
    """The graph as GraphML, GEXF or node-link JSON text."""
    return graph_bytes(graph, format).decode("utf-8")


def write_graph(graph, path, *, format: GraphFormat | None = None) -> Path:
    """Write ``graph`` atomically; the format from the suffix unless ``format`` names it."""
    from .outputs import atomic_write_bytes  # looked up at call time, like every writer's

    path = Path(path)
    atomic_write_bytes(path, graph_bytes(graph, _format_of(path, format)))
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
