"""``keikaku graph``, ``keikaku gaps`` and ``keikaku compare`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest

from analysis.cli import main
from analysis.errors import EXIT_INPUT
from analysis.outputs import json_dumps
from test_continuity import make_corpus  # the hand-made two-generation plan

STATUSES = {
    "theme": {"continued", "new", "dropped"}, "term": {"continued", "new", "dropped"},
    "problem": {"taken_up", "not_taken_up"},
    "direction": {"same_title", "renamed", "merged", "split", "no_successor", "new"},
}


@pytest.fixture(scope="module")
def corpus_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "mini.json"
    path.write_text(json_dumps(make_corpus().to_dict()), encoding="utf-8")
    return path


def test_graph_command_writes_every_format(corpus_json, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "analysis", "graph", str(corpus_json), "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "継続性グラフ" in result.stdout
    graph = nx.read_graphml(out / "continuity.graphml")
    kinds = {a["kind"] for _, a in graph.nodes(data=True)}
    assert {"plan", "goal", "direction"} <= kinds
    stated = {(s, t) for s, t, a in graph.edges(data=True) if a["kind"] == "link" and a["stated"]}
    assert ("P1-2-1", "P2-2-2") in stated
    assert nx.read_gexf(out / "continuity.gexf").number_of_nodes() == graph.number_of_nodes()
    data = json.loads((out / "continuity.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == graph.number_of_nodes()
    for name in ("findings.csv", "links.csv", "agreement.csv", "nodes.csv", "edges.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf")


def test_graph_output_is_deterministic(corpus_json, tmp_path, capsys):
    assert main(["graph", str(corpus_json), "-o", str(tmp_path / "a")]) == 0
    assert main(["graph", str(corpus_json), "-o", str(tmp_path / "b")]) == 0
    for name in ("continuity.graphml", "continuity.gexf", "continuity.json", "findings.csv", "links.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_gaps_json(corpus_json, capsys, tmp_path):
    assert main(["gaps", str(corpus_json), "--json", "--csv", str(tmp_path / "csv")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"links", "findings", "settings"} <= set(data)
    for link in data["links"]:
        assert {"from", "to", "kind", "score", "shared_terms"} <= set(link)
        assert link["kind"] in ("stated", "content")
    assert {(x["from"], x["to"]) for x in data["links"] if x["kind"] == "stated"} >= {("P1-1-1", "P2-1-1")}
    for finding in data["findings"]:
        assert finding["status"] in STATUSES[finding["kind"]]
        assert {"kind", "subject", "status", "past", "next", "evidence"} <= set(finding)
        for evidence in finding["evidence"]:
            assert set(evidence) == {"direction", "sentence", "line"}
    assert data["settings"]["continuity"]["min_content_score"] == 0.15
    assert (tmp_path / "csv" / "findings.csv").exists()


def test_gaps_text_is_japanese(corpus_json, capsys):
    assert main(["gaps", str(corpus_json)]) == 0
    out = capsys.readouterr().out
    for heading in ("前期の施策の方向はどこへ行ったか", "評価で挙げられた課題", "テーマ"):
        assert heading in out
    assert "[分割] P1-2-1 災害ボランティアの育成" in out
    assert "[取り上げられていない]" in out


def test_compare_json_and_csv(corpus_json, capsys, tmp_path):
    assert main(["compare", str(corpus_json), "--from", "1", "--to", "2", "--json", "--csv", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["older"] == "P1" and data["newer"] == "P2"
    assert {"goals", "directions", "themes", "terms", "priorities", "settings"} <= set(data)
    for name in ("goals", "directions", "themes", "terms", "priorities"):
        assert (tmp_path / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["compare", str(corpus_json)]) == 0
    assert "施策の方向の対応" in capsys.readouterr().out


def test_errors_are_one_line(tmp_path, capsys):
    assert main(["gaps", str(tmp_path / "missing")]) == EXIT_INPUT
    assert main(["compare", str(tmp_path / "missing")]) == EXIT_INPUT
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["graph", str(bad), "-o", str(tmp_path / "o")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("keikaku: error:") == 3
    assert not (tmp_path / "o").exists()


def test_no_successor_shows_how_near_the_nearest_direction_came(tmp_path, capsys):
    """"後継なし" is a threshold's verdict: the listing names the nearest next direction and its
    score below the threshold, so a planner can judge it (a next plan in its own file, no stated
    links)."""
    from analysis.cli import main
    from analysis.corpus import Corpus, Direction, Goal, Plan
    from analysis.corpus_io import write_corpus

    past = [Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動の推進",
                      evaluation="見守り訪問を全地区で行った。担い手が不足している。"),
            Direction(id="P1-1-2", plan_id="P1", goal_number=1, number=2, title="サロン活動の支援",
                      evaluation="サロンは15か所に増えた。")]
    nxt = [Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="見守りネットワークの強化",
                     text="地区ごとの見守りを強化する。"),
           Direction(id="P2-1-2", plan_id="P2", goal_number=1, number=2, title="居場所づくり",
                     text="誰もが集える居場所を増やす。")]
    corpus = Corpus(name="c", plans=[Plan(id="P1", generation=1, title="第1次", goals=[Goal("P1", 1, "a", directions=past)]),
                                     Plan(id="P2", generation=2, title="第2次", role="next",
                                          goals=[Goal("P2", 1, "a", directions=nxt)])])
    write_corpus(corpus, tmp_path / "c")
    settings = tmp_path / "s.toml"
    settings.write_text("[continuity]\nmin_content_score = 0.99\n", encoding="utf-8")  # nothing passes
    capsys.readouterr()
    assert main(["gaps", str(tmp_path / "c"), "--settings", str(settings)]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if x.startswith("- [後継なし] P1-1-1"))
    assert "最も近いのは P2-1-1 見守りネットワークの強化" in line and "0.99 未満" in line
