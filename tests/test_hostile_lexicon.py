"""Issue 12, lexicon cases: hostile theme lexicons get one SettingsError naming the file and the
right line, never a RecursionError, and the data files a result records are named portably."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from analysis.errors import SettingsError
from analysis.themes import parse_lexicon

from conftest import ROOT


def _lexicon(rule: str) -> str:
    return '[[theme]]\nname = "B"\nterms = ["見守り"]\n\n[[theme]]\nname = "C"\nrules = [%s]\n' % json.dumps(
        rule, ensure_ascii=False)


@pytest.mark.parametrize("rule, says", [
    ("(" * 300 + "見守り" + ")" * 300, "nested too deep"),
    ("!" * 3000 + "見守り", "nested too deep"),
    ("not " * 2000 + "見守り", "nested too deep"),
    ("near(" * 400 + "見守り" + ", 連携)" * 400, "expected a comma"),  # near() takes words, not rules
])
def test_deeply_nested_rule_is_a_settings_error_with_its_line(rule, says):
    with pytest.raises(SettingsError) as info:
        parse_lexicon(_lexicon(rule), source="deep.toml")
    assert info.value.file == "deep.toml"
    assert info.value.line == 7
    assert says in str(info.value)
    assert len(str(info.value)) < 300  # one readable line, not the whole rule


def test_a_long_chain_of_theme_references_is_one_settings_error():
    themes = ['[[theme]]\nname = "T0"\nterms = ["見守り"]\n']
    themes += [f'[[theme]]\nname = "T{i}"\nrules = ["theme:T{i - 1}"]\n' for i in range(1, 3000)]
    with pytest.raises(SettingsError) as info:
        parse_lexicon("\n".join(themes), source="chain.toml")
    assert "chain" in str(info.value) and info.value.line is not None


def test_a_chain_within_the_limit_matches_through_every_link():
    from analysis.themes import code_units
    from analysis.tokens import Tokens, tokenize
    from analysis.units import TextUnit

    themes = ['[[theme]]\nname = "T0"\nterms = ["見守り"]\n']
    themes += [f'[[theme]]\nname = "T{i}"\nrules = ["theme:T{i - 1}"]\n' for i in range(1, 15)]
    lexicon = parse_lexicon("\n".join(themes), source="chain.toml")
    unit = TextUnit(id="u", plan_id="P1", generation=1, goal_number=1, direction_id="d", field="evaluation",
                    text="見守りを続けた。", line=1)
    coded = code_units(Tokens(units=[unit], sentences=[tokenize(unit.text)]), lexicon)
    assert set(coded.units[0].themes) == {f"T{i}" for i in range(15)}


def test_a_circle_of_any_length_is_named():
    themes = [f'[[theme]]\nname = "T{i}"\nrules = ["theme:T{(i + 1) % 500}"]\n' for i in range(500)]
    with pytest.raises(SettingsError, match="circle"):
        parse_lexicon("\n".join(themes), source="circle.toml")


def test_nesting_within_the_limit_still_parses():
    lexicon = parse_lexicon(_lexicon("(" * 40 + "見守り" + ")" * 40 + " & !" + "!" * 30 + "連携"),
                            source="ok.toml")
    assert list(lexicon.names) == ["B", "C"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(depth=st.integers(min_value=0, max_value=5000), op=st.sampled_from(["(", "!", "not ", "near("]))
def test_any_nesting_depth_parses_or_is_one_settings_error(depth, op):
    closing = {"(": ")", "near(": ", 連携)"}.get(op, "")
    rule = op * depth + "見守り" + closing * depth
    try:
        parse_lexicon(_lexicon(rule), source="p.toml")
    except SettingsError as error:
        assert error.file == "p.toml" and error.line == 7
    # RecursionError, MemoryError or anything else fails the test


def test_duplicate_theme_names_the_second_definition():
    text = '[[theme]]\nname = "A"\nterms = ["見守り"]\n\n[[theme]]\nname = "A"\nterms = ["連携"]\n'
    with pytest.raises(SettingsError) as info:
        parse_lexicon(text, source="dup.toml")
    assert info.value.line == 6
    assert "first at line 2" in str(info.value)


def test_duplicate_theme_whose_name_also_appears_earlier_in_a_comment_or_rule():
    text = ('# A is for 見守り\n[[theme]]\nname = "A"\nterms = ["見守り"]\n\n'
            '[[theme]]\nname = "Z"\nrules = ["theme:A"]\n\n[[theme]]\nname = "A"\nterms = ["連携"]\n')
    with pytest.raises(SettingsError) as info:
        parse_lexicon(text, source="dup.toml")
    assert info.value.line == 11
    assert "first at line 3" in str(info.value)
