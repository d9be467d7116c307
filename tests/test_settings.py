"""Settings as data: defaults, overrides, and errors that name the file and line."""

from __future__ import annotations

import pytest

from analysis.errors import SettingsError
from analysis.settings import Settings, data_path


def _documented_keys(text: str) -> dict[str, bool]:
    """``section.key`` of every setting in a settings TOML → whether a comment explains it (on its
    own line, or in the comment block right above it)."""
    out: dict[str, bool] = {}
    section, comment_above = "", False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section, comment_above = stripped.strip("[]"), False
        elif stripped.startswith("#"):
            comment_above = True
        elif "=" in stripped:
            key = stripped.split("=", 1)[0].strip()
            out[f"{section}.{key}"] = "#" in line.split("=", 1)[1] or comment_above
            comment_above = False
        elif not stripped:
            comment_above = False
    return out


def test_defaults_document_every_setting():
    """Every setting the code knows is in the bundled settings.toml with a comment saying what it
    means (the README promises "every threshold, weight and option, with its default and
    meaning"), and nothing there is unknown to the code."""
    settings = Settings.load()
    known = {f"{section}.{key}" for section, values in settings.to_dict().items() for key in values}
    documented = _documented_keys(data_path("settings.toml").read_text(encoding="utf-8"))
    assert set(documented) == known
    undocumented = sorted(k for k, ok in documented.items() if not ok)
    assert not undocumented, f"settings without a comment: {undocumented}"


def test_documented_keys_reader_sees_a_missing_comment():
    assert _documented_keys("[a]\nx = 1  # said\n\ny = 2\n# above\nz = 3\n") == {
        "a.x": True, "a.y": False, "a.z": True}


def test_bundled_data_files_exist():
    settings = Settings.load()
    for key in settings.section("data"):
        assert settings.data_file(key).exists(), key


def test_user_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[tokens]\nsplit_mode = "A"\n', encoding="utf-8")
    settings = Settings.load(path)
    assert settings.get("tokens", "split_mode") == "A"
    assert settings.get("tokens", "cache") == Settings.load().get("tokens", "cache")


def test_int_accepted_where_float_expected(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[continuity]\nmin_content_score = 1\n", encoding="utf-8")
    assert Settings.load(path).get("continuity", "min_content_score") == 1.0


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("[tokens]\nsplit_mode = \n", 2, "invalid TOML"),
        ("[tokens]\n\nsplt_mode = \"A\"\n", 3, "unknown setting 'tokens.splt_mode'"),
        ("[tokens]\nsplit_mode = 3\n", 2, "expected str"),
        ("[nosuch]\nx = 1\n", None, "unknown setting 'nosuch'"),
        ("tokens = 1\n", 1, "expected a table"),
        ("[tokens]\ncache = 1\n", 2, "expected bool"),
    ],
)
def test_bad_settings_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert fragment in str(info.value)


def test_missing_settings_file(tmp_path):
    with pytest.raises(SettingsError, match="settings file not found"):
        Settings.load(tmp_path / "nope.toml")


def test_data_file_relative_to_settings_file(tmp_path):
    (tmp_path / "my_stop.txt").write_text("推進\n", encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text('[data]\nstopwords = "my_stop.txt"\n', encoding="utf-8")
    assert Settings.load(path).data_file("stopwords") == tmp_path / "my_stop.txt"
    assert Settings.load().data_file("stopwords") == data_path("stopwords.txt")


def test_replace_validates_like_a_file():
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load().replace(tokens={"nonsense": 1})


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ('[tokens]\nsplit_mode = "Z"\n', 2, "choose one of 'A', 'B', 'C'"),
        ('[terms]\n\nmethod = "tfidf"\n', 3, "choose one of 'keyterms', 'flr', 'cvalue', 'frequency'"),
        ("[report]\nevidence = -1\n", 2, "must not be negative"),
        ("[cooccurrence]\nmin_jaccard = 1.5\n", 2, "between 0 and 1"),
        ("[tokens]\nworkers = 0\n", 2, "at least 1"),
        ("[continuity]\nweight_tfidf = 0\nweight_themes = 0\nweight_terms = 0\n", 2, "must not all be 0"),
    ],
)
def test_out_of_range_values_name_the_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert info.value.file == str(path) and info.value.line == line
    assert fragment in str(info.value)


def test_every_choice_and_range_names_a_real_setting():
    from analysis.settings import AT_LEAST_ONE, CHOICES, FRACTIONS

    defaults = Settings.load()
    for section, key in list(CHOICES) + list(FRACTIONS) + list(AT_LEAST_ONE):
        defaults.get(section, key)  # KeyError if a constraint names a setting that does not exist
