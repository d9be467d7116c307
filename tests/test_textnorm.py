"""Sentence splitting, safe cuts under Sudachi's byte limit, variant folding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analysis.errors import SettingsError
from analysis.textnorm import (
    MAX_CHUNK_BYTES,
    SUDACHI_MAX_BYTES,
    fold_variants,
    load_variants,
    match_form,
    replace_surrogates,
    sentences,
    utf8_size,
)

SPLIT_CASES = [
    # (text, expected sentences)
    ("", []),
    ("　 \n\n ", []),
    ("連携を進めた。見守りが課題となった。", ["連携を進めた。", "見守りが課題となった。"]),
    ("課題だ！次は？", ["課題だ！", "次は？"]),
    ("Done! Next? ok", ["Done!", "Next?", "ok"]),
    # end marks inside brackets do not end the sentence
    ("「次期計画へ。」と述べた。以上", ["「次期計画へ。」と述べた。", "以上"]),
    ("『担い手。』不足（案。）です。", ["『担い手。』不足（案。）です。"]),
    ("注(案。)を見る。次", ["注(案。)を見る。", "次"]),
    ("【重点。】と〔注。〕です。", ["【重点。】と〔注。〕です。"]),
    # nested brackets
    ("「彼は『行く。』と言った。」終わり。", ["「彼は『行く。』と言った。」終わり。"]),
    # closing brackets and repeated marks right after the end stay with the sentence
    ("行った。」次へ", ["行った。」", "次へ"]),
    ("本当か！？はい。", ["本当か！？", "はい。"]),
    ("続く。…次", ["続く。…", "次"]),
    # a line break always ends a sentence, even inside an open bracket
    ("評価\n方向性", ["評価", "方向性"]),
    ("（未完\n次の行。", ["（未完", "次の行。"]),
    ("行1\r\n行2", ["行1", "行2"]),
    ("a\u2028b", ["a", "b"]),
    # leading and trailing whitespace is not part of a sentence
    ("　見守り活動。  次。", ["見守り活動。", "次。"]),
    # a stray closer is ignored; an unbalanced closer unwinds to its opener
    ("」と言った。次", ["」と言った。", "次"]),
    ("「（注。」です。次", ["「（注。」です。", "次"]),
    # symbols and emoji only
    ("★☆◆", ["★☆◆"]),
    ("😀。👍🏽", ["😀。", "👍🏽"]),
]


@pytest.mark.parametrize("text, expected", SPLIT_CASES)
def test_sentences_table(text, expected):
    got = sentences(text)
    assert [s for s, _, _ in got] == expected
    for s, start, end in got:
        assert text[start:end] == s


def test_unclosed_bracket_does_not_swallow_the_text():
    text = "《" + "あ" * 450 + "。" + "次の文。"
    got = [s for s, _, _ in sentences(text)]
    assert got == ["《" + "あ" * 450 + "。", "次の文。"]


def test_short_unclosed_bracket_keeps_sentence_open_until_line_end():
    assert [s for s, _, _ in sentences("（注。まだ続く。")] == ["（注。まだ続く。"]


def _check_pieces(text, pieces, max_bytes):
    # pieces cover the non-space text in order, each within the byte budget
    assert "".join(s for s, _, _ in pieces).replace(" ", "") == "".join(text.split()).replace(" ", "")
    previous = 0
    for s, start, end in pieces:
        assert text[start:end] == s
        assert start >= previous
        previous = end
        assert 0 < utf8_size(s) <= max_bytes


def test_one_megabyte_without_punctuation_is_cut_under_the_limit():
    text = "地域福祉活動計画" * 44_000  # 352,000 characters, 1,056,000 UTF-8 bytes, no punctuation
    assert utf8_size(text) > 1_000_000
    pieces = sentences(text, max_bytes=SUDACHI_MAX_BYTES)
    _check_pieces(text, pieces, SUDACHI_MAX_BYTES)
    assert len(pieces) >= utf8_size(text) // SUDACHI_MAX_BYTES
    default = sentences(text)
    _check_pieces(text, default, MAX_CHUNK_BYTES)


def test_max_bytes_is_capped_at_sudachis_limit():
    text = "あ" * 40_000  # 120,000 bytes
    pieces = sentences(text, max_bytes=10**9)
    assert max(utf8_size(s) for s, _, _ in pieces) <= SUDACHI_MAX_BYTES


@pytest.mark.parametrize("filler", ["𠮷", "😀", "a😀", "aa😀", "aaa😀", "👍🏽", "か\u3099", "👨\u200d👩\u200d👧"])
@pytest.mark.parametrize("max_bytes", [4, 5, 7, 16, 101])
def test_cuts_at_four_byte_characters_and_clusters(filler, max_bytes):
    text = filler * 60
    pieces = sentences(text, max_bytes=max_bytes)
    _check_pieces(text, pieces, max_bytes)
    if max_bytes >= 2 * utf8_size(filler):  # a whole cluster fits: no piece starts inside one
        for _, start, _ in pieces:
            assert text[start] not in "\u3099\u200d\U0001f3fd"
            assert start == 0 or text[start - 1] != "\u200d"


def test_cut_prefers_commas_and_spaces():
    text = ("あ" * 30 + "、") * 10
    pieces = sentences(text, max_bytes=200)
    assert all(s.endswith("、") for s, _, _ in pieces[:-1])


def test_max_bytes_too_small():
    with pytest.raises(ValueError):
        sentences("あ", max_bytes=3)


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("あ漢aZ。！?「」『』（）()、 \n😀𠮷\u3099\u200d")), max_size=300),
       st.integers(min_value=4, max_value=64))
def test_sentences_properties(text, max_bytes):
    pieces = sentences(text, max_bytes=max_bytes)
    previous = 0
    for s, start, end in pieces:
        assert s and text[start:end] == s and s == s.strip()
        assert start >= previous
        previous = end
        assert utf8_size(s) <= max_bytes
    covered = set()
    for _, start, end in pieces:
        covered.update(range(start, end))
    # nothing but whitespace is dropped
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


FOLD_CASES = [
    ("隨時連携", {"隨": "随"}, "随時連携"),
    ("髙橋と齋藤", {"髙": "高", "齋": "斎"}, "高橋と斎藤"),
    ("変化なし", {"隨": "随"}, "変化なし"),
    ("隨", {}, "隨"),
    ("😀隨😀", {"隨": "随"}, "😀随😀"),
]


@pytest.mark.parametrize("text, table, expected", FOLD_CASES)
def test_fold_variants_one_for_one(text, table, expected):
    folded = fold_variants(text, table)
    assert folded == expected
    assert len(folded) == len(text)


def test_replace_surrogates_keeps_length():
    text = "あ\ud800い\udfffう"
    replaced = replace_surrogates(text)
    assert replaced == "あ\ufffdい\ufffdう"
    assert len(replaced) == len(text)
    assert replace_surrogates("普通") == "普通"


def test_sentences_with_lone_surrogates():
    text = "あ\ud800い。う" + "\ud800" * 40
    pieces = sentences(text, max_bytes=16)
    _check_pieces(text, pieces, 16)


def test_match_form():
    assert match_form("ﾎﾞﾗﾝﾃｨｱ　活動") == "ボランティア活動"
    assert match_form("隨時 連携", {"隨": "随"}) == "随時連携"


def test_load_variants(tmp_path):
    good = tmp_path / "v.tsv"
    good.write_text("# comment\n隨\t随\n\n髙 高  # trailing\n", encoding="utf-8")
    assert load_variants(good) == {"隨": "随", "髙": "高"}
    bad = tmp_path / "bad.tsv"
    bad.write_text("隨\t随\n隨時\t随時\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_variants(bad)
    assert info.value.line == 2 and str(bad) in str(info.value)
    clash = tmp_path / "clash.tsv"
    clash.write_text("隨\t随\n隨\t髄\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        load_variants(clash)
    with pytest.raises(SettingsError):
        load_variants(tmp_path / "missing.tsv")


def test_bundled_variant_table_is_valid():
    from analysis.settings import default_settings

    table = load_variants(default_settings().data_file("variants"))
    assert table and all(len(a) == len(b) == 1 and a != b for a, b in table.items())
