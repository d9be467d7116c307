"""Values in settings and column-mapping TOML: nan and inf are refused with file:line (issue 12 case 8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analysis.errors import SettingsError
from analysis.importers import read_mapping
from analysis.settings import Settings

DEFAULTS = Settings.load().values
NUMERIC = sorted((section, key) for section, entries in DEFAULTS.items() for key, value in entries.items()
                 if isinstance(value, (int, float)) and not isinstance(value, bool))
NON_FINITE = ["nan", "+nan", "-nan", "inf", "+inf", "-inf"]
PROPERTY = dict(derandomize=True, deadline=None, database=None, max_examples=60)


def refused(path, line, field):
    with pytest.raises(SettingsError) as caught:
        Settings.load(path)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), line, field), str(error)
    assert "finite" in error.message
    return error


def test_nan_min_g2_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("# my settings\n[compare]\nmin_similarity = 0.3\nmin_g2 = nan\n", encoding="utf-8")
    refused(path, 4, "compare.min_g2")


@pytest.mark.parametrize("section, key", NUMERIC)
@pytest.mark.parametrize("value", ["nan", "-inf"])
def test_every_numeric_setting_refuses_non_finite_values(tmp_path, section, key, value):
    path = tmp_path / "s.toml"
    path.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
    refused(path, 2, f"{section}.{key}")


def test_the_line_is_the_one_in_the_named_section(tmp_path):
    """``seed`` is a key of [cooccurrence] and of [report]: the line is the one that set it."""
    path = tmp_path / "s.toml"
    path.write_text("[cooccurrence]\nseed = 1\n\n[report]\nseed = inf\n", encoding="utf-8")
    refused(path, 5, "report.seed")


def test_replace_refuses_non_finite_values():
    with pytest.raises(SettingsError, match="finite") as caught:
        Settings.load().replace(compare={"min_g2": float("nan")})
    assert caught.value.field == "compare.min_g2"


@hsettings(**PROPERTY)
@given(picked=st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=4, unique=True),
       bad=st.integers(0, 3), value=st.sampled_from(NON_FINITE), comments=st.booleans())
def test_property_a_non_finite_value_anywhere_is_refused_at_its_line(tmp_path_factory, picked, bad, value,
                                                                     comments):
    bad = bad % len(picked)
    lines: list[str] = []
    where = None
    for section in sorted({s for s, _ in picked}):
        lines.append(f"[{section}]")
        for s, key in picked:
            if s != section:
                continue
            if comments:
                lines.append(f"# {key} = nan would be refused")
            if (s, key) == picked[bad]:
                lines.append(f"{key} = {value}   # bad")
                where = len(lines)
            else:
                lines.append(f"{key} = {DEFAULTS[s][key]!r}".replace("True", "true").replace("False", "false"))
    path = tmp_path_factory.mktemp("s") / "s.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(path, where, ".".join(picked[bad]))


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("key", ["plan.generation", "plan.next_generation", "table.header_line", "plan.title",
                                 "columns.goal"])
def test_mapping_refuses_non_finite_values_with_file_and_line(tmp_path, key, value):
    section, name = key.split(".")
    body = {"columns": 'goal = "基本目標"\ndirection = "施策の方向"\n', "plan": 'title = "第2次計画"\n', "table": ""}
    body[section] = "".join(line + "\n" for line in body[section].splitlines() if not line.startswith(name + " "))
    body[section] += f"{name} = {value}\n"
    text = "".join(f"[{s}]\n{b}" for s, b in body.items())
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        read_mapping(path)
    error = caught.value
    line = text.splitlines().index(f"{name} = {value}") + 1
    assert (error.file, error.line, error.field) == (str(path), line, key), str(error)
    assert "finite" in error.message


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deeply_nested_settings_are_refused_with_file_and_line(tmp_path, depth):
    """Issue 12 case 7, for settings: never a RecursionError (exit 70)."""
    from analysis.settings import MAX_TOML_DEPTH

    path = tmp_path / "s.toml"
    path.write_text("# deep\n[compare]\nmin_g2 = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        Settings.load(path)
    assert (caught.value.file, caught.value.line) == (str(path), 3)
    assert str(MAX_TOML_DEPTH) in caught.value.message


def test_deeply_nested_mapping_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[columns]\ndirection = "施策の方向"\ngoal = ' + "[" * 100_000 + "]" * 100_000 + "\n",
                    encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        read_mapping(path)
    assert (caught.value.file, caught.value.line) == (str(path), 3)


@hsettings(**PROPERTY)
@given(depth=st.integers(1, 3000), kind=st.sampled_from(["[]", "{}"]), strings=st.booleans())
def test_property_any_nesting_depth_is_read_or_refused_with_its_line(tmp_path_factory, depth, kind, strings):
    from analysis.settings import MAX_TOML_DEPTH

    opened = "[" * depth if kind == "[]" else "{a = " * depth
    closed = "]" * depth if kind == "[]" else "1" + "}" * depth
    decoy = 'note = "[[[[ {{{{ not nesting"\n' if strings else ""
    path = tmp_path_factory.mktemp("deep") / "s.toml"
    path.write_text(f"[compare]\n{decoy}min_g2 = {opened}{closed}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:  # too deep, or (when not) not a number
        Settings.load(path)
    assert caught.value.file == str(path)
    if depth > MAX_TOML_DEPTH:
        assert caught.value.line == (3 if strings else 2) and str(MAX_TOML_DEPTH) in caught.value.message
