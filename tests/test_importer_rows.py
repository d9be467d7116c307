"""Rows and cells of a plan table that are not what they seem: next-plan cells meaning "no
successor" (「-」「なし」「（廃止）」「※再掲」), several numbered directions written inline in one
cell, totals rows (合計 / 小計), and numbered titles of the evaluated plan.  Sources are written
by the test and imported as a planner does (``keikaku import``); continuity runs real Sudachi."""

from __future__ import annotations

import json
import tomllib

import pytest

from analysis.cli import main
from analysis.corpus_io import read_corpus
from analysis.errors import SettingsError
from analysis.importers import import_table
from analysis.importers import patterns as pt
from analysis.importers.build import PlanInfo, Row, build_corpus

from workbook_shapes import write_csv

MAPPING = """\
[columns]
goal = "基本目標"
direction = "施策の方向"
evaluation = "評価"
next = "次期計画の方向性"

[plan]
title = "第2次ふじ町地域福祉計画"
"""
HEADER = ["基本目標", "施策の方向", "評価", "次期計画の方向性"]
NEXT_FIELD = "次期計画の方向性"


def imported(tmp_path, rows, *, name="plan.csv", mapping=MAPPING):
    """``keikaku import`` of a CSV written here, read back from the corpus folder."""
    source = write_csv(tmp_path / name, [HEADER, *rows])
    (tmp_path / (source.stem + ".mapping.toml")).write_text(mapping, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 0
    return read_corpus(out), out


def directions(capsys, out) -> dict[str, str]:
    """``keikaku gaps --json``: where each past direction went (status per id)."""
    capsys.readouterr()
    assert main(["gaps", str(out), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    return {f["past"][0]: f["status"] for f in findings if f["kind"] == "direction" and f["side"] == "past"}


def warnings_at(corpus, line):
    return [(w.file, w.field, w.message) for w in corpus.warnings if w.line == line]


# -- 1. next-plan cells meaning "no successor" ------------------------------------------------

NO_SUCCESSOR_ROWS = [
    ["基本目標1 見守りのまち", "見守り活動の推進", "見守り訪問を続けた。", "見守り体制の強化"],
    ["", "サロン活動の支援", "サロンが増えた。", "-"],
    ["", "ボランティアの育成", "講座を開いた。", "なし"],
    ["", "地区懇談会の開催", "懇談会を開いた。", "― 該当なし ―"],
    ["", "防災訓練の支援", "訓練を支援した。", "（廃止）"],
    ["", "広報誌の発行", "年4回発行した。", "※再掲"],
    ["", "福祉教育の推進", "学校で授業をした。", "（1）"],
    ["", "相談窓口の設置", "窓口を設けた。", "見守り体制の強化（再掲）"],
    ["", "居場所の運営", "居場所を開いた。", "【再掲】見守り体制の強化"],
]


def test_next_cells_meaning_no_successor_make_no_direction_and_no_link(tmp_path, capsys):
    corpus, out = imported(tmp_path, NO_SUCCESSOR_ROWS)
    [next_direction] = corpus.plan("P3").directions()
    # the 再掲 marks are stripped from a real title, the direction kept (lines 9, 10 relist it)
    assert (next_direction.title, next_direction.source_lines, next_direction.relisted_lines) == (
        "見守り体制の強化", [2, 9, 10], [9, 10])
    assert [(link.source, link.target, link.relisted) for link in corpus.links] == [
        ("P2-1-1", "P3-1-1", False), ("P2-1-8", "P3-1-1", True), ("P2-1-9", "P3-1-1", True)]
    # one warning per cell, naming the file, the line and the column
    for line, cell in ((3, "-"), (7, "※再掲"), (8, "（1）")):
        assert warnings_at(corpus, line) == [
            ("plan.csv", NEXT_FIELD, f"次期計画の方向性の欄「{cell}」には方向性の名称がない（番号・記号・"
                                     "再掲の印だけの）ため、方向性もつながりも作りませんでした")]
    for line, cell in ((4, "なし"), (5, "― 該当なし ―")):
        assert warnings_at(corpus, line) == [
            ("plan.csv", NEXT_FIELD, f"次期計画の方向性の欄「{cell}」は後継なしとして扱い、方向性もつながりも"
                                     "作りませんでした")]
    # 廃止 (decisions.toml's end class) is recorded as the direction's decision
    assert warnings_at(corpus, 6) == [
        ("plan.csv", NEXT_FIELD, "次期計画の方向性の欄「（廃止）」は後継なしとして扱い、方向性もつながりも"
                                 "作りませんでした（P2-1-5の今後の方向性「終了・廃止・休止」（分類 end）として記録しました）")]
    ended = corpus.direction("P2-1-5").decision
    assert (ended.label, ended.class_, ended.header) == ("（廃止）", "end", NEXT_FIELD)
    assert [d.decision for d in corpus.plan("P2").directions() if d.id != "P2-1-5"] == [None] * 8
    assert len(corpus.warnings) == 6
    went = directions(capsys, out)
    assert all(went[f"P2-1-{n}"] == "no_successor" for n in (2, 3, 4, 5, 6, 7))
    # and the summary a planner reads names no direction 「-」 or 「なし」
    capsys.readouterr()
    assert main(["corpus", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "P3-1-2" not in summary and "（廃止）（6行目）" not in summary


def test_a_decision_of_its_own_is_kept_over_a_next_cell_saying_ended(tmp_path):
    mapping = MAPPING.replace('next = "次期計画の方向性"', 'next = "次期計画の方向性"\ndecision = "今後"')
    source = write_csv(tmp_path / "plan.csv", [
        HEADER + ["今後"],
        ["基本目標1 見守りのまち", "見守り活動の推進", "続けた。", "終了", "縮小"],
        ["", "サロン活動の支援", "増えた。", "休止（令和5年度から）", ""],
        ["", "相談窓口の設置", "設けた。", "窓口の充実", ""]])
    corpus = import_table(source, mapping=tomllib.loads(mapping))
    assert (corpus.direction("P2-1-1").decision.label, corpus.direction("P2-1-1").decision.class_) == (
        "縮小", "reduce")
    assert corpus.direction("P2-1-2").decision.class_ == "end"  # a note in brackets is set aside
    assert [d.title for d in corpus.plan("P3").directions()] == ["窓口の充実"]
    assert [w.message for w in corpus.warnings if w.line == 2] == [
        "次期計画の方向性の欄「終了」は後継なしとして扱い、方向性もつながりも作りませんでした"
        "（P2-1-1には今後の方向性「縮小」があるため、そちらを残しました）"]


def test_a_merged_next_cell_saying_ended_covers_the_rows_below_it():
    rows = [Row(line=2, goal="基本目標1 見守り", direction="見守り活動の推進", evaluation="続けた。", next="廃止"),
            Row(line=3, direction="サロン活動の支援", evaluation="増えた。"),
            Row(line=4, direction="相談窓口の設置", evaluation="設けた。", next="（1）窓口の充実")]
    info = PlanInfo(title="第2次計画", generation=2, next_generation=3, next_title="第3次計画")
    corpus = build_corpus(rows, info, name="t", file="t.txt")  # next carried (merged cells)
    assert [d.decision and d.decision.class_ for d in corpus.plan("P2").directions()] == ["end", "end", None]
    assert [(link.source, link.target) for link in corpus.links] == [("P2-1-3", "P3-1-1")]
    assert [w.line for w in corpus.warnings] == [2]


# -- 2. several numbered directions in one next cell --------------------------------------------

def test_several_numbered_directions_written_inline_are_split(tmp_path):
    corpus, _ = imported(tmp_path, [
        ["基本目標1 見守りのまち", "見守り活動の推進", "続けた。", "（1）見守りの推進（2）居場所づくり"],
        ["", "サロン活動の支援", "増えた。", "(3)多様な担い手の育成 (4)ボランティアの推進（5）福祉教育"],
        ["基本目標2 安心のまち", "相談窓口の設置", "設けた。", "（1）計画（3）の推進"],
    ])
    assert [(d.id, d.number, d.title) for d in corpus.plan("P3").directions()] == [
        ("P3-1-1", 1, "見守りの推進"), ("P3-1-2", 2, "居場所づくり"), ("P3-1-3", 3, "多様な担い手の育成"),
        ("P3-1-4", 4, "ボランティアの推進"), ("P3-1-5", 5, "福祉教育"),
        # numbers that do not count up are no list: one direction, as written
        ("P3-2-1", 1, "計画（3）の推進")]
    assert [(link.source, link.target) for link in corpus.links] == [
        ("P2-1-1", "P3-1-1"), ("P2-1-1", "P3-1-2"), ("P2-1-2", "P3-1-3"), ("P2-1-2", "P3-1-4"),
        ("P2-1-2", "P3-1-5"), ("P2-2-1", "P3-2-1")]
    assert corpus.warnings == []


def test_inline_numbering_keeps_each_directions_description():
    cell = pt.parse_direction_cell("（1）見守りの推進（2）居場所づくり 見守りを進める。 居場所を増やす。")
    assert [(h.number, h.title, h.text) for h in cell.headings] == [
        (1, "見守りの推進", "見守りを進める。"), (2, "居場所づくり", "居場所を増やす。")]


# -- 3. totals rows ---------------------------------------------------------------------------

def test_totals_rows_are_skipped_with_a_warning(tmp_path, capsys):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "評価"
    sheet.append(HEADER)
    sheet.append(["基本目標1 見守りのまち", "見守り活動の推進", "続けた。", "（1）見守り体制の強化"])
    sheet.append([None, "合計特殊出生率の向上", "上がった。", "（2）子育て支援"])
    sheet.append(["小計", "施策の方向 2件", None, None])
    sheet.append(["基本目標2 安心のまち", "相談窓口の設置", "設けた。", "（1）相談支援の充実"])
    sheet.append([None, "計", "=COUNTA(C2:C5)", None])
    sheet.append(["合　計", "施策の方向 3件", None, None])
    sheet.merge_cells("A2:A3")
    source = tmp_path / "plan.xlsx"
    workbook.save(source)
    (tmp_path / "plan.mapping.toml").write_text(MAPPING, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    corpus = read_corpus(tmp_path / "out")
    assert [(d.id, d.title) for d in corpus.plan("P2").directions()] == [
        ("P2-1-1", "見守り活動の推進"), ("P2-1-2", "合計特殊出生率の向上"), ("P2-2-1", "相談窓口の設置")]
    assert [g.title for g in corpus.plan("P2").goals] == ["見守りのまち", "安心のまち"]
    assert [(s["line"], s["reason"], s["text"]) for s in corpus.skipped if s["line"] > 1] == [
        (4, "合計の行（基本目標「小計」）", "小計\t施策の方向 2件"),
        (6, "合計の行（施策の方向「計」）", "計"),
        (7, "合計の行（基本目標「合　計」）", "合　計\t施策の方向 3件")]
    totals = [(w.file, w.line, w.field) for w in corpus.warnings if "合計の行" in w.message]
    assert totals == [("plan.xlsx", 4, "基本目標"), ("plan.xlsx", 6, "施策の方向"), ("plan.xlsx", 7, "基本目標")]
    assert [w.message for w in corpus.warnings if w.line == 4] == [
        "基本目標の欄が「小計」の行は合計の行として読み込みませんでした（skipped.csv に残しました: 小計 / 施策の方向 2件）"]


def test_the_totals_words_are_an_editable_file(tmp_path):
    words = tmp_path / "words.toml"
    words.write_text('[rows]\ntotals = ["集計"]\n', encoding="utf-8")
    vocabulary = pt.load_table_words(words)
    assert vocabulary.totals == frozenset({"集計"}) and vocabulary.no_successor == frozenset()
    rows = [Row(line=2, goal="基本目標1 見守り", direction="見守り活動の推進"),
            Row(line=3, goal="集 計", direction="1件"), Row(line=4, goal="合計", direction="2件")]
    info = PlanInfo(title="第2次計画", generation=2, next_generation=3, next_title="第3次計画")
    corpus = build_corpus(rows, info, name="t", file="t.csv", words=vocabulary)
    assert [g.title for g in corpus.plan("P2").goals] == ["見守り", "合計"]  # 合計 is no longer listed
    assert [s["line"] for s in corpus.skipped] == [3]
    words.write_text('[rows]\ntotal = ["合計"]\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        pt.load_table_words(words)
    assert (caught.value.file, caught.value.field, caught.value.line) == (str(words), "rows.total", 2)


# -- 4. numbered titles of the evaluated plan ---------------------------------------------------

def test_numbered_titles_of_the_evaluated_plan_lose_their_number_as_the_next_plans_do(tmp_path, capsys):
    corpus, out = imported(tmp_path, [
        ["基本目標1 見守りのまち", "(1) 小地域福祉活動の推進", "地区懇談会を開いた。担い手が不足している。",
         "（1）小地域福祉活動の推進"],
        ["", "（２）見守り活動の充実", "見守り訪問を行った。", "（2）見守り体制の強化"],
        ["", "(4)ボランティアの育成", "講座を開いた。", "（3）多様な担い手の育成"],
        ["", "（1）", "番号だけの行。", "（4）福祉教育"],
    ])
    assert [(d.id, d.number, d.title) for d in corpus.plan("P2").directions()] == [
        ("P2-1-1", 1, "小地域福祉活動の推進"), ("P2-1-2", 2, "見守り活動の充実"),
        ("P2-1-3", 3, "ボランティアの育成"), ("P2-1-4", 4, "（1）")]
    assert [(w.line, w.field, w.message) for w in corpus.warnings] == [
        (4, "施策の方向", "施策の方向「(4)ボランティアの育成」の番号（4）が基本目標1の中の順番（3番目）と異なります。"
                         "番号は順番の3とし、題名「ボランティアの育成」から番号を除きました"),
        (5, "施策の方向", "施策の方向の欄「（1）」には番号しかありません。書かれているとおり題名として読み込みました")]
    assert directions(capsys, out)["P2-1-1"] == "same_title"


def test_directions_without_a_goal_share_one_goal_0_and_the_written_corpus_reads_back(tmp_path):
    # evaluation sheets without a 施策 / 担当課 label: each unit went to a new goal 0 as P1-0-1,
    # and the corpus import wrote could not be read (duplicate direction id)
    from analysis.corpus import Corpus
    from analysis.corpus_io import write_corpus

    info = PlanInfo(title="令和5年度 事務事業評価", generation=1, next_generation=2, next_title="")
    rows = [Row(line=n, direction=title, evaluation="実施した。") for n, title in
            ((2, "見守り訪問事業"), (3, "配食サービス事業"), (4, "サロン支援事業"))]
    # as the sheet importer calls it: nothing carried from one sheet to the next
    corpus = build_corpus(rows, info, name="sheets", file="sheets.pdf", carry=(), corpus=Corpus(name="sheets"))
    ids = [d.id for d in corpus.directions()]
    assert ids == ["P1-0-1", "P1-0-2", "P1-0-3"]
    write_corpus(corpus, tmp_path / "out")
    assert [d.id for d in read_corpus(tmp_path / "out").directions()] == ids


@pytest.mark.parametrize("cell, title", [
    ("1　住民同士のつながりづくり", "住民同士のつながりづくり"), ("2 見守りの推進", "見守りの推進"),
    ("3．地域福祉の推進", "地域福祉の推進"), ("（4）居場所づくり", "居場所づくり"),
    # a number that is part of the title stays
    ("3世代交流の推進", "3世代交流の推進"), ("10 年後の地域づくり", "10 年後の地域づくり"),
    ("2025年に向けた体制づくり", "2025年に向けた体制づくり")])
def test_a_direction_titles_own_number_is_taken_off_however_it_is_written(cell, title):
    from analysis.corpus import Corpus

    info = PlanInfo(title="第2次計画", generation=2, next_generation=3, next_title="")
    corpus = build_corpus([Row(line=2, goal="基本目標1 つながる", direction=cell, evaluation="実施した。")], info,
                          name="c", file="c.csv", corpus=Corpus(name="c"))
    assert [d.title for d in corpus.directions()] == [title]
