"""Comparing two generations: one-to-one structure mapping, theme shifts (G²), priorities."""

from __future__ import annotations

import copy

import pytest
from scipy.stats import chi2_contingency

from analysis.compare import bigram_dice, compare_generations, comparison_summary, g2
from analysis.errors import InputError
from analysis.outputs import json_dumps
from analysis.settings import Settings
from test_continuity import LEXICON, make_corpus  # the hand-made two-generation plan


@pytest.fixture(scope="module")
def comparison():
    settings = Settings.load().replace(compare={"min_g2": 0.0})
    return compare_generations(make_corpus(), 1, 2, settings=settings, lexicon=LEXICON)


@pytest.mark.parametrize("a, b, ta, tb", [(10, 2, 100, 100), (0, 5, 40, 60), (3, 3, 10, 30), (7, 0, 7, 9)])
def test_g2_matches_scipy_log_likelihood(a, b, ta, tb):
    expected = chi2_contingency([[a, ta - a], [b, tb - b]], lambda_="log-likelihood", correction=False)[0]
    value = g2(a, b, ta, tb)
    assert abs(value) == pytest.approx(expected, abs=1e-5)
    assert (value >= 0) == (a / ta >= b / tb)


@pytest.mark.parametrize("a, b, expected", [
    ("見守り活動の推進", "見守り活動の推進", 1.0),
    ("ＡＢ", "AB", 1.0),  # match form: width folded
    ("相談体制", "権利擁護", 0.0),
    ("相談体制の充実", "相談体制の推進", 2 * 4 / (6 + 6)),  # 相談 談体 体制 制の shared of 6 bigrams each
])
def test_bigram_dice(a, b, expected):
    assert bigram_dice(a, b) == pytest.approx(expected)


def test_goals_map_one_to_one(comparison):
    rows = comparison.goals.to_dict(orient="records")
    assert {(r["older"], r["newer"], r["status"]) for r in rows} == {
        ("P1-G1", "P2-G1", "same_title"), ("P1-G2", "P2-G2", "same_title"), ("P1-G3", "P2-G3", "same_title")}


def test_directions_map_one_to_one(comparison):
    frame = comparison.directions
    mapped = frame[(frame["older"] != "") & (frame["newer"] != "")]
    assert mapped["older"].is_unique and mapped["newer"].is_unique
    pairs = dict(zip(mapped["older"], mapped["newer"]))
    assert pairs["P1-1-1"] == "P2-1-1"
    assert pairs["P1-3-1"] == "P2-3-1"
    assert pairs["P1-2-1"] in ("P2-2-1", "P2-2-2")
    status = {(r["older"] or r["newer"]): r["status"] for r in frame.to_dict(orient="records")}
    assert status["P1-1-1"] == "same_title"
    assert status["P1-3-1"] == "changed"
    assert status["P1-2-2"] == "removed"
    assert status["P2-2-3"] == "added"
    # every direction of both plans appears exactly once
    assert sorted(set(frame["older"]) - {""}) == ["P1-1-1", "P1-1-2", "P1-1-3", "P1-2-1", "P1-2-2", "P1-3-1"]
    assert len(set(frame["newer"]) - {""}) == 6


def test_theme_shifts(comparison):
    rows = comparison.themes.set_index("subject")
    assert rows.loc["権利擁護", "older_count"] == 0 and rows.loc["権利擁護", "newer_count"] == 2
    assert rows.loc["権利擁護", "status"] == "grew" and rows.loc["権利擁護", "g2"] > 0
    assert rows.loc["情報発信", "status"] == "shrank" and rows.loc["情報発信", "g2"] < 0
    assert list(comparison.themes["g2"]) == sorted(comparison.themes["g2"], reverse=True)


def test_shift_below_min_g2_is_stable():
    comparison = compare_generations(make_corpus(), 1, 2, lexicon=LEXICON)  # default min_g2 = 3.84
    rows = comparison.themes.set_index("subject")
    assert rows.loc["見守り", "status"] == "stable"


def test_priorities():
    corpus = make_corpus()
    comparison = compare_generations(corpus, 1, 2, lexicon=LEXICON)
    rows = comparison.priorities.to_dict(orient="records")
    assert [(r["older"], r["newer"], r["status"], r["newer_priority"]) for r in rows] == \
        [("P1-1-1", "P2-1-1", "added", 1)]
    changed = copy.deepcopy(corpus)
    changed.direction("P1-1-1").priority = 2
    changed.direction("P1-2-2").priority = 1
    rows = compare_generations(changed, 1, 2, lexicon=LEXICON).priorities.to_dict(orient="records")
    status = {r["older"]: r["status"] for r in rows}
    assert status == {"P1-1-1": "renumbered", "P1-2-2": "removed"}


def test_defaults_and_errors():
    corpus = make_corpus()
    assert compare_generations(corpus, lexicon=LEXICON).older == "P1"
    with pytest.raises(InputError, match="generation 5"):
        compare_generations(corpus, 1, 5, lexicon=LEXICON)
    with pytest.raises(InputError, match="two different"):
        compare_generations(corpus, 2, 2, lexicon=LEXICON)


def test_dict_form_and_summary(comparison):
    data = comparison.to_dict()
    assert {"older", "newer", "goals", "directions", "themes", "terms", "priorities", "settings"} <= set(data)
    text = json_dumps(data)
    assert "NaN" not in text
    summary = comparison_summary(comparison)
    assert "基本目標の対応" in summary and "重点取組" in summary and "権利擁護" in summary


def test_compare_consumes_the_analysis_it_is_given(comparison, monkeypatch):
    import analysis.themes
    import analysis.tokens
    from analysis.pipeline import analyze

    corpus = make_corpus()
    settings = Settings.load().replace(compare={"min_g2": 0.0})
    made = analyze(corpus, settings=settings, lexicon=LEXICON)
    made.coded  # computed here, once

    def again(*args, **kwargs):
        raise AssertionError("compare ran a stage above it again")

    monkeypatch.setattr(analysis.tokens, "tokenize_corpus", again)
    monkeypatch.setattr(analysis.themes, "code_units", again)
    given = compare_generations(corpus, 1, 2, analysis=made)
    assert json_dumps(given.to_dict()) == json_dumps(comparison.to_dict())
    with pytest.raises(TypeError, match="not both"):
        compare_generations(corpus, 1, 2, analysis=made, settings=settings)


def test_bad_compare_weights_are_refused_before_any_work(monkeypatch):
    import analysis.tokens
    from analysis.errors import SettingsError

    monkeypatch.setattr(analysis.tokens, "tokenize_corpus", lambda *a, **k: pytest.fail("tokenized first"))
    settings = Settings.load().replace(compare={"weight_number": 0.0, "weight_title": 0.0, "weight_content": 0.0})
    with pytest.raises(SettingsError, match="weights"):
        compare_generations(make_corpus(), 1, 2, settings=settings, lexicon=LEXICON)
