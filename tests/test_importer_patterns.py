"""Plan-table text patterns (analysis/importers/patterns.py): table-driven Japanese cases."""

from __future__ import annotations

import pytest

from analysis.importers.patterns import (generation_of, guess_owner, markup_blocks, parse_direction_cell,
                                         parse_goal_cell, parse_period, split_initiatives,
                                         split_paragraphs, title_markers)

GOAL_CELLS = [
    ("【基本目標1】 地域でつながる", (1, "", "地域でつながる")),
    ("【基本目標３ 育てる】", (3, "育てる", "")),
    ("【基本目標二】支え合い", (2, "", "支え合い")),
    ("基本目標4：安心のまち", (4, "", "安心のまち")),
    ("(2) 安心のまち", (2, "", "安心のまち")),
    ("1. つながるまち", (1, "", "つながるまち")),
    ("安心のまち", (None, "", "安心のまち")),
    ("<p>【基本目標1】 a&amp;b</p>", (1, "", "a&b")),
]


@pytest.mark.parametrize("cell, expected", GOAL_CELLS)
def test_goal_cells(cell, expected):
    assert parse_goal_cell(cell) == expected


@pytest.mark.parametrize("title, expected", [
    ("見守りの推進（※重点取組2）", ("見守りの推進", 2, False)),
    ("見守りの推進(重点取組３)", ("見守りの推進", 3, False)),
    ("見守りの推進（再掲）", ("見守りの推進", None, True)),
    ("見守りの推進※再掲", ("見守りの推進", None, True)),
    ("重点的な見守り", ("重点的な見守り", None, False)),
    ("見守りの推進", ("見守りの推進", None, False)),
])
def test_title_markers(title, expected):
    assert title_markers(title)[:3] == expected


@pytest.mark.parametrize("cell, expected", [
    ("1. 訪問 2. 声かけ 3. 見守りカード", ["訪問", "声かけ", "見守りカード"]),
    ("１．訪問 ２．声かけ", ["訪問", "声かけ"]),
    ("令和2年度に2. の事業を開始", ["令和2年度に2. の事業を開始"]),
    ("・訪問\n・声かけ", ["訪問", "声かけ"]),
    ("①訪問②声かけ", ["訪問", "声かけ"]),
    ("", []),
])
def test_initiatives(cell, expected):
    assert split_initiatives(cell) == expected


@pytest.mark.parametrize("title, expected", [
    ("第二次〇〇市地域福祉活動計画（令和2年度～令和6年度）点検・評価", ("第二次〇〇市地域福祉活動計画", "令和2年度～令和6年度")),
    ("第3期△△町地域福祉計画(平成30年度〜令和4年度)", ("第3期△△町地域福祉計画", "平成30年度〜令和4年度")),
    ("地域福祉計画", ("地域福祉計画", "")),
])
def test_periods(title, expected):
    assert parse_period(title) == expected


@pytest.mark.parametrize("text, expected", [
    ("第二次計画", 2), ("第十一次計画", 11), ("【第３期計画の方向性】", 3), ("次期計画", None),
])
def test_generations(text, expected):
    assert generation_of(text) == expected


@pytest.mark.parametrize("title, owner", [
    ("第二次〇〇市地域福祉活動計画", "〇〇市社会福祉協議会"),
    ("第4期町田市地域福祉計画", "町田市"),
    ("□□村地域福祉計画", "□□村"),
    ("地域福祉計画", ""),
])
def test_owner_guess(title, owner):
    assert guess_owner(title) == owner


def test_markup_blocks_keep_text_outside_paragraphs():
    assert markup_blocks("前文 <p>(1) a</p><p>(2) b</p> 後文") == ["前文", "(1) a", "(2) b", "後文"]
    assert markup_blocks("a<br>b") == ["a b"]


@pytest.mark.parametrize("text, expected", [
    ("Aする。 また、Bする。 Cする。", ["Aする。 また、Bする。", "Cする。"]),
    ("Aする。Bする。", ["Aする。Bする。"]),  # no space after the period: one paragraph
    ("Aする。 一方、Bは課題。 加えて、Cする。", ["Aする。 一方、Bは課題。 加えて、Cする。"]),
])
def test_paragraphs(text, expected):
    assert split_paragraphs(text) == expected


DIRECTION_CELLS = [
    # (cell, goal, relisted, [(number, title, priority, text)], notes)
    ("【基本目標1 つなげる】 （1）見守りの推進（※重点取組1） 見守りを進める。",
     1, False, [(1, "見守りの推進", 1, "見守りを進める。")], 0),
    ("【基本目標2 支える】※再掲 (3) 見守りの推進 見守りを進める。",
     2, True, [(3, "見守りの推進", None, "見守りを進める。")], 0),
    ("(1) 見守りの推進 見守りを進める。 (2) サロンの充実 サロンを開く。",
     None, False, [(1, "見守りの推進", None, "見守りを進める。"), (2, "サロンの充実", None, "サロンを開く。")], 0),
    ("<p>【基本目標4 築く】 (1) 相談 相談を受ける。 また、つなぐ。</p> <p>(2) 孤立 孤立を防ぐ。</p>",
     4, False, [(1, "相談", None, "相談を受ける。 また、つなぐ。"), (2, "孤立", None, "孤立を防ぐ。")], 0),
    ("(1) 見守り (2) サロン",
     None, False, [(1, "見守り", None, ""), (2, "サロン", None, "")], 0),
    ("(1) 見守り体制 (2) サロン活動 サロン活動を広げる。",  # one paragraph for two titles: by overlap
     None, False, [(1, "見守り体制", None, ""), (2, "サロン活動", None, "サロン活動を広げる。")], 1),
    ("（１）見守り （※重点取組２） 進める。",  # marker separated by a space, full-width digits
     None, False, [(1, "見守り", 2, "進める。")], 0),
]


@pytest.mark.parametrize("cell, goal, relisted, headings, notes", DIRECTION_CELLS)
def test_direction_cells(cell, goal, relisted, headings, notes):
    parsed = parse_direction_cell(cell)
    assert (parsed.goal_number, parsed.relisted) == (goal, relisted)
    assert [(h.number, h.title, h.priority, h.text) for h in parsed.headings] == headings
    assert len(parsed.notes) == notes


def test_a_cell_without_numbered_headings_is_rest():
    parsed = parse_direction_cell("【基本目標1 つなげる】 見守り体制の強化")
    assert (parsed.goal_number, parsed.headings, parsed.rest) == (1, [], "見守り体制の強化")
