"""analysis.themes.lexicon: lexicon files, their errors (file and line), the bundled lexicon."""

from __future__ import annotations

import pytest

from analysis.errors import SettingsError
from analysis.themes import find_line, load_lexicon, parse_lexicon


def write(tmp_path, text: str):
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"\n')
    with pytest.raises(SettingsError) as info:
        load_lexicon(path)
    assert info.value.file == str(path) and info.value.line is not None and info.value.line >= 3
    assert "invalid TOML" in str(info.value)


def test_rule_syntax_error_names_the_rules_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"]\n\n[[theme]]\nname = "担い手"\n'
                           'rules = [\n  "担い手",\n  "near(担い手 不足)",\n]\n')
    with pytest.raises(SettingsError) as info:
        load_lexicon(path)
    assert info.value.line == 9
    assert "comma" in str(info.value) and "担い手" in str(info.value)


def test_unknown_theme_reference_is_an_error_with_line(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["連携"]\n'
                           '[[theme]]\nname = "包括"\nrules = ["theme:連携 & 包括"]\n'
                           '[[theme]]\nname = "見守り"\nrules = ["theme:みまもり"]\n')
    with pytest.raises(SettingsError, match="unknown theme 'みまもり'") as info:
        load_lexicon(path)
    assert info.value.line == 9 and info.value.file == str(path)


def test_errors_point_at_the_theme_not_an_earlier_mention_of_its_name(tmp_path):
    path = write(tmp_path, '[[theme]]\nname = "連携"\nterms = ["見守り"]\n\n'
                           '[[theme]]\nname = "見守り"\n')
    with pytest.raises(SettingsError, match="neither terms nor rules") as info:
        load_lexicon(path)
    assert info.value.line == 6


@pytest.mark.parametrize("text, message", [
    ('[[theme]]\nname = "a"\nrules = ["theme:b"]\n[[theme]]\nname = "b"\nrules = ["theme:a"]\n', "circle"),
    ('[[theme]]\nname = "a"\nterms = ["x"]\n[[theme]]\nname = "a"\nterms = ["y"]\n', "defined twice"),
    ('[[theme]]\nname = "a"\n', "neither terms nor rules"),
    ('[[theme]]\nname = "a"\nterms = "x"\n', "list of strings"),
    ('[[theme]]\nname = "a"\nterm = ["x"]\n', "unknown key 'term'"),
    ('[[theme]]\nterms = ["x"]\n', "needs a name"),
    ('[themes]\nname = "a"\n', "unknown key"),
])
def test_lexicon_shape_errors(text, message):
    with pytest.raises(SettingsError, match=message):
        parse_lexicon(text, source="x.toml")


def test_default_lexicon_loads_with_the_planners_themes():
    lexicon = load_lexicon()
    for name in ("担い手不足", "連携・協働", "見守り", "サロン・居場所", "災害・防災", "権利擁護", "相談支援",
                 "孤独・孤立", "生活困窮", "福祉教育", "住民参加", "人材育成", "情報発信", "介護予防・健康",
                 "子ども・子育て", "障害", "包括的支援体制"):
        assert name in lexicon.names


def test_a_lexicon_keeps_themes_in_file_order_and_where_they_stand():
    lexicon = parse_lexicon('[[theme]]\nname = "b"\nterms = ["連携"]\n\n[[theme]]\nname = "a"\n'
                            'rules = [\n  "見守り",\n  "theme:b & 随時",\n]\n', source="x.toml")
    assert lexicon.names == ["b", "a"] and lexicon.source == "x.toml"
    assert lexicon.get("a").line == 6 and lexicon.get("a").rule_lines == (8, 9)
    assert lexicon.to_dict()["themes"][1] == {"name": "a", "description": "", "terms": [],
                                              "rules": ["見守り", "theme:b & 随時"]}
    with pytest.raises(SettingsError, match="no theme named 'c'"):
        lexicon.get("c")


def test_find_line_prefers_lines_from_start_on():
    lines = ["[[theme]]", 'name = "a"', "[[theme]]", 'name = "b"']
    assert find_line(lines, "[[theme]]") == 1
    assert find_line(lines, "[[theme]]", start=2) == 3
    assert find_line(lines, 'name = "a"', start=3) == 2  # not after start: the first anywhere
    assert find_line(lines, "terms") is None
