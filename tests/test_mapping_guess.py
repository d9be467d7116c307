"""What ``keikaku mapping`` guesses and says: a description column (説明, 概要, 内容 …) makes a next
plan's table a next plan; the comments planners read are Japanese; a flat project list (no goal
or level column) gets a placeholder with the exact lines that make it importable."""

from __future__ import annotations

import re
import tomllib

from analysis.cli import main
from analysis.corpus_io import read_corpus
from analysis.errors import EXIT_INPUT
from analysis.importers.mapping import guess_role

from workbook_shapes import evaluation_workbook, write_csv

NEXT_PLAN = [["基本目標", "施策の方向", "説明"],
             ["基本目標1 支え合うまち", "（1）見守り・支え合いの推進", "地域の見守り活動を支える担い手を育成する。"],
             ["", "（2）多世代の居場所づくり", "子どもから高齢者まで集える居場所を増やす。"],
             ["基本目標2 安心して暮らせるまち", "（1）包括的な相談支援体制の構築", "断らない相談支援を進める。"]]
FLAT = [["事務事業名", "課題", "今後の方向性"],
        ["見守り訪問事業", "担い手が不足している。", "１ 現状維持"],
        ["配食サービス事業", "利用者が減少している。", "２ 改革改善"],
        ["市民講座事業", "参加者が固定している。", "３ 終了・廃止・休止"]]


def guessed(capsys, source) -> str:
    capsys.readouterr()
    assert main(["mapping", str(source)]) == 0
    return capsys.readouterr().out


def test_description_headers_are_guessed_as_description():
    headers = {"説明": "description", "施策の説明": "description", "取組の説明": "description",
               "概要": "description", "事務事業の概要": "description", "内容": "description",
               "事業内容": "description",
               # and what must stay as it was
               "評価内容": "text", "取組内容": "initiatives", "次期計画の説明": "next_description",
               "施策名": "level", "課題": "text"}
    assert {h: guess_role(h) for h in headers} == headers


def test_a_next_plan_table_with_a_description_column_imports_as_a_next_plan(tmp_path, capsys):
    source = write_csv(tmp_path / "next.csv", NEXT_PLAN)
    out = guessed(capsys, source)
    assert tomllib.loads(out)["columns"] == {"goal": "基本目標", "direction": "施策の方向", "description": "説明"}
    source.with_name("next.mapping.toml").write_text(out, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    assert [p.role for p in corpus.plans] == ["next"]
    units = list(corpus.directions())
    assert [d.text for d in units] == [r[2] for r in NEXT_PLAN[1:]]
    assert not any(d.attributes for d in units) and not any(d.evaluation for d in units)


def _comments(out: str) -> list[str]:
    """The comment lines of the guessed TOML (after the header listing)."""
    toml = out[out.index("# keikaku "):]
    return [line for line in toml.splitlines() if line.lstrip().startswith("#")]


# ASCII words a Japanese comment may hold: the interface (command, TOML keys, role names).
INTERFACE = {"keikaku", "import", "mapping", "toml", "level", "text", "rating", "rating_reason",
             "attribute", "goal", "direction", "unit", "description", "evaluation", "decision"}


def test_the_mapping_comments_are_japanese(tmp_path, capsys):
    workbook = evaluation_workbook(tmp_path / "hyoka.xlsx")
    out = guessed(capsys, workbook)
    comments = _comments(out)
    assert comments[0].startswith("# keikaku の列の対応（mapping）の案: hyoka.xlsx のシート「評価」、見出し行 2行目")
    assert any("「見出し#n」" in c for c in comments) and any("「N列目」" in c for c in comments)
    assert "# 繰り返される見出し: 事業費 ×2、指標 ×2、理由 ×2" in comments
    twice = write_csv(tmp_path / "twice.csv", [["基本目標", "施策の方向", "基本目標（旧）", "評価"],
                                               ["基本目標1 a", "b", "c", "d"]])
    both = _comments(guessed(capsys, twice))
    assert "# 「基本目標（旧）」も goal の列に見えますが、goal に書ける列は一つなので、属性（attribute）として残します" in both
    for line in comments + both:
        prose = line.split("keikaku import")[0].replace("hyoka.xlsx", "").replace("twice.csv", "")
        words = set(re.findall(r"[A-Za-z_]{3,}", prose)) - INTERFACE
        assert not words, line


def test_a_flat_project_list_is_told_exactly_what_to_add(tmp_path, capsys):
    source = write_csv(tmp_path / "jigyo.csv", FLAT)
    out = guessed(capsys, source)
    columns = tomllib.loads(out)["columns"]
    assert columns["goal"] == "?" and columns["unit"] == "事務事業名"
    assert "# 取り込むには goal か level が必要で、「?」のままでは取り込めません。下の goal = \"?\" の行を" in out
    # as guessed: one clear error naming the placeholder, no traceback
    guess = tmp_path / "jigyo.mapping.toml"
    guess.write_text(out, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "jigyo.csv:1" in err and "「?」 (goal)" in err and "Traceback" not in err
    # as the comment says: add a column with a header, write goal = "that header"
    assert "# かまいません）を入れ、goal = \"その見出し\" と書きます。" in out
    write_csv(source, [["施策"] + FLAT[0]] + [["地域福祉の推進"] + row for row in FLAT[1:]])
    guess.write_text(out.replace('goal = "?"', 'goal = "施策"'), encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    assert [d.title for d in corpus.directions()] == [r[0] for r in FLAT[1:]]


def test_a_flat_project_list_with_a_department_is_offered_the_level_line(tmp_path, capsys):
    source = write_csv(tmp_path / "jigyo.csv", [FLAT[0] + ["担当課"]]
                       + [row + [dept] for row, dept in zip(FLAT[1:], ["福祉課", "福祉課", "生涯学習課"])])
    out = guessed(capsys, source)
    offered = re.search(r'^#   (level = \["担当課"\])   （担当課ごとにまとめるとき）$', out, re.M)
    assert offered
    (tmp_path / "jigyo.mapping.toml").write_text(out.replace('goal = "?"', offered.group(1)), encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0
    corpus = read_corpus(tmp_path / "c")
    assert [g.title for g in corpus.plans[0].goals] == ["福祉課", "生涯学習課"]
    assert [len(g.directions) for g in corpus.plans[0].goals] == [2, 1]


def test_a_group_naming_the_next_plan_makes_its_columns_the_next_plans_and_the_guess_imports(tmp_path, capsys):
    # 施策の方向 of the evaluated plan beside 次期計画（第4次） over 施策の方向: the guess maps the group's
    # column as next, the whole header 施策の方向 names its own column (not ambiguous), and it imports
    source = write_csv(tmp_path / "prog.csv", [
        ["基本目標", "施策の方向", "取組の評価", "", "次期計画（第4次）", ""],
        ["", "", "評価区分", "課題", "施策の方向", "説明"],
        ["基本目標1 つながる", "見守りの推進", "A", "担い手が不足している。", "見守り体制の強化", "担い手を育てる。"],
        ["", "サロンの支援", "B", "参加者が固定している。", "居場所づくり", "居場所を増やす。"]])
    mapping = tomllib.loads(guessed(capsys, source))["columns"]
    assert (mapping["direction"], mapping["next"], mapping["next_description"]) == (
        "施策の方向", "次期計画（第4次）/施策の方向", "次期計画（第4次）/説明")
    assert mapping["rating"] == ["取組の評価/評価区分"] and mapping["evaluation"] == "取組の評価/課題"
    (tmp_path / "prog.mapping.toml").write_text(guessed(capsys, source), encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "c")]) == 0, capsys.readouterr().err
    corpus = read_corpus(tmp_path / "c")
    assert [d.title for d in corpus.plans[1].directions()] == ["見守り体制の強化", "居場所づくり"]
    assert len(corpus.links) == 2


def test_a_societys_activity_plan_headers_are_guessed():
    assert [guess_role(h) for h in ("推進項目", "取組", "主な取り組み", "評価区分", "判定")] == [
        "direction", "initiatives", "initiatives", "rating", "rating"]
