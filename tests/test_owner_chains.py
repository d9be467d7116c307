"""Plans of many owners: one chain per owner, continuity only within a chain, imports of several
owners' sources, compare / gaps / report on such a corpus (issue 16 item 4)."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.continuity import comparable_pairs, comparison_note, continuity_notes
from analysis.corpus import Corpus, Direction, Goal, Plan, owner_key
from analysis.corpus_io import read_corpus
from analysis.errors import EXIT_INPUT

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate_plans", BENCH / "generate_plans.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def plan(pid: str, generation: int, owner: str = "", title: str = "見守り活動の推進", **fields) -> Plan:
    d = Direction(id=f"{pid}-1-1", plan_id=pid, goal_number=1, number=1, title=title, **fields)
    return Plan(id=pid, generation=generation, title=pid, owner=owner, goals=[Goal(pid, 1, "見守る", directions=[d])])


@pytest.mark.parametrize("owners, chains", [
    # (owner of each plan, generation = position + 1 within its owner) -> chain keys with their plans
    ([""] * 3, {"": ["p0", "p1", "p2"]}),
    (["甲市", "", "甲市"], {"甲市": ["p0", "p1", "p2"]}),  # one owner named: plans without one join it
    (["甲市", "甲 市", "ｺｳ市", "コウ市"], {"甲市": ["p0", "p1"], "ｺｳ市": ["p2", "p3"]}),  # width and spaces
    (["甲市", "乙町", "", "甲市"], {"甲市": ["p0", "p3"], "乙町": ["p1"], "": ["p2"]}),
])
def test_chains_group_plans_by_owner(owners, chains):
    seen: dict[str, int] = {}
    plans = []
    for i, owner in enumerate(owners):
        seen[owner_key(owner)] = seen.get(owner_key(owner), 0) + 1
        plans.append(plan(f"p{i}", seen[owner_key(owner)], owner))
    corpus = Corpus(name="c", plans=plans)
    assert {k: [p.id for p in v] for k, v in corpus.chains().items()} == chains
    for key, members in corpus.chains().items():
        assert corpus.chain(key) == members


def test_pairs_stay_within_each_owner_and_grow_with_the_plans():
    gen = load_generator()
    for n, generations in ((30, 3), (31, 3), (12, 4), (10, 10)):
        corpus = gen.generate_corpus(n, seed=1, generations=generations)
        chains = corpus.chains()
        owner_of = {p.id: key for key, plans in chains.items() for p in plans}
        pairs = comparable_pairs(corpus)
        assert all(owner_of[pair.past.id] == owner_of[pair.next.id] for pair in pairs)
        assert all(pair.next.generation == pair.past.generation + 1 for pair in pairs)
        assert len(pairs) == sum(len(plans) - 1 for plans in chains.values())
        assert len(chains) == -(-n // generations)


def test_every_generated_link_and_id_stays_within_its_owner():
    corpus = load_generator().generate_corpus(9, seed=2)
    prefix = {d.id: d.id.split("-")[0] for d in corpus.directions()}
    assert len(set(prefix.values())) == 3
    assert all(prefix[link.source] == prefix[link.target] for link in corpus.links)
    assert len({p.owner for p in corpus.plans}) == 3 and all(p.owner.endswith("社会福祉協議会") for p in corpus.plans)


def test_owners_with_one_generation_are_counted_in_one_note():
    corpus = Corpus(name="c", plans=[plan("A1", 1, "甲市"), plan("A2", 2, "甲市"), plan("B1", 1, "乙町"),
                                     plan("C1", 1, "丙村")])
    notes = [n for n in continuity_notes(corpus) if n.code == "single_period"]
    assert len(notes) == 1 and "策定主体 3 のうち 2" in notes[0].message and "乙町" in notes[0].message
    assert [p.name for p in comparable_pairs(corpus)] == ["A1→A2"]
    assert comparison_note(corpus).code == "several_owners"
    assert comparison_note(corpus, owner="甲市") is None
    assert comparison_note(corpus, owner="乙町").code == "single_period"


def test_place_index_agrees_with_looking_through_every_source():
    rng = random.Random(5)
    for _ in range(50):
        sources = [{"file": f"f{i % 4}.pdf", "locations": {str(rng.randint(1, 9)): rng.choice(["", f"p.{i} 表1"])
                                                           for _ in range(rng.randint(0, 5))}}
                   for i in range(rng.randint(0, 6))]
        corpus = Corpus(name="c", sources=sources)
        for line in range(0, 11):
            for file in (None, "f0.pdf", "f1.pdf", "none.pdf"):
                plain = ""
                if line:
                    plain = next((s["locations"][str(line)] for s in sources
                                  if (file is None or s["file"] == file) and s["locations"].get(str(line))),
                                 f"{line}行")
                assert corpus.place(line, file=file) == plain
        corpus.sources.append({"file": "new.pdf", "locations": {"10": "p.9 表9"}})  # index follows the list
        assert corpus.place(10) == next((s["locations"]["10"] for s in sources if s["locations"].get("10")), "p.9 表9")


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """Four owners' plans (three generations each) as the CSV tables a planner imports."""
    gen = load_generator()
    corpus = gen.generate_corpus(12, seed=4)
    return corpus, gen.write_tables(corpus, tmp_path_factory.mktemp("tables"))


@pytest.fixture(scope="module")
def imported(tables, tmp_path_factory):
    _, paths = tables
    out = tmp_path_factory.mktemp("corpus") / "c"
    assert main(["import", *map(str, paths), "-o", str(out)]) == 0
    return out


def test_import_of_several_owners_prefixes_each_owners_ids(tables, imported):
    generated, _ = tables
    corpus = read_corpus(imported)
    assert [(p.id, p.owner, p.generation) for p in corpus.plans] == [
        (f"O{k // 3 + 1}-P{k % 3 + 1}", generated.plans[k].owner, k % 3 + 1) for k in range(12)]
    assert list(corpus.chains()) == list(dict.fromkeys(p.owner for p in generated.plans))
    for p, g in zip(corpus.plans, generated.plans):
        assert [d.title for d in p.directions()] == [d.title for d in g.directions()]
        assert all(d.id.startswith(p.id + "-") and d.plan_id == p.id for d in p.directions())
    # the importer's warnings name the rows' ids: renamed with them, nothing left unprefixed
    named = [w.message for w in corpus.warnings if "P" in w.message]
    assert named and all("（O" in m for m in named if "を原文のまま残しました（" in m)
    assert [p.name for p in comparable_pairs(corpus)] == [
        f"O{o}-P{g}→O{o}-P{g + 1}" for o in range(1, 5) for g in (1, 2)]


def test_reimport_of_several_owners_is_byte_identical(tables, imported, tmp_path):
    import shutil

    _, paths = tables
    before = {p.name: p.read_bytes() for p in imported.iterdir() if p.is_file()}
    again = tmp_path / imported.name  # the same name: the manifest records it
    shutil.copytree(imported, again)
    assert main(["import", *map(str, paths), "-o", str(again)]) == 0
    assert {p.name: p.read_bytes() for p in again.iterdir() if p.is_file()} == before


def test_the_corpus_summary_names_the_file_of_each_warning(imported, capsys):
    capsys.readouterr()
    assert main(["corpus", str(imported)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "を原文のまま残しました" in line]
    assert lines and all(line.strip().split(" ")[0].endswith(".csv") for line in lines)


def test_two_sources_of_one_owners_generation_are_refused_but_two_owners_may_share_one(tables, tmp_path, capsys):
    _, paths = tables
    assert main(["import", str(paths[0]), str(paths[3]), "-o", str(tmp_path / "ok")]) == 0  # two owners' 第1次
    assert [p.id for p in read_corpus(tmp_path / "ok").plans] == ["O1-P1", "O2-P1"]
    twin = tmp_path / "twin.csv"
    twin.write_bytes(paths[0].read_bytes())
    twin.with_name("twin.mapping.toml").write_bytes(paths[0].with_name(paths[0].stem + ".mapping.toml").read_bytes())
    capsys.readouterr()
    assert main(["import", str(paths[0]), str(twin), "-o", str(tmp_path / "no")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "comes from both" in err and "東東市社会福祉協議会" in err
    assert not (tmp_path / "no").exists()


def test_compare_on_several_owners_needs_one_named(imported, capsys):
    capsys.readouterr()
    assert main(["compare", str(imported), "--json"]) == 0
    assert [n["code"] for n in json.loads(capsys.readouterr().out)["notes"]] == ["several_owners"]
    owner = read_corpus(imported).plans[4].owner  # the second owner
    assert main(["compare", str(imported), "--owner", owner, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["older"], data["newer"]) == ("O2-P2", "O2-P3")
    assert data["settings"]["options"]["owner"] == owner
    assert {r["older"] for r in data["directions"] if r["older"]} <= {d.id for d in read_corpus(imported).plans[4].directions()}
    assert main(["compare", str(imported), "--owner", owner, "--from", "1", "--to", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["older"] == "O2-P1"
    assert main(["compare", str(imported), "--owner", "無い市"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "無い市" in err and "owners:" in err


def test_gaps_on_several_owners_lists_each_owners_pairs_under_its_name(imported, capsys):
    capsys.readouterr()
    assert main(["gaps", str(imported)]) == 0
    out = capsys.readouterr().out
    corpus = read_corpus(imported)
    headings = [line for line in out.splitlines() if line.startswith("# 継続性: ")]
    assert headings == [f"# 継続性: {owner} O{o}-P{g}→O{o}-P{g + 1}"
                        for o, owner in enumerate(corpus.chains(), 1) for g in (1, 2)]
    assert main(["gaps", str(imported), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for f in data["findings"]:
        owners = {i.split("-")[0] for i in [*(f.get("past") or []), *(f.get("next") or [])]}
        assert len(owners) <= 1 and all(f["plans"].startswith(o + "-") for o in owners)


@pytest.fixture(scope="module")
def capped_report(imported, tmp_path_factory):
    """The report of the several owners' corpus with lists capped at 7 rows: (folder, page)."""
    folder = tmp_path_factory.mktemp("capped")
    settings = folder / "s.toml"
    settings.write_text("[report]\nlist_rows = 7\n", encoding="utf-8")
    out = folder / "report"
    assert main(["report", str(imported), "-o", str(out), "--settings", str(settings), "--no-timestamp"]) == 0
    return out, (out / "index.html").read_text(encoding="utf-8")


def test_report_on_several_owners_keeps_its_lists_printable(capped_report):
    out, page = capped_report
    assert "団体の計画があります。計画世代の比較と継続性の図は策定主体ごとに行います" in page
    assert "の策定主体の計画" not in page  # 「2 の策定主体」 is no Japanese
    assert "基本目標別の図は省きました" in page
    assert 'id="fig-continuity"' not in page and "themes_by_goal.svg" not in {p.name for p in (out / "figures").iterdir()}
    links = (out / "tables" / "links.csv").read_text(encoding="utf-8-sig").splitlines()
    assert f"{len(links) - 1} 件のうち最初の 7 件を載せています。すべては tables/links.csv と Excel にあります。" in page
    assert len(links) - 1 > 7


def test_a_one_owner_report_has_its_diagram(tmp_path):
    out = tmp_path / "report"
    assert main(["report", "-o", str(out), "--no-timestamp"]) == 0  # the bundled corpus: one owner
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "策定主体ごとに行います" not in page and "件のうち最初の" not in page.split("継続性の図")[-1].split("所見")[0]
    assert (out / "figures" / "continuity.svg").is_file() and (out / "figures" / "themes_by_goal.svg").is_file()


def test_a_graph_too_large_for_gexf_is_written_without_it_and_says_so(imported, tmp_path, capsys, monkeypatch):
    import networkx as nx

    from analysis import graphio

    monkeypatch.setattr(graphio, "GEXF_MAX_EDGES", 50)
    capsys.readouterr()
    assert main(["graph", str(imported), "-o", str(tmp_path / "g")]) == 0
    out = capsys.readouterr().out
    assert "GEXF（continuity.gexf）は書き出していません" in out and "上限 50 本" in out
    assert not (tmp_path / "g" / "continuity.gexf").exists()
    graph = nx.read_graphml(tmp_path / "g" / "continuity.graphml")
    assert graph.number_of_edges() > 50
    assert main(["report", str(imported), "-o", str(tmp_path / "r"), "--no-timestamp"]) == 0
    folder = tmp_path / "r" / "graph"
    assert not (folder / "continuity.gexf").exists() and (folder / "continuity.json").is_file()
    assert "上限 50 本" in (folder / "continuity.gexf.txt").read_text(encoding="utf-8")
    assert "GEXF（continuity.gexf）は書き出していません" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(graphio, "GEXF_MAX_EDGES", 10**9)
    assert main(["graph", str(imported), "-o", str(tmp_path / "g2")]) == 0
    assert nx.read_gexf(tmp_path / "g2" / "continuity.gexf", version="1.2draft").number_of_edges() == graph.number_of_edges()


def test_plans_without_an_owner_beside_one_named_owner_are_that_owners_and_may_not_repeat_its_ids(tables, tmp_path,
                                                                                                 capsys):
    """One owner named (みどり町) and sources naming none: one chain, so two 第2次 plans are refused
    rather than written as two plans with one id."""
    gen = load_generator()
    unnamed = gen.write_tables(gen.generate_corpus(3, seed=4), tmp_path / "unnamed")  # one owner: none named
    midori = Path(__file__).resolve().parent.parent / "corpus" / "examples"
    capsys.readouterr()
    assert main(["import", str(midori / "plan.csv"), *map(str, unnamed), "--mapping", str(midori / "mapping.toml"),
                 "-o", str(tmp_path / "c")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "comes from both plan.csv and 00002-P2.csv" in err
    assert not (tmp_path / "c").exists()


def test_the_report_overview_of_several_owners_counts_plans_and_themes_truly(capped_report):
    import re

    _, page = capped_report
    text = re.sub(r"<[^>]+>", "\n", page)
    assert "c の計画 12 件（策定主体 4、第1次計画・第2次計画・第3次計画）を分析したものです" in text
    assert "<title>c（策定主体 4）　計画の評価と次期計画：分析レポート</title>" in page
    assert "ほか 6 計画" in text  # the cover lists six plans, not thousands
    assert "12 件のうち最初の 7 件を載せています。すべては tables/plans.csv と Excel にあります。" in text
    listed = re.search(r"ほかの計画 (\d+) 件の施策の方向は tables/directions.csv", text)
    assert listed and page.count("<h3>第") == 12 - int(listed[1])  # one heading per plan listed
    assert "策定主体 4、比べた計画世代の組 8" in text
    for kind in ("新規", "消えた"):  # a sum over pairs: each theme with the pairs it holds in, adding up
        found = re.search(rf"合計　テーマ：.*?{kind} (\d+)（([^）]*)）", text)
        if found and "ほか" not in found[2]:
            assert sum(int(n.rsplit(" ", 1)[1]) for n in found[2].split("、")) == int(found[1])
