"""Import of real evaluation workbooks (issue 11): filler rows, two-line and repeated headers,
hierarchy levels, labelled texts, ratings, decisions, attributes, and nothing lost."""

from __future__ import annotations

import time

import pytest

from analysis.corpus_io import read_corpus, write_corpus
from analysis.errors import InputError, SettingsError
from analysis.importers import add_columns, import_table, read_mapping
from analysis.importers.decisions import decision_class, load_decisions
from analysis.units import text_units, units_frame

from workbook_shapes import FILLER, HEADER, MAPPING_TOML, PROJECTS, big_workbook, evaluation_workbook, write_csv


@pytest.fixture
def workbook(tmp_path):
    return evaluation_workbook(tmp_path / "評価.xlsx")


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "評価.toml"
    path.write_text(MAPPING_TOML, encoding="utf-8")
    return path


@pytest.fixture
def corpus(workbook, mapping):
    return import_table(workbook, mapping=mapping)


def test_header_row_found_below_a_filler_row_and_rows_are_spreadsheet_rows(corpus):
    assert [(s["line"], s["reason"]) for s in corpus.skipped] == [(1, "見出し行より前の行"),
                                                                  (2, "見出し行（列の名前）")]
    assert FILLER in corpus.skipped[0]["text"]
    units = list(corpus.plan("P1").directions())
    # row 3 of the sheet is the first project, row 8 the last
    assert [(d.title, d.source_lines) for d in units] == [
        (p[3], [row]) for p, row in zip(PROJECTS, range(3, 9))]


def test_one_plan_of_one_period_and_no_fake_directions(corpus):
    assert [(p.id, p.role, p.period) for p in corpus.plans] == [("P1", "evaluated", "令和5年度")]
    assert corpus.links == []


def test_hierarchy_levels_carried_under_merged_cells(corpus):
    levels = {d.title: [(x.label, x.value) for x in d.levels] for d in corpus.directions()}
    assert levels["配食サービス事業"] == [("政策名", "1 健康で安心して暮らせるまち"),
                                        ("施策名", "1-1 地域福祉の推進"), ("基本事業名", "見守り")]
    # 基本事業 is given anew on row 5 under the same 施策
    assert [x.value for x in corpus.direction("P1-1-3").levels] == [
        "1 健康で安心して暮らせるまち", "1-1 地域福祉の推進", "居場所"]
    # the top of the hierarchy groups the units into goals
    assert [(g.title, len(g.directions)) for g in corpus.plan("P1").goals] == [
        ("1 健康で安心して暮らせるまち", 4), ("2 学びのまち", 2)]


def test_several_labelled_texts_ratings_with_reasons_and_decisions(corpus):
    first = corpus.direction("P1-1-1")
    assert [(t.label, t.text) for t in first.texts] == [("担当課", "担い手が不足している。"),
                                                        ("課長", "継続して実施する。")]
    assert [(r.question, r.value, r.reason) for r in first.ratings] == [
        ("① 政策体系との整合性", "結びついている", "計画の柱である。"),
        ("④ 成果の向上余地", "向上余地がある", "訪問回数を増やせる。")]
    assert first.text == "高齢者宅を訪問する。"  # description: the unit's own text
    decisions = [(d.decision.label, d.decision.class_) for d in corpus.directions()]
    assert decisions == [("１ 現状維持", "continue"), ("２ 改革改善（縮小・統合含む）", "improve"),
                         ("１ 現状維持", "continue"), ("３ 終了・廃止・休止", "end"),
                         ("２ 改革改善（縮小・統合含む）", "improve"), ("１ 現状維持", "continue")]
    # an empty comment is no text: the third project has no 担当課 comment
    assert [t.label for t in corpus.direction("P1-1-3").texts] == ["課長"]


def test_unmapped_columns_are_attributes_with_repeated_headers_numbered(corpus):
    center = corpus.direction("P1-1-4")
    assert center.attributes == {"担当課": "福祉課", "事業費#1": "5000", "指標#1": "900", "事業費#2": "0"}
    # one warning per unmapped column with its count, on the header row, never one per cell
    assert [(w.line, w.field) for w in corpus.warnings] == [
        (2, "担当課"), (2, "事業費#1"), (2, "指標#1"), (2, "事業費#2"), (2, "指標#2")]
    assert "値5件" in corpus.warnings[-1].message  # 指標 of R5 is empty for one project


def test_nothing_lost_and_the_corpus_round_trips(corpus, workbook, tmp_path):
    from openpyxl import load_workbook

    recorded: set[str] = set()
    for d in corpus.directions():
        recorded |= {d.title, d.text, *d.attributes.values(), *(x.value for x in d.levels),
                     *(t.text for t in d.texts), d.decision.label if d.decision else ""}
        recorded |= {v for r in d.ratings for v in (r.question, r.value, r.reason)}
    recorded |= {g.raw_label for p in corpus.plans for g in p.goals}
    sheet = load_workbook(workbook, read_only=True).active
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        for value in row:
            if value is None:
                continue
            text = str(value)
            assert text in recorded or any(text in s["text"] for s in corpus.skipped if s["line"] == number), (
                number, text)
    write_corpus(corpus, tmp_path / "out")
    assert read_corpus(tmp_path / "out") == corpus
    assert {"texts.csv", "ratings.csv", "decisions.csv", "levels.csv", "attributes.csv", "periods.csv"} - {
        p.name for p in (tmp_path / "out").iterdir()} == {"periods.csv"}  # no period column here


def test_units_carry_labels_decisions_and_attributes(corpus):
    units = text_units(corpus, fields=("evaluation",))
    first = [(u.id, u.label, u.decision) for u in units if u.direction_id == "P1-1-1"]
    assert first == [("P1-1-1:evaluation:1", "担当課", "continue"), ("P1-1-1:evaluation:2", "課長", "continue"),
                     ("P1-1-1:evaluation:rating1", "① 政策体系との整合性", "continue"),
                     ("P1-1-1:evaluation:rating2", "④ 成果の向上余地", "continue")]
    assert units[0].attribute_map["担当課"] == "福祉課"
    frame = units_frame(corpus)
    by_department = frame[frame["field"] == "evaluation"].groupby("attr:担当課")["unit"].count()
    # by hand: 福祉課 = 見守り (2 texts + 2 reasons) + 配食 (2 + 1) + センター (2 + 1);
    # 社協 = サロン (1 + 2); 生涯学習課 = 講座 (2 + 1) + 図書館 (1 + 0)
    assert by_department.to_dict() == {"生涯学習課": 4, "社協": 3, "福祉課": 10}


def test_stance_and_themes_read_the_labelled_texts_unchanged(corpus):
    from analysis.stance import evaluation_stances
    from analysis.themes import code_units
    from analysis.tokens import tokenize_units

    tokens = tokenize_units(text_units(corpus))
    stances = evaluation_stances(tokens)
    labelled = {row["unit"] for row in stances}
    assert {"P1-1-1:evaluation:1", "P1-1-1:evaluation:2", "P1-1-1:evaluation:rating1"} <= labelled
    assert "担い手" in {t.surface for sentence in tokens.sentences[tokens.units.index(
        next(u for u in tokens.units if u.id == "P1-1-1:evaluation:1"))] for t in sentence.tokens}
    coded = code_units(tokens)
    assert len(coded) == len(tokens.units)


@pytest.mark.parametrize("columns, message", [
    ({"level": ["政策名"], "unit": "事務事業名", "attribute": ["事業費"]}, "事業費#1, 事業費#2"),
    ({"level": ["政策名"], "unit": "事務事業名", "evaluation": "理由"}, "理由#1, 理由#2"),
])
def test_a_bare_repeated_header_is_an_error_listing_its_names(workbook, columns, message):
    with pytest.raises(InputError) as info:
        import_table(workbook, mapping={"columns": columns})
    assert message in str(info.value) and info.value.line == 2


def test_a_repeated_header_is_addressable_by_its_number(workbook):
    corpus = import_table(workbook, mapping={"columns": {"level": ["政策名"], "unit": "事務事業名",
                                                          "attribute": ["事業費#2"]}})
    assert corpus.direction("P1-1-1").attributes["事業費#2"] == "1300"
    assert "事業費#2" not in {w.field for w in corpus.warnings}  # named on purpose: no warning


def test_a_category_column_mapped_as_next_plan_is_refused(workbook):
    with pytest.raises(InputError) as info:
        import_table(workbook, mapping={"columns": {"level": ["政策名"], "unit": "事務事業名",
                                                     "next": "今後の方向性"}})
    assert "looks like a decision column" in str(info.value) and "decision=今後の方向性" in str(info.value)


def test_a_category_column_as_priority_is_refused_too(workbook):
    with pytest.raises(InputError, match="looks like a decision column"):
        import_table(workbook, mapping={"columns": {"level": ["政策名"], "unit": "事務事業名",
                                                     "priority": "今後の方向性"}})


def test_header_line_still_wins(workbook):
    with pytest.raises(InputError) as info:  # row 1 is the filler: no 事務事業名 there
        import_table(workbook, mapping={"columns": {"level": ["政策名"], "unit": "事務事業名"},
                                        "table": {"header_line": 1}})
    assert info.value.line == 1 and "事務事業名" in str(info.value)


def test_long_header_lists_in_errors_are_cut(tmp_path):
    path = write_csv(tmp_path / "wide.csv", [[f"列{i}" for i in range(300)], ["x"] * 300])
    with pytest.raises(InputError) as info:
        import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向"}})
    assert "ほか288列" in str(info.value) and len(str(info.value)) < 400


@pytest.mark.parametrize("cell, expected", [
    ("１ 現状維持", "continue"), ("（２）改革改善", "improve"), ("３ 終了・廃止・休止", "end"),
    ("拡充", "expand"), ("縮小", "reduce"), ("統合", "merge"), ("休止", "end"),
    ("２ 改革改善（縮小・統合含む）", "improve"), ("継続・拡充", "unknown"), ("検討中", "unknown"),
])
def test_decision_vocabulary(cell, expected):
    assert decision_class(cell, load_decisions()) == expected


def test_unknown_decision_is_kept_with_a_warning(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["施策", "事業名", "今後の方向性"], ["健康", "講座", "検討中"]])
    corpus = import_table(path, mapping={"columns": {"level": ["施策"], "unit": "事業名",
                                                      "decision": "今後の方向性"}})
    d = corpus.direction("P1-1-1")
    assert (d.decision.label, d.decision.class_) == ("検討中", "unknown")
    assert [(w.line, w.field) for w in corpus.warnings] == [(2, "今後の方向性")]
    assert "検討中" in corpus.warnings[0].message


def test_edited_decision_vocabulary(tmp_path):
    words = tmp_path / "d.toml"
    words.write_text('[classes]\ncontinue = ["検討中"]\n', encoding="utf-8")
    assert decision_class("検討中", load_decisions(words)) == "continue"
    words.write_text('[classes]\ncontinue = ["A"]\nend = ["A"]\n', encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_decisions(words)
    assert info.value.line == 3
    words.write_text('[classes]\nstop = ["A"]\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown class 'stop'"):
        load_decisions(words)


def test_csv_locations_are_record_numbers_with_multiline_cells(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["基本目標", "施策の方向", "評価"],
                                          ["目標1", "見守り", "一行目\n二行目\n三行目"],
                                          ["", "サロン", "増えた。"]])
    corpus = import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向",
                                                      "evaluation": "評価"}})
    assert [d.source_lines for d in corpus.directions()] == [[2], [3]]  # physical line 5 is record 3


def test_headers_match_across_line_breaks_and_full_width_spaces(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["基本\n目標", "施策の　方向", "評 価"], ["目標1", "見守り", "進んだ。"]])
    corpus = import_table(path, mapping={"columns": {"goal": "基本目標", "direction": "施策の方向",
                                                      "evaluation": "評価"}})
    assert corpus.direction("P1-1-1").evaluation == "進んだ。"


def test_repeatable_and_single_valued_roles_on_the_command_line():
    base = read_mapping({"columns": {"goal": "基本目標", "direction": "施策の方向"}, "table": {"header_line": 2}})
    combined = read_mapping(add_columns(base, ["text=課題:担当課", "text=総括:課長", "direction=事業名"]))
    assert combined["columns"]["text"] == ["課題:担当課", "総括:課長"]
    assert combined["columns"]["direction"] == "事業名"  # the command line replaces the TOML's
    assert combined["table"] == {"header_line": 2}  # and the rest of the TOML is kept
    with pytest.raises(SettingsError, match="given twice, but evaluation takes one column"):
        add_columns(base, ["evaluation=A", "evaluation=B"])
    with pytest.raises(SettingsError, match="takes one column"):
        read_mapping({"columns": {"goal": "g", "direction": ["a", "b"]}})


def test_a_rating_reason_given_explicitly(workbook):
    corpus = import_table(workbook, mapping={"columns": {
        "level": ["政策名"], "unit": "事務事業名", "rating": ["④ 成果の向上余地"],
        "rating_reason": ["全体総括（課長）"]}})
    rating = corpus.direction("P1-1-1").ratings[0]
    assert (rating.value, rating.reason) == ("向上余地がある", "継続して実施する。")
    # the column after the rating is not its reason now: it stays an attribute
    assert corpus.direction("P1-1-1").attributes["理由#2"] == "訪問回数を増やせる。"


def test_a_big_workbook_imports_quickly_with_one_warning_per_column(tmp_path, mapping, capsys):
    path = big_workbook(tmp_path / "big.xlsx", rows=400, columns=210)
    started = time.perf_counter()
    corpus = import_table(path, mapping=mapping)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n400 rows × 210 columns imported in {seconds:.2f} s")
    assert sum(1 for _ in corpus.directions()) == 400
    unmapped = 210 - 12  # 3 levels, unit, description, 2 texts, 2 ratings + 2 reasons, decision
    assert len(corpus.warnings) == unmapped
    assert len(corpus.direction("P1-1-1").attributes) == unmapped


def test_attribute_cells_read_as_excel_shows_them(tmp_path):
    # a date without a time, a percentage, a TRUE: not 2023-04-01T00:00:00, 0.85, True
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.append(["施策", "事務事業名", "評価", "開始日", "達成率", "重点"])
    ws.append(["地域福祉", "見守り訪問事業", "訪問を行った。", datetime.datetime(2023, 4, 1), 0.85, True])
    ws.append(["地域福祉", "配食サービス事業", "配食を行った。", datetime.datetime(2023, 4, 1, 9, 30), 1.0, False])
    ws["E2"].number_format = "0%"
    ws["E3"].number_format = "0.0%"
    workbook.save(tmp_path / "w.xlsx")
    corpus = import_table(tmp_path / "w.xlsx", mapping={"columns": {"level": ["施策"], "unit": "事務事業名",
                                                                     "evaluation": "評価"}})
    first, second = corpus.directions()
    assert first.attributes == {"開始日": "2023-04-01", "達成率": "85%", "重点": "TRUE"}
    assert second.attributes == {"開始日": "2023-04-01T09:30:00", "達成率": "100%", "重点": "FALSE"}
