"""User dictionary: a planner's word list compiled with SudachiPy's own builder (real Sudachi)."""

from __future__ import annotations

import pytest

from analysis.errors import SettingsError
from analysis.userdict import (compile_user_dictionary, lexicon_csv, load_user_dictionary, parse_word_list,
                               parts_of_speech)

SENTENCE = "地域福祉コーディネーターがふれあいいきいきサロンの担い手不足を相談した。"

PARSE_CASES = [
    # (file name, text, [(surface, reading, pos name, line)])
    ("w.txt", "ふれあいいきいきサロン\n", [("ふれあいいきいきサロン", "", "普通名詞", 1)]),
    ("w.txt", "# 事業名\n\n  見守り隊  # 地区の活動\n", [("見守り隊", "", "普通名詞", 3)]),
    ("w.csv", "語,読み,品詞\n見守り隊,みまもりたい,固有名詞\n", [("見守り隊", "ミマモリタイ", "固有名詞", 2)]),
    ("w.csv", "見守り隊,,\n地域福祉コーディネーター\n", [("見守り隊", "", "普通名詞", 1),
                                                 ("地域福祉コーディネーター", "", "普通名詞", 2)]),
    ("w.tsv", "word\treading\n見守り隊\tミマモリタイ\n", [("見守り隊", "ミマモリタイ", "普通名詞", 2)]),
]


@pytest.mark.parametrize("name, text, expected", PARSE_CASES)
def test_parse_word_list(name, text, expected):
    words = parse_word_list(text, source=name)
    assert [(w.surface, w.reading, w.pos_name, w.line) for w in words] == expected


ERROR_CASES = [
    ("w.txt", "見守り隊\n見守り隊\n", 2, "listed twice (first at line 1)"),
    ("w.txt", "# nothing\n", None, "no word"),
    ("w.csv", "見守り隊,ミマモリタイ,動詞\n", 1, "unknown part of speech '動詞'"),
    ("w.csv", "見守り隊,mimamori\n", 1, "katakana or hiragana"),
    ("w.csv", "見守り隊,,,extra\n", 1, "at most 3 columns"),
    ("w.csv", "見守り 隊\n", 1, "spaces"),
    ("w.txt", "見守り\x07隊\n", 1, "control"),
    ("w.csv", '"見守り,隊"\n', 1, "','"),
    ("w.txt", "あ" * 256 + "\n", 1, "longer than 255"),
]


@pytest.mark.parametrize("name, text, line, fragment", ERROR_CASES)
def test_bad_word_list_names_file_and_line(name, text, line, fragment):
    with pytest.raises(SettingsError) as info:
        parse_word_list(text, source=name)
    assert info.value.file == name and info.value.line == line
    assert fragment in str(info.value)


def test_lexicon_rows_have_sudachis_18_columns():
    words = parse_word_list("見守り隊\n", source="w.txt")
    (row,) = lexicon_csv(words).splitlines()
    assert len(row.split(",")) == 18


def _tokenizer(path, mode):
    from sudachipy import Config, Dictionary

    return Dictionary(config=Config(user=[str(path)]), dict="core").tokenizer(mode=mode)


@pytest.mark.parametrize("pos_name", list(parts_of_speech()))
def test_every_part_of_speech_builds_and_keeps_words_whole_in_every_mode(pos_name):
    from analysis.tokens import pos_table

    words = parse_word_list(f"語,読み,品詞\n地域福祉コーディネーター,,{pos_name}\nふれあいいきいきサロン,,{pos_name}\n",
                            source="w.csv")
    compiled = compile_user_dictionary(words, source="w.csv")
    expected_pos = parts_of_speech()[pos_name].pos
    for mode in "ABC":
        morphemes = list(_tokenizer(compiled.path, mode).tokenize(SENTENCE))
        surfaces = [m.surface() for m in morphemes]
        assert "地域福祉コーディネーター" in surfaces and "ふれあいいきいきサロン" in surfaces, (mode, surfaces)
        for m in morphemes:
            if m.surface() in ("地域福祉コーディネーター", "ふれあいいきいきサロン"):
                assert tuple(m.part_of_speech()) == expected_pos
                # the part of speech is the system dictionary's own: POS ids stay comparable
                assert pos_table()[m.part_of_speech_id()] == expected_pos


def test_without_the_list_sudachi_cuts_these_words():
    from sudachipy import Dictionary

    surfaces = [m.surface() for m in Dictionary(dict="core").tokenizer(mode="C").tokenize(SENTENCE)]
    assert "地域福祉コーディネーター" not in surfaces and "ふれあいいきいきサロン" not in surfaces


def test_compiled_once_per_content_and_anew_when_edited(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("ふれあいいきいきサロン\n", encoding="utf-8")
    first = load_user_dictionary(path)
    again = load_user_dictionary(path)
    assert again.path == first.path and again.digest == first.digest
    stamp = first.path.stat().st_mtime_ns
    assert load_user_dictionary(path).path.stat().st_mtime_ns == stamp  # not rebuilt
    path.write_text("ふれあいいきいきサロン\n地域福祉コーディネーター\n", encoding="utf-8")
    edited = load_user_dictionary(path)
    assert edited.digest != first.digest and edited.path != first.path
    assert not [p for p in first.path.parent.iterdir() if p.name.startswith(".build-")]


def test_cp932_word_list_is_read(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes("ふれあいいきいきサロン\n".encode("cp932"))
    assert [w.surface for w in load_user_dictionary(path).words] == ["ふれあいいきいきサロン"]


def test_missing_word_list_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError) as info:
        load_user_dictionary(tmp_path / "nope.txt")
    assert info.value.file.endswith("nope.txt")
