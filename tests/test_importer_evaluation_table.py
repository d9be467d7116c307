"""The evaluation-table importer on small invented tables: general behaviour and bad input."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.importers import import_evaluation_table, import_source

HEADER = "【基本理念】\t【基本目標】\t【施策の方向】\t【取組内容】\t【評価】\t【第4期計画の方向性】"
TITLE = "第3期みなと町地域福祉計画（令和3年度～令和7年度）評価シート"


def table(*rows: str, title: str = TITLE, header: str = HEADER) -> str:
    return "\n".join(["", title, "", header, *rows]) + "\n"


ROWS = (
    "ともに生きるまち\t【基本目標一】 つながる地域\t見守りの推進\t1. 訪問 2. 声かけ\t訪問を続けた。\t"
    "【基本目標1 つながる】 (1) 見守り体制の強化（※重点取組1） 見守りを強化する。",
    "\t\tサロンの充実\t1. サロン支援\tサロンが増えた。\t",
    "\t【基本目標2】 安心のまち\t相談窓口の整備\t1. 窓口設置\t窓口を設置した。\t"
    "【基本目標2 安心】 （1）相談支援の充実 （2）権利擁護の推進 相談支援を充実する。 また、窓口を周知する。 "
    "成年後見の利用を促す。",
    "\t\t防災活動\t1. 訓練\t訓練を行った。\t【基本目標1 つながる】※再掲 (1) 見守り体制の強化（※重点取組1） "
    "見守りを強化し、災害時にも備える。",
)


def write(tmp_path, text: str, name: str = "sheet.txt", encoding: str = "utf-8", newline: str = "\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def test_generations_from_kanji_and_digits_and_owner_guess(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(*ROWS)))
    past, future = corpus.plans
    assert (past.title, past.generation, past.period) == ("第3期みなと町地域福祉計画", 3, "令和3年度～令和7年度")
    assert (future.title, future.generation) == ("第4期みなと町地域福祉計画", 4)
    assert past.owner == "みなと町"
    assert [g.number for g in past.goals] == [1, 2]


def test_owner_option_overrides_the_guess(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(*ROWS)), owner="みなと町社会福祉協議会")
    assert {p.owner for p in corpus.plans} == {"みなと町社会福祉協議会"}
    assert corpus.sources[0]["options"] == {"owner": "みなと町社会福祉協議会"}


def test_merged_cells_are_carried_forward(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(*ROWS)))
    salon = corpus.direction("P3-1-2")
    assert (salon.title, salon.goal_number, salon.philosophy_raw) == ("サロンの充実", 1, "ともに生きるまち")
    assert sorted(l.target for l in corpus.links if l.source == salon.id) == ["P4-1-1"]


def test_paragraphs_split_in_order_and_connectives_join(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(*ROWS)))
    assert corpus.direction("P4-2-1").text == "相談支援を充実する。 また、窓口を周知する。"
    assert corpus.direction("P4-2-2").text == "成年後見の利用を促す。"


def test_relisted_with_a_different_text_warns(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(*ROWS)))
    d = corpus.direction("P4-1-1")
    assert (d.priority, d.relisted_lines, d.source_lines) == (1, [8], [5, 8])
    assert d.text == "見守りを強化する。"
    warning = [w for w in corpus.warnings if w.line == 8]
    assert len(warning) == 1 and "見守りを強化し、災害時にも備える。" in warning[0].message


def test_paragraph_counts_that_do_not_match_use_word_overlap_and_warn(tmp_path):
    row = ("理念\t【基本目標1】 目標\t施策\t1. 取組\t評価。\t【基本目標1 ア】 (1) 見守り活動の推進 "
           "(2) 防災訓練の実施 地域の見守り活動を広げる。 防災訓練を毎年行う。 訓練に住民が参加する。")
    corpus = import_evaluation_table(write(tmp_path, table(row)))
    assert corpus.direction("P4-1-1").text == "地域の見守り活動を広げる。"
    assert corpus.direction("P4-1-2").text == "防災訓練を毎年行う。 訓練に住民が参加する。"
    assert [w.line for w in corpus.warnings] == [5]
    assert "語の重なり" in corpus.warnings[0].message


def test_generation_defaults_when_the_title_names_none(tmp_path):
    header = "【基本目標】\t【施策の方向】\t【評価】\t【次期計画の方向性】"
    text = table("【基本目標1】 目標\t施策\t評価した。\t(1) 新しい施策", title="ある町の計画 評価", header=header)
    corpus = import_evaluation_table(write(tmp_path, text))
    assert [p.generation for p in corpus.plans] == [1, 2]
    assert corpus.direction("P2-1-1").title == "新しい施策"


def test_columns_are_found_by_their_labels_in_any_order(tmp_path):
    header = "【施策の方向】\t【評価】\t【基本目標】"
    corpus = import_evaluation_table(write(tmp_path, table("見守り\t進んだ。\t【基本目標1】 目標", header=header)))
    d = corpus.direction("P3-1-1")
    assert (d.title, d.evaluation, d.goal_number) == ("見守り", "進んだ。", 1)
    assert len(corpus.plans) == 1  # no next-plan column, no next plan


@pytest.mark.parametrize("encoding, newline, prefix", [
    ("utf-8", "\n", b""), ("utf-8", "\r\n", b""), ("utf-8", "\n", b"\xef\xbb\xbf"),
    ("cp932", "\r\n", b""), ("utf-16", "\r\n", b""),  # Excel's "Unicode text": UTF-16 with BOM
])
def test_encodings_bom_and_crlf_give_the_same_corpus(tmp_path, encoding, newline, prefix):
    reference = import_evaluation_table(write(tmp_path, table(*ROWS)), name="t")
    (tmp_path / "other").mkdir()
    path = tmp_path / "other" / "sheet.txt"
    path.write_bytes(prefix + table(*ROWS).replace("\n", newline).encode(encoding))
    corpus = import_evaluation_table(path, name="t")
    assert corpus.plans == reference.plans and corpus.links == reference.links
    assert [w.message for w in corpus.warnings] == [w.message for w in reference.warnings]


def test_short_rows_are_padded_with_a_warning(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(ROWS[0], "\t\t短い行\t1. 取組")))
    d = corpus.direction("P3-1-2")
    assert (d.title, d.initiatives, d.evaluation) == ("短い行", ["取組"], "")
    assert [w.line for w in corpus.warnings] == [6] and "4個" in corpus.warnings[0].message


@pytest.mark.parametrize("content, line, expected", [
    (b"", 1, "empty file"),
    (b"\n \n", 1, "empty file"),
    (b"PK\x03\x04\x00\x00binary", 1, "binary file"),
    ("見出しのない行\tです\tね\n".encode(), 1, "header row"),
    (table().encode(), 4, "header-only"),
    (table(ROWS[0] + "\t余分な値").encode(), 5, "at most 6"),
    ("【基本目標】\t【評価】\n目標\t評価\n".encode(), 1, "施策の方向"),
    ("行\n".encode() + b"\x81\x20abc\n", 2, "unknown encoding"),
])
def test_bad_input_is_one_error_naming_file_and_line(tmp_path, content, line, expected):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        import_evaluation_table(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert expected in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_source(tmp_path / "nothing.txt")
    with pytest.raises(InputError, match="directory"):
        import_evaluation_table(tmp_path)


@pytest.mark.parametrize("name, message", [("plan.xls", "save the workbook as .xlsx"),
                                           ("plan.pdf", "not a PDF"),
                                           ("plan.doc", "save the document as .docx"),
                                           ("plan.odt", "cannot tell the format")])
def test_unknown_formats(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(InputError, match=message):
        import_source(path)


def test_a_row_continuing_the_cell_above_is_appended_with_a_warning(tmp_path):
    corpus = import_evaluation_table(write(tmp_path, table(ROWS[0], "\t\t\t3. 見守りカード\t続きの評価。\t")))
    d = corpus.direction("P3-1-1")
    assert d.initiatives == ["訪問", "声かけ", "見守りカード"]
    assert d.evaluation == "訪問を続けた。\n続きの評価。" and d.source_lines == [5, 6]
    assert [w.line for w in corpus.warnings] == [6]


def test_stray_lines_outside_the_table_are_skipped_and_warned(tmp_path):
    text = table(ROWS[0], "（注）詳細は別冊を参照")
    corpus = import_evaluation_table(write(tmp_path, text))
    assert [(s["line"], s["reason"]) for s in corpus.skipped][-1] == (6, "表の外の行")
    assert [w.line for w in corpus.warnings] == [6] and "別冊" in corpus.warnings[0].message


def test_repeated_page_titles_and_headers_are_skipped(tmp_path):
    text = table(ROWS[0]) + "\n" + TITLE + "\n\n" + HEADER + "\n" + ROWS[1] + "\n"
    corpus = import_evaluation_table(write(tmp_path, text))
    assert [s["line"] for s in corpus.skipped] == [2, 4, 7, 9]
    assert corpus.direction("P3-1-2").source_lines == [10]
    assert corpus.warnings == []


def test_variant_characters_are_kept_and_warned(tmp_path):
    row = "理念\t【基本目標1】 目標\t髙齢者の見守り\t1. 訪問\t隨時訪問した。\t"
    corpus = import_evaluation_table(write(tmp_path, table(row)))
    d = corpus.direction("P3-1-1")
    assert (d.title, d.evaluation) == ("髙齢者の見守り", "隨時訪問した。")
    assert [(w.line, w.field) for w in corpus.warnings] == [(5, "施策の方向"), (5, "評価")]


def test_next_generation_must_differ(tmp_path):
    from analysis.errors import SettingsError

    with pytest.raises(SettingsError, match="must differ"):
        import_evaluation_table(write(tmp_path, table(*ROWS)), generation=4)


def _shape(corpus):
    return ([(d.id, d.title, d.initiatives, d.evaluation, d.text, d.priority) for d in corpus.directions()],
            sorted((link.source, link.target, link.relisted) for link in corpus.links))


def test_a_header_row_without_brackets_reads_like_one_with_them(tmp_path):
    """Tables printed from Word or Excel write their headers plainly (基本目標 | 施策の方向 | 評価 …):
    the seed with its header rows' 【】 removed imports to the same directions and links."""
    from conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    plain = "\n".join(line.replace("【", "").replace("】", "") if line.startswith("【基本理念】") else line
                      for line in text.splitlines())
    assert plain != text
    (tmp_path / "plain.txt").write_text(plain, encoding="utf-8")
    assert _shape(import_evaluation_table(tmp_path / "plain.txt")) == _shape(import_evaluation_table(SEED))


@pytest.mark.parametrize("cells, header", [
    (["基本目標", "施策の方向", "取組内容", "評価", "次期計画の方向性"], True),
    (["基本目標", "施策の方向"], True),
    (["目標", "評価"], False),  # no direction column named
    (["基本目標1 つながる", "地域力の向上", "見守り活動を進めた。", "評価した。"], False),  # a data row
    (["基本目標", "施策の方向", "地域の見守り活動を充実させ、担い手の確保を進める。"], False),  # a sentence
])
def test_plain_header_rows_are_told_from_data_rows(cells, header):
    from analysis.importers.evaluation_table import _is_header

    assert _is_header(cells) is header


def test_a_decision_column_and_columns_the_role_words_do_not_name_are_kept(tmp_path):
    # 今後の方向性 (継続 …) is the unit's decision, not glued onto its title as a second direction
    # column; 課題 is an evaluation text the stances read; 担当課 an attribute. None is refused.
    text = table("基本目標1 見守り\t（1）見守り活動の推進\t見守り活動を実施した。\t担い手が不足している。\t福祉課\t継続",
                 "\t（2）サロン活動の充実\tサロンが増えた。\t\t社協\t１ 拡充",
                 header="基本目標\t施策の方向\t評価\t課題\t担当課\t今後の方向性")
    corpus = import_evaluation_table(write(tmp_path, text))
    [plan] = corpus.plans
    first, second = plan.directions()
    assert (first.title, second.title) == ("見守り活動の推進", "サロン活動の充実")
    assert (first.decision.label, first.decision.class_, second.decision.class_) == ("継続", "continue", "expand")
    assert [(t.label, t.text) for t in first.texts] == [("課題", "担い手が不足している。")]
    assert (first.attributes, second.attributes, second.texts) == ({"担当課": "福祉課"}, {"担当課": "社協"}, [])
    assert not corpus.warnings


def test_a_cell_under_a_blank_header_cell_is_still_refused(tmp_path):
    text = table("基本目標1 見守り\t見守り活動の推進\t実施した。\t何か", header="基本目標\t施策の方向\t評価\t")
    with pytest.raises(InputError, match="does not name"):
        import_evaluation_table(write(tmp_path, text))
