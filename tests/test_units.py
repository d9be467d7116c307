"""Text units and the pandas view, on the bundled corpus."""

from __future__ import annotations

import pytest

from analysis.corpus_io import load_corpus
from analysis.units import FIELDS, text_units, units_frame


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_one_unit_per_nonempty_text(corpus):
    units = text_units(corpus)
    expected = sum(1 + len(d.initiatives) + bool(d.evaluation) + bool(d.text) for d in corpus.directions())
    assert len(units) == expected
    assert len({u.id for u in units}) == len(units)


@pytest.mark.parametrize("unit_id, field, generation, line, starts", [
    ("P2-1-1:evaluation", "evaluation", 2, 6, "医療や介護サービス"),
    ("P2-1-5:initiative:3", "initiative", 2, 12, "社協支部活動の充実"),
    ("P3-3-2:description", "description", 3, 18, "ボランティア・担い手養成講座"),
    ("P3-1-1:title", "title", 3, 6, "小地域福祉活動の推進"),
])
def test_units_carry_their_metadata(corpus, unit_id, field, generation, line, starts):
    unit = {u.id: u for u in text_units(corpus)}[unit_id]
    assert (unit.field, unit.generation, unit.line) == (field, generation, line)
    assert unit.text.startswith(starts)
    assert unit.file == "000_270e44ce1722bd2a.txt"


def test_units_frame_for_notebooks(corpus):
    frame = units_frame(corpus)
    assert list(frame.columns) == ["unit", "plan", "generation", "goal", "direction", "direction_title",
                                   "field", "label", "decision", "text", "file", "line"]
    assert len(frame) == len(text_units(corpus))
    assert set(frame["field"]) == set(FIELDS)
    evaluations = frame[frame["field"] == "evaluation"]
    assert len(evaluations) == 16 and set(evaluations["plan"]) == {"P2"}
    descriptions = frame[frame["field"] == "description"]
    assert len(descriptions) == 10 and set(descriptions["generation"]) == {3}
    assert str(frame["line"].dtype) == "Int64"
    row = frame.set_index("unit").loc["P2-4-2:evaluation"]
    assert (row["goal"], row["direction"], row["line"]) == (4, "P2-4-2", 22)
    assert "隨時" in row["text"]


def test_field_selection(corpus):
    frame = units_frame(corpus, fields=("evaluation",))
    assert set(frame["field"]) == {"evaluation"}
