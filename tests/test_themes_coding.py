"""analysis.themes.coding: coded units, counts by group, evidence per theme, the unit × theme table."""

from __future__ import annotations

import pytest

from analysis.corpus import Corpus, Direction, Goal, Plan
from analysis.errors import SettingsError
from analysis.themes import code_units, parse_lexicon, theme_count_dict, theme_counts, theme_units, themes_frame
from analysis.tokens import tokenize_units
from analysis.units import text_units
from themes_cases import LEXICON, evaluation_corpus


def tiny_corpus() -> Corpus:
    d2a = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="関係機関との連携",
                    evaluation="関係機関と連携した。担い手の確保が課題となった。", source_lines=[6])
    d2b = Direction(id="P2-1-2", plan_id="P2", goal_number=1, number=2, title="見守り活動の充実",
                    evaluation="見守り活動を行った。", source_lines=[7])
    d3 = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="多様な主体との協働",
                   text="地域の団体と協働し、見守りを進める。", source_lines=[6])
    return Corpus(name="t", plans=[
        Plan(id="P2", generation=2, title="第2次", goals=[Goal(plan_id="P2", number=1, title="つなげる",
                                                              directions=[d2a, d2b])]),
        Plan(id="P3", generation=3, title="第3次", role="next",
             goals=[Goal(plan_id="P3", number=1, title="つなげる", directions=[d3])]),
    ])


@pytest.fixture(scope="module")
def coded():
    tokens = tokenize_units(text_units(tiny_corpus()), cache=False)
    return code_units(tokens, parse_lexicon(LEXICON, source="lexicon.toml"))


def test_counts_by_generation_are_text_units_keyed_by_string(coded):
    counts = theme_count_dict(coded)
    # P2: title「関係機関との連携」+ its evaluation; P3: title「…協働」+ its description.
    assert counts["連携・協働"] == {"2": 2, "3": 2}
    assert counts["担い手不足"] == {"2": 1, "3": 0}
    assert counts["見守り"] == {"2": 2, "3": 1}
    assert counts["災害"] == {"2": 0, "3": 0}  # a theme never seen is still listed


def test_sentence_counts(coded):
    # P2-1-1's evaluation has two sentences; only the second carries the shortage
    counts = theme_count_dict(coded, count="sentences")
    assert counts["担い手不足"] == {"2": 1, "3": 0}
    assert counts["連携・協働"] == {"2": 2, "3": 2}
    two = code_units(tokenize_units(text_units(Corpus(name="t", plans=[Plan(
        id="P2", generation=2, title="t", goals=[Goal(plan_id="P2", number=1, title="g", directions=[
            Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="",
                      evaluation="連携した。協働した。")])])])), cache=False), parse_lexicon(LEXICON))
    assert theme_count_dict(two, count="sentences")["連携・協働"] == {"2": 2}
    assert theme_count_dict(two)["連携・協働"] == {"2": 1}


def test_counts_by_field_and_goal(coded):
    assert theme_count_dict(coded, by="field")["担い手不足"]["evaluation"] == 1
    assert theme_count_dict(coded, by="goal")["見守り"] == {"P2-G1": 2, "P3-G1": 1}
    frame = theme_counts(coded, by="generation")
    assert list(frame.columns) == ["2", "3"] and frame.loc["連携・協働", "3"] == 2


def test_counts_reject_an_unknown_grouping(coded):
    with pytest.raises(SettingsError, match="generation"):
        theme_count_dict(coded, by="city")


def test_theme_units_give_evidence(coded):
    units = theme_units(coded, "担い手不足")
    assert units == [{
        "id": "P2-1-1:evaluation", "generation": 2, "direction": "P2-1-1", "field": "evaluation", "line": 6,
        "words": ["担い手", "確保"], "sentences": ["担い手の確保が課題となった。"],
    }]
    with pytest.raises(SettingsError):
        theme_units(coded, "存在しないテーマ")


def test_themes_frame_is_unit_by_theme(coded):
    frame = themes_frame(coded)
    assert frame.shape == (len(coded), 3 + 4)
    assert set(frame["見守り"].unique()) <= {0, 1}
    assert frame.loc["P2-1-2:title", "見守り"] == 1 and frame.loc["P2-1-2:title", "連携・協働"] == 0


def test_coded_units_keep_lexicon_order_and_settings(coded):
    assert coded.theme_names == ["連携・協働", "担い手不足", "見守り", "災害"]
    assert coded.settings == {"lexicon": "lexicon.toml", "split_mode": "C"}
    for c in coded:
        assert list(c.themes) == [n for n in coded.theme_names if n in c.themes]
    [unit] = [c for c in coded if c.unit.id == "P2-1-1:evaluation"]
    assert unit.words("担い手不足") == ["担い手", "確保"] and unit.words("災害") == []
    assert unit.to_dict()["themes"]["担い手不足"][0]["sentence_index"] == 1


def test_a_megabyte_sentence_without_punctuation():
    text = "担い手不足地域福祉活動見守り" * 25_000  # 350,000 characters, 1 MB of UTF-8
    assert len(text.encode("utf-8")) > 1_000_000
    corpus = evaluation_corpus([text])
    tokens = tokenize_units(text_units(corpus), cache=False)
    coded = code_units(tokens, parse_lexicon(LEXICON))
    assert theme_count_dict(coded)["見守り"] == {"2": 1}


def test_bundled_corpus_has_shortage_in_evaluations_and_coordination_in_both_generations():
    from analysis.corpus_io import load_corpus

    tokens = tokenize_units(text_units(load_corpus()))
    coded = code_units(tokens)
    shortage = theme_units(coded, "担い手不足")
    assert any(u["field"] == "evaluation" for u in shortage)
    counts = theme_count_dict(coded)["連携・協働"]
    assert counts["2"] > 0 and counts["3"] > 0
