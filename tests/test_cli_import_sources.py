"""``keikaku mapping``, ``keikaku import A B … -o DIR`` and the options of issue 11, as a planner
runs them: a guessed mapping, several sources in one corpus, ``--mapping`` with ``--column``."""

from __future__ import annotations

import json
import tomllib

import pytest

from analysis.cli import main
from analysis.corpus_io import read_corpus
from analysis.errors import EXIT_INPUT, EXIT_SETTINGS
from analysis.importers import read_mapping

from conftest import ROOT

from workbook_shapes import big_workbook, evaluation_workbook, write_csv

EVALUATED = [["基本目標", "施策の方向", "評価"],
             ["基本目標1 つながるまち", "見守り活動の推進", "見守り訪問を全地区で行った。担い手が不足している。"],
             ["", "サロン活動の支援", "サロンは15か所に増えた。"],
             ["基本目標2 安心のまち", "相談支援体制の充実", "窓口を設置したが周知が不十分であった。"]]
NEXT = [["基本目標", "方向性", "説明"],
        ["基本目標1 つながる", "（1）見守りネットワークの強化", "地区ごとの見守りを強化する。"],
        ["", "（2）居場所づくり", "誰もが集える居場所を増やす。"],
        ["基本目標2 安心", "（1）断らない相談支援", "関係機関と連携して相談を受け止める。"]]
NEXT_MAPPING = """\
[columns]
goal = "基本目標"
direction = "方向性"
description = "説明"

[plan]
title = "第3次みどり町地域福祉計画"
"""


def corpus_json(capsys, path) -> dict:
    capsys.readouterr()
    assert main(["corpus", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_mapping_prints_headers_and_a_usable_guess(tmp_path, capsys):
    workbook = evaluation_workbook(tmp_path / "評価.xlsx")
    assert main(["mapping", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "シート「評価」、見出し行 2行目、17列" in out
    assert "事業費 ×2、指標 ×2、理由 ×2" in out
    assert "#   5列目 事務事業の概要（元の見出し: '事務事業\\nの概要'）" in out
    guess = tmp_path / "guess.toml"
    guess.write_text(out, encoding="utf-8")
    assert main(["import", str(workbook), "--mapping", str(guess), "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    first = corpus.direction("P1-1-1")
    assert first.title == "見守り訪問事業"
    assert [x.label for x in first.levels] == ["政策名", "施策名", "基本事業名"]
    assert [t.label for t in first.texts] == ["担当課", "課長"]
    assert [r.question for r in first.ratings] == ["① 政策体系との整合性", "④ 成果の向上余地"]
    assert first.decision.class_ == "continue" and first.text == "高齢者宅を訪問する。"
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "c")]) == 0
    summary = capsys.readouterr().out
    # by hand from the fixture: 4 of the 6 projects have a 担当課 comment, all 6 a 課長 one
    assert "  評価の文章: 担当課 4件、課長 6件" in summary
    assert "  今後の方向性: 継続・現状維持 3件、改善・改革改善 2件、終了・廃止・休止 1件" in summary
    assert "  評定: 2問（① 政策体系との整合性、④ 成果の向上余地）" in summary
    assert "  政策名「1 健康で安心して暮らせるまち」: 評価の対象 4件" in summary


def test_import_of_a_table_without_a_mapping_says_how_to_get_one(tmp_path, capsys):
    source = write_csv(tmp_path / "t.csv", EVALUATED)
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == EXIT_SETTINGS
    assert "keikaku mapping FILE" in capsys.readouterr().err


def test_mapping_with_header_line_and_column_options_combine(tmp_path, capsys):
    workbook = evaluation_workbook(tmp_path / "評価.xlsx")
    toml = tmp_path / "m.toml"
    toml.write_text('[columns]\nlevel = ["政策名"]\nunit = "事務事業名"\n[table]\nheader_line = 2\n',
                    encoding="utf-8")
    args = ["import", str(workbook), "--mapping", str(toml), "-o", str(tmp_path / "c"),
            "--column", "text=解決すべき課題（担当課）:担当課", "--column", "text=全体総括（課長）:課長",
            "--column", "decision=今後の方向性"]
    assert main(args) == 0
    data = corpus_json(capsys, tmp_path / "c")
    unit = data["plans"][0]["goals"][0]["directions"][0]
    assert unit["texts"] == [{"label": "担当課", "text": "担い手が不足している。"},
                             {"label": "課長", "text": "継続して実施する。"}]
    assert unit["decision"] == {"label": "１ 現状維持", "class": "continue", "header": "今後の方向性"}
    assert unit["attributes"]["担当課"] == "福祉課" and unit["ratings"] == []
    assert data["plans"][0]["period"] == ""


@pytest.mark.parametrize("extra, code, message", [
    (["--column", "evaluation=理由#1", "--column", "evaluation=理由#2"], EXIT_SETTINGS,
     "evaluation takes one column"),
    (["--column", "next=今後の方向性"], EXIT_INPUT, "looks like a decision column"),
    (["--column", "attribute=事業費"], EXIT_INPUT, "事業費#1, 事業費#2"),
])
def test_refusals_are_one_line(tmp_path, capsys, extra, code, message):
    workbook = evaluation_workbook(tmp_path / "評価.xlsx")
    args = ["import", str(workbook), "-o", str(tmp_path / "c"), "--column", "level=政策名",
            "--column", "unit=事務事業名", *extra]
    assert main(args) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "c").exists()


def test_a_next_plan_in_its_own_file_with_a_sibling_mapping(tmp_path, capsys):
    evaluated = write_csv(tmp_path / "第2次計画評価.csv", EVALUATED)
    (tmp_path / "第2次計画評価.mapping.toml").write_text(
        '[columns]\ngoal = "基本目標"\ndirection = "施策の方向"\nevaluation = "評価"\n'
        '[plan]\ntitle = "第2次みどり町地域福祉計画"\n', encoding="utf-8")
    following = write_csv(tmp_path / "next.csv", NEXT)
    (tmp_path / "next.mapping.toml").write_text(NEXT_MAPPING, encoding="utf-8")
    out = tmp_path / "c"
    assert main(["import", str(evaluated), str(following), "-o", str(out)]) == 0
    corpus = read_corpus(out)
    assert [(p.id, p.role, p.title) for p in corpus.plans] == [
        ("P2", "evaluated", "第2次みどり町地域福祉計画"), ("P3", "next", "第3次みどり町地域福祉計画")]
    assert corpus.links == []  # linked by content only, in the analyses: no stated link invented
    assert corpus.direction("P3-1-1").title == "見守りネットワークの強化"
    assert corpus.direction("P3-1-1").text == "地区ごとの見守りを強化する。"
    assert corpus.direction("P3-2-1").goal_number == 2
    assert sorted(p.name for p in (out / "source").iterdir()) == ["next.csv", "第2次計画評価.csv"]
    assert [s["file"] for s in corpus.sources] == ["第2次計画評価.csv", "next.csv"]


def test_three_generations_chain_in_one_corpus(tmp_path, capsys):
    sources = []
    for generation in (1, 2, 3):
        rows = [EVALUATED[0]] + [[g, f"{d}（第{generation}期）", e] for g, d, e in EVALUATED[1:]]
        sources.append(str(write_csv(tmp_path / f"gen{generation}.csv", rows)))
    columns = ["--column", "goal=基本目標", "--column", "direction=施策の方向", "--column", "evaluation=評価"]
    assert main(["import", *sources, *columns, "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    assert [(p.id, p.generation) for p in corpus.plans] == [("P1", 1), ("P2", 2), ("P3", 3)]
    assert corpus.direction("P3-1-2").title == "サロン活動の支援（第3期）"
    assert corpus.links == []
    assert main(["corpus", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().out.count("■ ") == 3
    # imported again without options: the mappings its manifest records are used
    before = {p.name: p.read_bytes() for p in (tmp_path / "c").iterdir() if p.is_file()}
    assert main(["import", *sources, "-o", str(tmp_path / "c")]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "c").iterdir() if p.is_file()} == before


def test_two_sources_of_one_generation_are_refused(tmp_path, capsys):
    a = write_csv(tmp_path / "a.csv", EVALUATED)
    b = write_csv(tmp_path / "b.csv", EVALUATED)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\ngoal = "基本目標"\ndirection = "施策の方向"\n[plan]\ngeneration = 2\n',
                       encoding="utf-8")
    assert main(["import", str(a), str(b), "--mapping", str(mapping), "-o", str(tmp_path / "c")]) == EXIT_INPUT
    assert "plan P2 (generation 2) comes from both a.csv and b.csv" in capsys.readouterr().err


def test_the_summary_of_a_big_workbook_is_short(tmp_path, capsys):
    workbook = big_workbook(tmp_path / "big.xlsx", rows=120, columns=80)
    args = ["import", str(workbook), "-o", str(tmp_path / "c"), "--column", "level=政策名",
            "--column", "level=施策名", "--column", "unit=事務事業名", "--column", "decision=今後の方向性"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    warnings = read_corpus(tmp_path / "c").warnings
    # 80 columns: 2 levels, the unit and the decision mapped, the rest kept as attributes
    assert len(warnings) == 76 and f"警告: {len(warnings)}件" in out
    assert "  対応づけのない列76列（基本事業名、事務事業の概要、担当課、事業費#1、指標#1ほか）の値は、各行の属性として" in out
    assert sum(1 for line in out.splitlines() if line.startswith("  対応づけのない列")) == 1
    assert len(out.splitlines()) < 400


def test_the_summary_lists_other_warnings_first_and_cuts_them(tmp_path, capsys):
    rows = [["施策", "事業名", "今後の方向性", "備考", "メモ"]]
    rows += [["健康", f"事業{i}", "検討中", "b", "m"] for i in range(25)]
    source = write_csv(tmp_path / "t.csv", rows)
    assert main(["import", str(source), "-o", str(tmp_path / "c"), "--column", "level=施策",
                 "--column", "unit=事業名", "--column", "decision=今後の方向性"]) == 0
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "  対応づけのない列2列（備考、メモ）の値は、各行の属性として読み込みました" in out
    assert sum(1 for line in out.splitlines() if "検討中" in line) == 20  # 25 unknown decisions, 20 shown
    assert "  ほか5件（warnings.csv、keikaku corpus --json）" in out


def test_mapping_of_a_csv_finds_the_header_below_a_filler_row(tmp_path, capsys):
    source = write_csv(tmp_path / "t.csv", [["調整用"], ["施策名", "事業名", "今後の方向性", "事業費", "事業費"],
                                            ["健康", "講座", "１ 現状維持", "1", "2"]])
    assert main(["mapping", str(source)]) == 0
    out = capsys.readouterr().out
    assert "# t.csv: 見出し行 2行目、5列" in out and "事業費 ×2" in out
    assert 'unit = "事業名"' in out and 'decision = "今後の方向性"' in out and "header_line = 2" in out


def test_mapping_of_the_example_plan_table_guesses_its_mapping(capsys):
    example = ROOT / "corpus" / "examples"
    assert main(["mapping", str(example / "plan.csv")]) == 0
    out = capsys.readouterr().out
    guessed = read_mapping(tomllib.loads(out))["columns"]
    assert guessed == read_mapping(example / "mapping.toml")["columns"]


def test_mapping_and_import_of_a_named_sheet(tmp_path, capsys):
    from openpyxl import load_workbook

    workbook = evaluation_workbook(tmp_path / "評価.xlsx")
    book = load_workbook(workbook)
    cover = book.create_sheet("表紙", 0)
    cover["A1"] = "令和5年度 事務事業評価"
    book.save(workbook)
    assert main(["mapping", str(workbook), "--sheet", "評価"]) == 0
    out = capsys.readouterr().out
    assert "シート「評価」、見出し行 2行目" in out and 'sheet = "評価"' in out
    guess = tmp_path / "g.toml"
    guess.write_text(out, encoding="utf-8")
    assert main(["import", str(workbook), "--mapping", str(guess), "-o", str(tmp_path / "c")]) == 0
    assert len(list(read_corpus(tmp_path / "c").directions())) == 6
    assert main(["mapping", str(workbook), "--sheet", "集計"]) == EXIT_INPUT
    assert "no sheet named '集計'" in capsys.readouterr().err


def test_a_chain_of_tables_each_naming_its_next_plan_imports_as_one_chain_with_its_links(tmp_path, capsys):
    # 第1次 and 第2次 each evaluated with a 次期計画の方向性 column, then 第3次 on its own: the next
    # plan a column names is the plan the next source gives; its links go to that plan's directions
    header = ["基本目標", "施策の方向", "評価", "次期計画の方向性"]
    write_csv(tmp_path / "g1.csv", [header, ["基本目標1 つながる", "見守り活動の推進", "見守りを行った。", "（1）見守り体制の充実"],
                                    ["", "サロンの支援", "サロンが増えた。", "（2）居場所づくり"]])
    write_csv(tmp_path / "g2.csv", [header, ["基本目標1 つながる", "見守り体制の充実", "協定を結んだ。", "（1）見守りの推進"],
                                    ["", "居場所づくり", "担い手が不足している。", "（2）防災と福祉"]])
    write_csv(tmp_path / "g3.csv", [["基本目標", "施策の方向", "説明"], ["基本目標1 支える", "見守りの推進", "担い手を育成する。"],
                                    ["", "多世代の居場所", "居場所を増やす。"]])
    plan = '[columns]\ngoal = "基本目標"\ndirection = "施策の方向"\n'
    for n in (1, 2):
        (tmp_path / f"g{n}.mapping.toml").write_text(plan + 'evaluation = "評価"\nnext = "次期計画の方向性"\n'
                                                   f'[plan]\ntitle = "第{n}次ふじ市地域福祉計画"\n', encoding="utf-8")
    (tmp_path / "g3.mapping.toml").write_text(plan + 'description = "説明"\n[plan]\ntitle = "第3次ふじ市地域福祉計画"\n'
                                              'role = "next"\n', encoding="utf-8")
    out = tmp_path / "c"
    assert main(["import", *(str(tmp_path / f"g{n}.csv") for n in (1, 2, 3)), "-o", str(out)]) == 0, \
        capsys.readouterr().err
    corpus = read_corpus(out)
    assert [(p.id, p.role) for p in corpus.plans] == [("P1", "evaluated"), ("P2", "evaluated"), ("P3", "next")]
    title = {d.id: d.title for d in corpus.directions()}
    assert sorted((title[k.source], title[k.target]) for k in corpus.links) == sorted([
        ("サロンの支援", "居場所づくり"), ("見守り活動の推進", "見守り体制の充実"), ("見守り体制の充実", "見守りの推進")])
    # 「防災と福祉」 is no direction of the 第3次 plan: no link to a direction that is not there, said once
    [said] = [w for w in corpus.warnings if "防災と福祉" in w.message]
    assert said.file == "g2.csv" and "g3.csv" in said.message


def test_the_summary_says_whose_row_was_skipped_when_there_are_several_sources(tmp_path, capsys):
    a = write_csv(tmp_path / "a.csv", EVALUATED)
    b = write_csv(tmp_path / "b.csv", EVALUATED)
    for source, generation in ((a, 1), (b, 2)):
        source.with_name(source.stem + ".mapping.toml").write_text(
            f'[columns]\ngoal = "基本目標"\ndirection = "施策の方向"\n[plan]\ngeneration = {generation}\n',
            encoding="utf-8")
    assert main(["import", str(a), str(b), "-o", str(tmp_path / "c")]) == 0
    capsys.readouterr()
    assert main(["corpus", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "  a.csv 1行目 見出し行" in out and "  b.csv 1行目 見出し行" in out
