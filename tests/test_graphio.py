"""Graph export and import: GraphML, GEXF and node-link JSON round trips, determinism, refusals."""

from __future__ import annotations

import networkx as nx
import pytest

from analysis.errors import InputError, OutputError, SettingsError
from analysis.graphio import graph_text, read_graph, write_graph


def small_graph():
    g = nx.DiGraph(name="計画")
    g.add_node("P2-1-1", kind="direction", label="地域力の向上", generation=2, priority=0, relisted=False)
    g.add_node("P3-1-1", kind="direction", label="小地域福祉活動の推進", generation=3, priority=1, relisted=True)
    g.add_node("theme:担い手不足", kind="theme", label="担い手不足", generation=0, priority=0, relisted=False)
    g.add_edge("P2-1-1", "P3-1-1", kind="link", stated=True, content=False, score=0.125,
               shared_terms="担い手、地域活動", line=7)
    g.add_edge("P2-1-1", "theme:担い手不足", kind="mentions", stated=False, content=False, score=0.0,
               shared_terms="", line=0)
    g.graph["_private"] = object()  # in-memory helper: never written
    return g


def test_graphml_round_trip_keeps_attributes_and_types(tmp_path):
    g = small_graph()
    path = write_graph(g, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(g.nodes)
    for node, attrs in g.nodes(data=True):
        assert back.nodes[node] == attrs
    for s, t, attrs in g.edges(data=True):
        assert back.edges[s, t] == attrs
    assert isinstance(back.edges["P2-1-1", "P3-1-1"]["stated"], bool)
    assert isinstance(back.nodes["P3-1-1"]["priority"], int)
    assert "_private" not in back.graph


def test_graphml_is_real_utf8(tmp_path):
    path = write_graph(small_graph(), tmp_path / "g.graphml")
    text = path.read_text(encoding="utf-8")
    assert "地域力の向上" in text and "&#" not in text


def test_gexf_readable_and_json_round_trip(tmp_path):
    g = small_graph()
    gexf = read_graph(write_graph(g, tmp_path / "g.gexf"))
    assert gexf.number_of_nodes() == 3 and gexf.number_of_edges() == 2
    assert gexf.nodes["P3-1-1"]["label"] == "小地域福祉活動の推進"
    assert gexf.edges["P2-1-1", "P3-1-1"]["score"] == pytest.approx(0.125)
    back = read_graph(write_graph(g, tmp_path / "g.json"))
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert back.is_directed()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_same_graph_same_bytes(tmp_path, fmt):
    a = write_graph(small_graph(), tmp_path / f"a.{fmt}").read_bytes()
    b = write_graph(small_graph(), tmp_path / f"b.{fmt}").read_bytes()
    assert a == b


def test_read_graph_reads_what_graphml_wrote(tmp_path):
    g = small_graph()
    back = read_graph(write_graph(g, tmp_path / "g.graphml"))
    assert back.edges["P2-1-1", "P3-1-1"]["shared_terms"] == "担い手、地域活動"


def test_unsafe_attribute_is_refused_not_mangled(tmp_path):
    g = small_graph()
    g.nodes["P2-1-1"]["words"] = ["担い手", "連携"]
    with pytest.raises(OutputError, match="words"):
        write_graph(g, tmp_path / "g.graphml")
    assert not (tmp_path / "g.graphml").exists()


def test_bad_names_and_files(tmp_path):
    with pytest.raises(OutputError, match="unknown graph format"):
        write_graph(small_graph(), tmp_path / "g.txt")
    with pytest.raises(SettingsError):
        graph_text(small_graph(), "dot")
    with pytest.raises(InputError, match="not found"):
        read_graph(tmp_path / "missing.graphml")
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><graph", encoding="utf-8")
    with pytest.raises(InputError, match="graphml"):
        read_graph(broken)


def test_node_link_bytes_are_the_plain_node_link_json():
    """The streamed node-link JSON against the plain definition on random graphs."""
    import random

    import networkx as nx

    from analysis.graphio import node_link_bytes
    from analysis.outputs import json_dumps

    rng = random.Random(11)
    values = ["見守り", "", "a\nb", 'q"uote', 0, -3, 2.5, 1e-7, True, False]
    for trial in range(60):
        g = nx.DiGraph() if trial % 3 else nx.Graph()
        g.graph.update({f"k{i}": rng.choice(values) for i in range(rng.randint(0, 3))})
        for n in range(rng.randint(0, 8)):
            g.add_node(f"P{n}", **{rng.choice(["kind", "label", "id", "weight"]): rng.choice(values)
                                   for _ in range(rng.randint(0, 3))})
        nodes = list(g)
        for _ in range(rng.randint(0, 12) if nodes else 0):
            g.add_edge(rng.choice(nodes), rng.choice(nodes),
                       **{rng.choice(["kind", "score", "source"]): rng.choice(values) for _ in range(rng.randint(0, 2))})
        assert node_link_bytes(g) == json_dumps(nx.node_link_data(g, edges="edges")).encode("utf-8")
