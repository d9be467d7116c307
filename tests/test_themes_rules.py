"""analysis.themes.rules: the rule grammar, precedence, syntax errors, and what a rule refers to."""

from __future__ import annotations

import re

import pytest

from analysis.themes import (
    And, Near, Not, Or, RuleSyntaxError, ThemeRef, Word, compile_pattern, parse_rule, rule_patterns, rule_refs,
)

PARSE_CASES = [
    ("担い手", Word),
    ('"民生委員 児童委員"', Word),
    ("担い手 & 不足", And),
    ("担い手 and 不足", And),
    ("担い手 | なり手", Or),
    ("担い手 or なり手", Or),
    ("!担い手", Not),
    ("not 担い手", Not),
    ("near(担い手, 不足, 5)", Near),
    ("near(担い手 | なり手, 不足)", Near),
    ("seq(担い手, 確保, 3)", Near),
    ("theme:見守り", ThemeRef),
    ("(担い手 | なり手) & !育成", And),
]


@pytest.mark.parametrize("rule, kind", PARSE_CASES)
def test_rules_parse(rule, kind):
    assert isinstance(parse_rule(rule), kind)


def test_precedence_not_then_and_then_or():
    tree = parse_rule("a | b & !c")
    assert isinstance(tree, Or)
    assert isinstance(tree.operands[1], And)
    assert isinstance(tree.operands[1].operands[1], Not)


def test_near_and_seq_keep_window_order_and_alternatives():
    near = parse_rule("near(担い手 | なり手, 不足)")
    assert [p.text for p in near.left] == ["担い手", "なり手"] and near.window == 5 and not near.ordered
    seq = parse_rule("seq(担い手, 確保, 3)")
    assert seq.window == 3 and seq.ordered


def test_a_phrase_is_one_pattern_with_its_spaces_folded_away():
    assert parse_rule('"民生委員 児童委員"').pattern == compile_pattern("民生委員 児童委員")
    assert parse_rule('"民生委員 児童委員"').pattern.surface == "民生委員児童委員"


BAD_RULES = [
    ("担い手 &", "unexpected end of rule"),
    ("(担い手 | 不足", "closing )"),
    ("near(担い手 不足)", "comma"),
    ("near(担い手, 不足, many)", "whole number"),
    ('"担い手', "closing"),
    ("担い手 不足", "expected & or |"),
    ("", "empty rule"),
    ("theme:", "theme name"),
    ("near(theme:見守り, 不足)", "word or"),
]


@pytest.mark.parametrize("rule, expected", BAD_RULES)
def test_rule_syntax_errors_say_what_was_expected(rule, expected):
    with pytest.raises(RuleSyntaxError, match=re.escape(expected)):
        parse_rule(rule)


def test_rule_refs_follow_not_and_or():
    assert list(rule_refs(parse_rule("theme:a | (担い手 & !theme:b)"))) == ["a", "b"]
    assert list(rule_refs(parse_rule("near(担い手, 不足)"))) == []


def test_rule_patterns_are_every_word_searched():
    tree = parse_rule('(担い手 | なり手) & !near(研修, "会議 資料", 2) & theme:x')
    assert sorted(p.text for p in rule_patterns(tree)) == sorted(["担い手", "なり手", "研修", "会議 資料"])
