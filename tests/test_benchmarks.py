"""A tiny smoke run of the benchmark code paths (no timings are asserted)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
TEXT = "一\n\n　地域の見守り活動を推進した。「担い手不足。」が課題となった。\n隨時、関係機関と連携した。\n" * 30


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # worker processes find its functions by name
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.fixture(scope="module")
def run():
    return load("run")


def test_units_and_raw_path(run):
    units = run.make_units(run.head(TEXT, 200))
    assert units and all(u.text.strip() for u in units)
    assert len(run.head(TEXT, 200)) <= 200
    sentences = run.project_sentences(units)
    assert run.raw_sudachi(sentences) == sum(len(s.tokens) for u in units for s in run.project_tokenize([u]).sentences[0])


def test_generated_plans_are_deterministic():
    gen = load("generate_plans")
    a, b = gen.generate_corpus(4, seed=3, generations=4), gen.generate_corpus(4, seed=3, generations=4)
    assert a == b
    assert [p.generation for p in a.plans] == [1, 2, 3, 4] and len(a.chains()) == 1
    ids = {d.id for p in a.plans for d in p.directions()}
    assert all(link.source in ids and link.target in ids for link in a.links)
    assert a.plans[-1].role == "next" and all(p.role == "evaluated" for p in a.plans[:-1])
    assert gen.generate_corpus(4, seed=4, generations=4) != a
    many = gen.generate_corpus(7, seed=3)  # owners of three generations each, the last one shorter
    assert [(p.id, p.generation, p.role) for p in many.plans][2:5] == [
        ("O1-P3", 3, "next"), ("O2-P1", 1, "evaluated"), ("O2-P2", 2, "evaluated")]
    assert [len(v) for v in many.chains().values()] == [3, 3, 1] and many == gen.generate_corpus(7, seed=3)


def test_main_prints_the_figures_last(run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))  # main() points it elsewhere
    text = tmp_path / "tiny.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert run.main(["--quick", "--text", str(text), "--skip", "memory,cold,plans,peers"]) == 0
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert set(figures) == {"tokenize_ratio", "two_worker_speedup", "two_forked_speedup", "pipeline_over_tokenize",
                            "cold_start_ratio", "cache_speedup", "peak_rss_mib"}
    assert figures["tokenize_ratio"] > 0 and figures["peak_rss_mib"] > 0
    assert figures["cold_start_ratio"] is None  # skipped
    assert "peers" not in out  # skipped: no table, no line, no peer keys (the set above)
    # the pipeline figure comes from a fresh process (quick: one round), not from this one
    [fresh] = [line for line in out.splitlines() if "per fresh process" in line]
    assert float(fresh.split()[-1]) > 0 and "pipeline probe at" not in out


@pytest.fixture
def peers(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # run.py imports it by this name
    import peers

    return peers


def test_peer_figures_are_median_ratios_per_round(peers):
    tokens = [{"keikaku_s": 1.0, "ginza_tokens_s": 3.0, "fugashi_tokens_s": 0.5},
              {"keikaku_s": 2.0, "ginza_tokens_s": 2.0, "fugashi_tokens_s": 0.5},
              {"keikaku_s": 0.5, "ginza_tokens_s": 1.0, "fugashi_tokens_s": 1.0}]
    pipeline = [{"keikaku_s": 0.1, "ginza_pipeline_s": 12.0}]
    figures = peers.peer_figures(tokens, pipeline)
    assert figures == {"ginza_tokens_ratio": 2.0, "ginza_pipeline_ratio": 120.0, "fugashi_tokens_ratio": 0.5}
    assert set(peers.peer_figures(tokens, [])) == {"ginza_tokens_ratio", "fugashi_tokens_ratio"}


def test_first_chars_keeps_leading_units_within_the_budget(run, peers):
    units = run.make_units(TEXT)
    head = peers.first_chars(units, 60)
    assert head == units[:len(head)] and sum(len(u.text) for u in head) <= 60
    assert len(peers.first_chars(units, 60)) < len(peers.first_chars(units, 200))
    assert peers.first_chars(units, 0) == units[:1]


def test_peer_env_is_rebuilt_when_its_pins_change(peers, tmp_path):
    pins = tmp_path / "pins.txt"
    pins.write_text("spacy==3.8.18\n")
    root = tmp_path / "peers"
    assert not peers.env_is_current(root, pins)
    python = peers.env_python(root)
    python.parent.mkdir(parents=True)
    python.touch()
    (root / "venv" / "keikaku-pins.sha256").write_text(peers.pins_digest(pins) + "\n")
    assert peers.env_is_current(root, pins)
    pins.write_text("spacy==3.8.17\n")
    assert not peers.env_is_current(root, pins)


def test_unavailable_peers_say_why_and_leave_their_keys_out(run, peers, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))

    def no_network(**_):
        raise peers.PeerUnavailable("installing GiNZA and fugashi failed: no network")

    monkeypatch.setattr(peers, "ensure_env", no_network)
    text = tmp_path / "tiny.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert run.main(["--quick", "--text", str(text), "--skip", "memory,cold,plans,cache"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "peers skipped: installing GiNZA and fugashi failed: no network" in out
    assert not set(json.loads(out[-1])) & set(peers.FIGURES)


def test_plan_scaling_runs_every_command_and_reports_its_figures(run):
    rows = run.plan_scaling((4, 8))
    assert [(r["plans"], r["owners"]) for r in rows] == [(4, 2), (8, 3)]
    for r in rows:
        assert r["directions"] > 0 and r["chars"] > 0 and r["report_mib"] > 0
        for stage in ("import", "tokens", "graph", "gaps", "report"):
            assert r[stage]["s"] > 0 and r[stage]["cpu_s"] > 0 and r[stage]["rss_mib"] > 10
    figures = run.plan_figures(rows)
    assert {"plans_4_report_s", "plans_8_peak_rss_mib", "plans_growth_graph"} <= set(figures)
    scale = load("scale")
    a, b = {"plans": 1000, "x": {"s": 1.0}}, {"plans": 5000, "x": {"s": 5.0}}
    assert scale.growth_per_doubling(a, b, "x") == pytest.approx(2.0)  # linear: ×2 per ×2
    assert scale.growth_per_doubling(a, {"plans": 5000, "x": {"s": 25.0}}, "x") == pytest.approx(4.0)  # square


def test_a_failing_command_names_itself(run, monkeypatch):
    scale = load("scale")
    with pytest.raises(RuntimeError, match="exited 3"):
        scale.run_measured([sys.executable, "-m", "analysis", "corpus", "/nonexistent"], env=dict(__import__("os").environ))


def test_memory_probe_and_missing_text(run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))
    text = tmp_path / "tiny.txt"
    text.write_text(TEXT, encoding="utf-8")
    run.memory_probe(text, 0)
    probe = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert probe["chars"] == 0 and probe["peak_mib"] > 0
    assert run.main(["--quick", "--text", str(tmp_path / "missing.txt")]) == 2


def test_peer_table_reports_seconds_speeds_and_ratios(peers):
    tokens = [{"keikaku_s": 2.0, "ginza_tokens_s": 8.0, "fugashi_tokens_s": 4.0}]
    pipeline = [{"keikaku_s": 0.5, "ginza_pipeline_s": 50.0}]
    result = {"tokens": tokens, "pipeline": pipeline, "chars": 1_000_000, "pipeline_chars": 100_000,
              "figures": peers.peer_figures(tokens, pipeline)}
    rows = {r[0].strip(): r[1:] for r in peers.table_rows(result)}
    assert rows["keikaku tokenize_units (1 worker, no cache)"] == ("2.000", "0.5000")  # 1 M chars in 2 s
    assert rows["GiNZA full pipeline (nlp.pipe)"] == ("50.000", "0.0020")
    assert rows["ginza_tokens_ratio (peer / keikaku, median of rounds)"] == ("4.000",)
    assert rows["ginza_pipeline_ratio (peer / keikaku, median of rounds)"] == ("100.000",)


def test_a_worker_that_cannot_start_says_why(peers):
    import importlib.util

    if importlib.util.find_spec("spacy") and importlib.util.find_spec("fugashi"):
        pytest.skip("this environment has the peers: the worker would start")
    # keikaku's own Python has no spaCy / fugashi: the worker stops at its imports
    with pytest.raises(peers.PeerUnavailable, match="peer worker stopped: .*No module named"):
        peers.Worker(sys.executable, ["地域の見守り活動を推進した。"])
