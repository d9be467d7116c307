"""The corpus data model: ids, navigation, dict round trip."""

from __future__ import annotations

import json

import pytest

from analysis.corpus import Corpus, Direction, Goal, ImportWarning, Link, Plan

D1 = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="見守り活動の推進",
               initiatives=["訪問", "声かけ"], evaluation="担い手不足が課題となった。", source_lines=[6])
D2 = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="見守り体制の強化", text="強化する。",
               priority=1, relisted_lines=[9], source_lines=[6, 9])


def small() -> Corpus:
    return Corpus(
        name="t",
        plans=[Plan(id="P2", generation=2, title="第2次計画", goals=[Goal(plan_id="P2", number=1, title="つながる",
                                                                       directions=[D1])]),
               Plan(id="P3", generation=3, title="第3次計画", role="next",
                    goals=[Goal(plan_id="P3", number=1, title="つなげる", label="つなげる", directions=[D2])])],
        links=[Link(source="P2-1-1", target="P3-1-1", relisted=True, line=9)],
        warnings=[ImportWarning(line=9, message="説明が異なります", file="a.txt", field="評価")],
        skipped=[{"file": "a.txt", "line": 1, "reason": "見出し行", "text": "【評価】"}],
        sources=[{"file": "a.txt", "sha256": "0" * 64, "format": "evaluation-table"}],
    )


def test_dict_round_trip_through_json():
    corpus = small()
    assert Corpus.from_dict(json.loads(json.dumps(corpus.to_dict()))) == corpus


def test_json_has_the_documented_keys():
    data = small().to_dict()
    plan = data["plans"][0]
    assert {"id", "generation", "title", "goals"} <= set(plan)
    assert {"number", "title", "directions"} <= set(plan["goals"][0])
    assert {"id", "title", "priority", "evaluation", "text", "initiatives", "source_lines"} <= set(
        plan["goals"][0]["directions"][0])
    assert data["links"][0]["from"] == "P2-1-1" and data["links"][0]["to"] == "P3-1-1"
    assert data["links"][0]["kind"] == "stated"
    assert data["warnings"][0] == {"line": 9, "message": "説明が異なります", "file": "a.txt", "field": "評価"}


def test_navigation():
    corpus = small()
    assert corpus.plan_by_generation(3).id == "P3"
    assert corpus.direction("P3-1-1").priority == 1
    assert [d.id for d in corpus.directions()] == ["P2-1-1", "P3-1-1"]
    assert corpus.generations() == [2, 3]
    assert corpus.plans[0].goals[0].id == "P2-G1"
    with pytest.raises(KeyError):
        corpus.direction("P9-9-9")
