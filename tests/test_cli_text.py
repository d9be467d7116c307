"""``keikaku terms``, ``keikaku themes`` and ``keikaku kwic`` through the real command line."""

from __future__ import annotations

import json

import pytest

from analysis.cli import main
from analysis.cli.text import display_width, format_table
from analysis.corpus import Corpus, Direction, Goal, Plan
from analysis.corpus_io import write_corpus
from analysis.errors import EXIT_INPUT, EXIT_SETTINGS, EXIT_USAGE


def field_end(line: str, n: int) -> int:
    """Terminal column where the n-th space-separated field of ``line`` ends."""
    import re

    match = list(re.finditer(r"\S+", line))[n]
    return display_width(line[:match.end()])


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    d2 = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="関係機関との連携",
                   evaluation="関係機関と連携した。担い手の確保が課題となった。", source_file="plan.txt",
                   source_lines=[6])
    d3 = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="多様な主体との協働",
                   text="地域の団体と協働し、見守りを進める。", source_file="plan.txt", source_lines=[6])
    corpus = Corpus(name="tiny", plans=[
        Plan(id="P2", generation=2, title="第2次", goals=[Goal(plan_id="P2", number=1, title="つなげる",
                                                              directions=[d2])]),
        Plan(id="P3", generation=3, title="第3次", role="next",
             goals=[Goal(plan_id="P3", number=1, title="つなげる", directions=[d3])]),
    ])
    path = tmp_path_factory.mktemp("corpus") / "tiny"
    write_corpus(corpus, path)
    return str(path)


def test_themes_json_on_a_given_corpus(capsys, tiny_path):
    result = run_json(capsys, "themes", tiny_path, "--candidates", "0")
    themes = {t["name"]: t for t in result["themes"]}
    assert themes["連携・協働"]["counts"] == {"2": 2, "3": 2}
    assert themes["担い手不足"]["counts"] == {"2": 1, "3": 0}
    [unit] = themes["担い手不足"]["units"]
    assert (unit["id"], unit["direction"], unit["field"], unit["line"]) == ("P2-1-1:evaluation", "P2-1-1", "evaluation", 6)
    assert unit["words"] == ["担い手", "確保"]
    assert [(s["stance"], s["direction"], s["line"]) for s in result["stances"]] == [
        ("done", "P2-1-1", 6), ("issue", "P2-1-1", 6)]
    assert result["stances"][1]["cues"] == ["課題となった"]
    assert result["candidates"] == []
    settings = result["settings"]
    assert settings["split_mode"] == "C" and "sudachidict-core" in settings["dictionary_version"]
    assert settings["corpus"] == tiny_path and settings["tokens"]["split_mode"] == "C"


def test_themes_on_the_bundled_corpus(capsys):
    result = run_json(capsys, "themes")
    themes = {t["name"]: t for t in result["themes"]}
    assert any(u["field"] == "evaluation" for u in themes["担い手不足"]["units"])
    assert themes["連携・協働"]["counts"]["2"] > 0 and themes["連携・協働"]["counts"]["3"] > 0
    assert {s["stance"] for s in result["stances"]} <= {"achieved", "done", "issue", "carried_over"}
    assert all(set(s) >= {"sentence", "stance", "cues", "direction", "line"} for s in result["stances"])
    for candidate in result["candidates"]:
        assert candidate["terms"] and candidate["why"] and candidate["name"] not in themes
    assert result["settings"]["corpus"] == "(bundled)"


def test_themes_terminal_output_is_japanese_and_aligned(capsys, tiny_path):
    code, out, _ = run(capsys, "themes", tiny_path, "--candidates", "0")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("テーマの出現")
    header = lines[1]
    assert header.split()[:3] == ["テーマ", "第2次", "第3次"]
    row = next(line for line in lines if line.startswith("連携・協働"))
    assert row.split()[:3] == ["連携・協働", "2", "2"]
    # right-aligned counts end in the same terminal column as their header
    assert field_end(row, 2) == field_end(header, 2) and field_end(row, 1) == field_end(header, 1)
    assert "課題・持ち越しとされた文" in out and "課題となった" in out


def test_terms_json_and_options(capsys, tiny_path):
    result = run_json(capsys, "terms", tiny_path, "--top", "3", "--method", "cvalue")
    assert len(result["terms"]) <= 3
    assert all({"term", "score", "frequency"} <= set(t) for t in result["terms"])
    assert result["settings"]["options"] == {"method": "cvalue", "min_frequency": 1, "top": 3}


def test_terms_terminal(capsys):
    code, out, _ = run(capsys, "terms", "--top", "5")
    assert code == 0
    assert out.splitlines()[0].startswith("重要語（単語と複合語）の順位")
    assert len(out.splitlines()) == 2 + 5


def test_kwic(capsys, tiny_path):
    result = run_json(capsys, "kwic", "担い手", tiny_path, "--window", "2")
    [hit] = result["hits"]
    assert hit["keyword"] == "担い手" and hit["line"] == 6
    assert result["settings"]["options"] == {"window": 2, "word": "担い手"}
    code, out, _ = run(capsys, "kwic", "担い手", tiny_path)
    assert code == 0 and "【担い手】" in out and "行6" in out


def test_same_input_same_bytes(capsys, tiny_path):
    first = run(capsys, "themes", tiny_path, "--json")[1]
    assert run(capsys, "themes", tiny_path, "--json")[1] == first


def test_a_bad_lexicon_named_in_settings_is_one_line_with_its_line(capsys, tmp_path, tiny_path):
    (tmp_path / "mine.toml").write_text(
        '[[theme]]\nname = "見守り"\nrules = ["theme:みまもり"]\n', encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text('[data]\nlexicon = "mine.toml"\n', encoding="utf-8")
    code, out, err = run(capsys, "themes", tiny_path, "--settings", str(settings))
    assert code == EXIT_SETTINGS
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "mine.toml:3:" in err and "みまもり" in err and "Traceback" not in err


def test_a_missing_corpus_is_an_input_error(capsys, tmp_path):
    code, _, err = run(capsys, "terms", str(tmp_path / "nowhere"))
    assert code == EXIT_INPUT and "nowhere" in err


@pytest.mark.parametrize("args", [["terms", "PATH", "--top", "-1"], ["kwic", "担い手", "PATH", "--window", "-1"],
                                  ["themes", "PATH", "--candidates", "-2"]])
def test_negative_numbers_are_refused(capsys, tiny_path, args):
    # a bad option value is a usage error (2), as argparse gives for any other bad option;
    # exit 4 is for the settings file
    with pytest.raises(SystemExit) as info:
        run(capsys, *[tiny_path if a == "PATH" else a for a in args])
    assert info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"keikaku {args[0]}: error: argument ")
    assert "must be 0 or more" in err


def test_format_table_counts_wide_characters():
    table = format_table(["語", "数"], [["ﾎﾞﾗﾝﾃｨｱ", 1], ["担い手不足", 10]]).splitlines()
    assert len({display_width(line) for line in table[1:]}) == 1


def test_one_theme_with_its_evidence(capsys, tiny_path):
    code, out, _ = run(capsys, "themes", tiny_path, "--theme", "担い手不足")
    assert code == 0
    assert out.splitlines()[0].startswith("テーマ「担い手不足」")
    assert "P2-1-1" in out and "担い手、確保" in out and "担い手の確保が課題となった。" in out
    result = run_json(capsys, "themes", tiny_path, "--theme", "担い手不足")
    assert [t["name"] for t in result["themes"]] == ["担い手不足"]
    code, _, err = run(capsys, "themes", tiny_path, "--theme", "存在しない")
    assert code == EXIT_SETTINGS and "存在しない" in err


def test_two_tokenizer_processes_give_the_same_themes(capsys, tmp_path, tiny_path, monkeypatch):
    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)  # the tiny corpus is tokenized in two processes too
    settings = tmp_path / "settings.toml"
    settings.write_text("[tokens]\nworkers = 2\ncache = false\n", encoding="utf-8")
    two = run_json(capsys, "themes", tiny_path, "--settings", str(settings))
    one = run_json(capsys, "themes", tiny_path)
    assert two["settings"]["tokens"]["workers"] == 2 and one["settings"]["tokens"]["workers"] == 1
    assert two["themes"] == one["themes"]
    # a worker process that cannot start: one line naming the setting, exit 6, no traceback
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    code, out, err = run(capsys, "themes", tiny_path, "--settings", str(settings))
    assert code == 6 and out == ""
    assert err.startswith("keikaku: error: tokens.workers: cannot start a tokenizer worker process") and err.count("\n") == 1


def test_a_citys_own_variant_table_is_used_for_themes_and_the_lexicon(capsys, tmp_path):
    # the city's table says 視 is written for 見: its 「視守り」 is 見守り, in the texts and in the lexicon
    from analysis.settings import default_settings

    bundled = default_settings().data_file("variants").read_text(encoding="utf-8")
    (tmp_path / "city_variants.tsv").write_text(bundled + "視\t見\n", encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text('[data]\nvariants = "city_variants.tsv"\n', encoding="utf-8")
    d1 = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="地域の視守り",
                   evaluation="高齢者の視守り活動を続けた。", source_file="plan.txt", source_lines=[3])
    corpus = Corpus(name="city", plans=[Plan(id="P1", generation=1, title="第1次",
                                             goals=[Goal(plan_id="P1", number=1, title="見守る", directions=[d1])])])
    path = tmp_path / "city"
    write_corpus(corpus, path)

    def units_of(theme, *args):
        result = run_json(capsys, "themes", str(path), "--candidates", "0", *args)
        return sorted(u["id"] for t in result["themes"] if t["name"] == theme for u in t["units"])

    assert units_of("見守り") == []  # the bundled table does not fold 視
    assert units_of("見守り", "--settings", str(settings)) == ["P1-1-1:evaluation", "P1-1-1:title"]
    # a lexicon word written the city's way is folded by the same table
    (tmp_path / "city_themes.toml").write_text('[[theme]]\nname = "視守り"\nterms = ["視守り"]\n', encoding="utf-8")
    settings.write_text('[data]\nvariants = "city_variants.tsv"\nlexicon = "city_themes.toml"\n', encoding="utf-8")
    other = tmp_path / "other"
    write_corpus(Corpus(name="other", plans=[Plan(id="P1", generation=1, title="第1次", goals=[Goal(
        plan_id="P1", number=1, title="見守る", directions=[Direction(
            id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="地域",
            evaluation="見守り活動を続けた。", source_file="plan.txt", source_lines=[3])])])]), other)
    result = run_json(capsys, "themes", str(other), "--candidates", "0", "--settings", str(settings))
    assert [u["id"] for t in result["themes"] for u in t["units"]] == ["P1-1-1:evaluation"]


@pytest.mark.parametrize("word", [None, "担い手", "どこにもない語"])
def test_tokens_json_is_written_a_sentence_at_a_time_in_the_one_json_form(capsys, tiny_path, word):
    from analysis.outputs import json_dumps

    code, out, err = run(capsys, "tokens", tiny_path, "--json", *(["--word", word] if word else []))
    assert code == 0, err
    result = json.loads(out)
    assert out == json_dumps(result)  # streamed, yet byte for byte the project's JSON form
    texts = [s["text"] for s in result["sentences"]]
    expected = {None: ["関係機関との連携", "関係機関と連携した。", "担い手の確保が課題となった。",
                       "多様な主体との協働", "地域の団体と協働し、見守りを進める。"],
                "担い手": ["担い手の確保が課題となった。"], "どこにもない語": []}[word]
    assert sorted(texts) == sorted(expected)
    assert result["settings"]["corpus"] == tiny_path
