"""What units hold beyond titles (levels, labelled texts, decisions, ratings, periods,
attributes) through the corpus folder and the corpus JSON, and older folders without them."""

from __future__ import annotations

import json

import pytest

from analysis.corpus import (Corpus, Decision, Direction, EvaluationText, Goal, Level, Plan, Rating)
from analysis.corpus_io import bundled_corpus_path, load_corpus, read_corpus, write_corpus
from analysis.errors import InputError
from analysis.importers import import_table

from workbook_shapes import write_csv


def unit_corpus() -> Corpus:
    d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り訪問事業",
                  levels=[Level("政策名", "健康"), Level("施策名", "地域福祉")],
                  texts=[EvaluationText("担当課", "担い手が不足している。"), EvaluationText("課長", "継続する。")],
                  decision=Decision("１ 現状維持", "continue", "今後の方向性"),
                  ratings=[Rating("① 整合性", "結びついている", "計画の柱である。"), Rating("④ 余地", "B")],
                  period="令和5年度", attributes={"担当課": "福祉課", "事業費#2": "=1+1"},
                  source_file="t.xlsx", source_lines=[3])
    plain = Direction(id="P1-1-2", plan_id="P1", goal_number=1, number=2, title="配食", source_lines=[4])
    goal = Goal(plan_id="P1", number=1, title="健康", directions=[d, plain])
    return Corpus(name="t", plans=[Plan(id="P1", generation=1, title="評価", period="令和5年度", goals=[goal])])


def test_folder_round_trip_keeps_everything(tmp_path):
    corpus = unit_corpus()
    write_corpus(corpus, tmp_path / "c")
    assert read_corpus(tmp_path / "c") == corpus
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert {"texts.csv", "ratings.csv", "attributes.csv", "levels.csv", "decisions.csv",
            "periods.csv"} <= set(manifest["tables"])
    # a cell that looks like a formula is text in the CSV, and read back as written
    assert read_corpus(tmp_path / "c").direction("P1-1-1").attributes["事業費#2"] == "=1+1"


def test_json_round_trip_and_keys(tmp_path):
    corpus = unit_corpus()
    data = corpus.to_dict()
    unit = data["plans"][0]["goals"][0]["directions"][0]
    assert unit["texts"] == [{"label": "担当課", "text": "担い手が不足している。"}, {"label": "課長", "text": "継続する。"}]
    assert unit["decision"] == {"label": "１ 現状維持", "class": "continue", "header": "今後の方向性"}
    assert unit["ratings"][1] == {"question": "④ 余地", "value": "B", "reason": ""}
    assert unit["attributes"] == {"担当課": "福祉課", "事業費#2": "=1+1"} and unit["period"] == "令和5年度"
    assert data["plans"][0]["goals"][0]["directions"][1]["decision"] is None
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_corpus(path) == corpus


@pytest.mark.parametrize("edit, field", [
    (lambda u: u.update(attributes={"担当課": 3}), "attributes['担当課']"),
    (lambda u: u.update(texts=[{"label": "課長", "text": None}]), "texts[0].text"),
    (lambda u: u.update(decision={"label": 1}), "decision.label"),
    (lambda u: u.update(period=2023), "period"),
    (lambda u: u.update(decision={"label": "継続", "class": "keep"}), "decision.class"),
])
def test_a_hand_edited_json_with_wrong_types_is_refused_naming_the_field(tmp_path, edit, field):
    data = unit_corpus().to_dict()
    edit(data["plans"][0]["goals"][0]["directions"][0])
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_corpus(path)
    assert info.value.field.endswith(field)


def test_a_row_of_an_optional_table_naming_an_unknown_unit_is_an_error(tmp_path):
    write_corpus(unit_corpus(), tmp_path / "c")
    texts = tmp_path / "c" / "texts.csv"
    texts.write_bytes(texts.read_bytes() + "P9-1-1,1,課長,どこにもない\r\n".encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_corpus(tmp_path / "c")
    assert (info.value.line, info.value.field) == (4, "direction") and "texts.csv" in info.value.file


def test_an_older_folder_without_the_optional_tables_reads():
    folder = bundled_corpus_path()
    assert not (folder / "texts.csv").exists()
    corpus = read_corpus(folder)
    assert all(d.texts == [] and d.decision is None and d.attributes == {} for d in corpus.directions())


def test_a_source_table_with_a_sibling_mapping_loads_on_the_fly(tmp_path):
    source = write_csv(tmp_path / "next.csv", [["基本目標", "方向性", "説明"], ["目標1", "（1）見守り", "見守る。"]])
    (tmp_path / "next.mapping.toml").write_text(
        '[columns]\ngoal = "基本目標"\ndirection = "方向性"\ndescription = "説明"\n', encoding="utf-8")
    corpus = load_corpus(source)
    assert [(p.role, d.title, d.number, d.text) for p in corpus.plans for d in p.directions()] == [
        ("next", "見守り", 1, "見守る。")]


def test_several_periods_in_one_table_are_kept_per_unit_with_a_warning(tmp_path):
    # one row without its year keeps the table one plan (every row naming one makes a plan per
    # year: tests/test_importer_table.py); each unit keeps its own period
    source = write_csv(tmp_path / "t.csv", [["施策", "事業名", "年度"], ["健康", "講座", "令和4年度"],
                                            ["", "訪問", "令和5年度"], ["", "相談", ""]])
    corpus = import_table(source, mapping={"columns": {"level": ["施策"], "unit": "事業名", "period": "年度"}})
    assert [d.period for d in corpus.directions()] == ["令和4年度", "令和5年度", ""]
    assert corpus.plans[0].period == ""
    assert [(w.line, w.field) for w in corpus.warnings] == [(1, "年度")]
    one = write_csv(tmp_path / "one.csv", [["施策", "事業名", "年度"], ["健康", "講座", "令和5年度"]])
    single = import_table(one, mapping={"columns": {"level": ["施策"], "unit": "事業名", "period": "年度"}})
    assert single.plans[0].period == "令和5年度" and single.warnings == []


def test_a_decision_class_edited_to_something_unknown_is_an_error(tmp_path):
    write_corpus(unit_corpus(), tmp_path / "c")
    table = tmp_path / "c" / "decisions.csv"
    table.write_bytes(table.read_bytes().replace(b",continue", b",keep"))
    with pytest.raises(InputError) as info:
        read_corpus(tmp_path / "c")
    assert (info.value.line, info.value.field) == (2, "class") and "'keep'" in str(info.value)
