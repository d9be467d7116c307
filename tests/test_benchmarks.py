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
    a, b = gen.generate_corpus(4, seed=3), gen.generate_corpus(4, seed=3)
    assert a == b
    assert [p.generation for p in a.plans] == [1, 2, 3, 4]
    ids = {d.id for p in a.plans for d in p.directions()}
    assert all(link.source in ids and link.target in ids for link in a.links)
    assert a.plans[-1].role == "next" and all(p.role == "evaluated" for p in a.plans[:-1])
    assert gen.generate_corpus(4, seed=4) != a


def test_main_prints_the_figures_last(run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))  # main() points it elsewhere
    text = tmp_path / "tiny.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert run.main(["--quick", "--text", str(text), "--skip", "memory,cold,plans"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert set(figures) == {"tokenize_ratio", "two_worker_speedup", "pipeline_over_tokenize", "cold_start_ratio",
                            "cache_speedup", "peak_rss_mib"}
    assert figures["tokenize_ratio"] > 0 and figures["peak_rss_mib"] > 0
    assert figures["cold_start_ratio"] is None  # skipped


def test_plan_scaling_smoke(run):
    rows = run.plan_scaling((2,), cap_s=1e9)
    assert rows[0]["plans"] == 2 and rows[0]["directions"] > 0 and "tokens" in rows[0]


def test_memory_probe_and_missing_text(run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KEIKAKU_CACHE_DIR", str(tmp_path / "cache"))
    text = tmp_path / "tiny.txt"
    text.write_text(TEXT, encoding="utf-8")
    run.memory_probe(text, 0)
    probe = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert probe["chars"] == 0 and probe["peak_mib"] > 0
    assert run.main(["--quick", "--text", str(tmp_path / "missing.txt")]) == 2
