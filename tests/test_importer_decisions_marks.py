"""Check-box decisions (今後の方向性 printed as a list of options, each after a mark): the checked
option is the decision, for every importer; none or several checked is unknown, and
:func:`decision_note` says which.  The cells are as evaluation forms print them."""

from __future__ import annotations

import pytest

from analysis.importers import import_source
from analysis.importers.decisions import decision_class, decision_note, load_decisions

from test_importer_table import write


@pytest.fixture(scope="module")
def vocabulary():
    return load_decisions()


@pytest.mark.parametrize("cell, kind", [
    ("□拡充 ■継続 □改善", "continue"),
    ("□拡充　■継続　□改善　□縮小　□廃止", "continue"),  # ideographic spaces between options
    ("☑改善 ☐継続 ☐廃止", "improve"),
    ("〇継続", "continue"),                              # one circled option
    ("●拡充 ○縮小", "expand"),                           # beside ●, ○ is the unchecked one
    ("○縮小 ●拡充", "expand"),
    ("□拡充 〇継続 □縮小", "continue"),                  # beside boxes, 〇 is the checked one
    ("・拡充 ◎継続 ・廃止", "continue"),
    ("□ 1 拡充\n■ 2 現状維持\n□ 3 終了・廃止・休止", "continue"),  # numbered, one a line
    ("✔改革改善（縮小・統合含む） □現状維持", "improve"),
    ("◉終了 ○継続", "end"),
])
def test_the_checked_option_is_the_decision(vocabulary, cell, kind):
    assert decision_class(cell, vocabulary) == kind
    assert decision_note(cell, vocabulary) == ""


@pytest.mark.parametrize("cell, note", [
    ("□拡充 □継続 □改善", "チェックの付いた選択肢がありません（拡充、継続、改善）"),
    ("■拡充 ■継続 □改善", "チェックが2つの選択肢（拡充、継続）に付いています"),
    ("○拡充 ○継続", "チェックの付いた選択肢がありません（拡充、継続）"),  # circles only: none is a check
    ("■検討中 □継続", "チェックの付いた「検討中」が decisions.toml にありません"),
])
def test_none_or_several_checked_is_unknown_and_says_which(vocabulary, cell, note):
    assert decision_class(cell, vocabulary) == "unknown"
    assert decision_note(cell, vocabulary) == note


def test_a_table_of_check_box_decisions_imports_their_classes(tmp_path):
    path = write(tmp_path, [["施策名", "事務事業名", "評価", "今後の方向性"],
                            ["地域福祉", "見守り訪問事業", "訪問を続けた。", "□拡充 ■継続 □改善"],
                            ["地域福祉", "配食サービス事業", "利用者が減った。", "☑縮小 ☐継続"],
                            ["地域福祉", "サロン支援事業", "サロンが増えた。", "●拡充 ○継続"],
                            ["地域福祉", "敬老祝金支給事業", "祝金を支給した。", "□継続 □廃止"],
                            # a bullet before one word is no check box: read as before
                            ["地域福祉", "民生委員活動支援事業", "相談が増えた。", "・継続"]])
    corpus = import_source(path, mapping={"columns": {"level": ["施策名"], "unit": "事務事業名",
                                                      "evaluation": "評価", "decision": "今後の方向性"}})
    got = [(d.decision.label, d.decision.class_) for p in corpus.plans for d in p.directions()]
    assert got == [("□拡充 ■継続 □改善", "continue"), ("☑縮小 ☐継続", "reduce"),
                   ("●拡充 ○継続", "expand"), ("□継続 □廃止", "unknown"), ("・継続", "continue")]
    # the cell with nothing checked, and only it, is warned about
    assert [w.line for w in corpus.warnings if w.field == "今後の方向性"] == [5]
    [warned] = [w for w in corpus.warnings if w.field == "今後の方向性"]
    assert "チェックの付いた選択肢がありません（継続、廃止）" in warned.message  # the warning says which
