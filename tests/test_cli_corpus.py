"""``keikaku corpus`` and ``keikaku import``: real commands, real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.cli import main
from analysis.errors import EXIT_INPUT, EXIT_SETTINGS

from conftest import ROOT, SEED

EXAMPLES = ROOT / "corpus" / "examples"


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *argv], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120)


def test_corpus_summary_in_japanese_as_a_subprocess():
    result = run("corpus")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "■ 第二次東松山市地域福祉活動計画（第2次・点検・評価の対象）" in out
    assert "期間: 令和2年度～令和6年度" in out
    assert "基本目標1 地域社会の多様な主体をつなげる: 施策の方向 6件" in out
    assert "P3-1-1 小地域福祉活動の推進［重点取組1、再掲 12行目］（6・12行目）" in out
    assert "つながり: 23件" in out
    assert "警告: 5件" in out and "  12行目［基本目標］" in out
    assert result.stderr == ""


def test_corpus_json_has_the_issue_keys(capsys):
    assert main(["corpus", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in data["plans"]] == ["P2", "P3"]
    direction = data["plans"][1]["goals"][0]["directions"][0]
    for key in ("id", "title", "priority", "evaluation", "text", "initiatives", "source_lines"):
        assert key in direction
    assert direction["priority"] == 1 and direction["source_lines"] == [6, 12]
    assert {"from", "to", "kind"} <= set(data["links"][0])
    assert [w["line"] for w in data["warnings"]] == [10, 12, 12, 13, 22]
    assert all(set(w) >= {"line", "message"} for w in data["warnings"])


def test_corpus_json_from_a_source_file_equals_the_bundled_plans(capsys):
    assert main(["corpus", str(SEED), "--json"]) == 0
    from_source = json.loads(capsys.readouterr().out)
    assert main(["corpus", "--json"]) == 0
    bundled = json.loads(capsys.readouterr().out)
    assert from_source["plans"] == bundled["plans"] and from_source["links"] == bundled["links"]


def test_import_writes_a_corpus_that_corpus_reads(tmp_path, capsys):
    out = tmp_path / "minato"
    assert main(["import", str(EXAMPLES / "plan.csv"), "--mapping", str(EXAMPLES / "mapping.toml"),
                 "-o", str(out), "--owner", "みどり町社会福祉協議会"]) == 0
    assert "計画2件" in capsys.readouterr().out
    assert (out / "source" / "plan.csv").read_bytes() == (EXAMPLES / "plan.csv").read_bytes()
    assert main(["corpus", str(out)]) == 0
    text = capsys.readouterr().out
    assert "コーパス: minato" in text and "策定: みどり町社会福祉協議会" in text


def test_import_with_column_options(tmp_path, capsys):
    out = tmp_path / "c"
    args = ["import", str(EXAMPLES / "plan.csv"), "-o", str(out)]
    for role, header in [("goal", "基本目標"), ("direction", "施策の方向"), ("evaluation", "評価")]:
        args += ["--column", f"{role}={header}"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["corpus", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the unmapped columns 取組内容, 重点, 次期計画の方向性, 次期計画の説明 are kept as attributes,
    # with one warning per column (not one per cell)
    assert len(data["plans"]) == 1 and [w["field"] for w in data["warnings"]] == [
        "取組内容", "重点", "次期計画の方向性", "次期計画の説明"]
    first = data["plans"][0]["goals"][0]["directions"][0]
    assert first["attributes"] == {"取組内容": "1. 見守り訪問 2. 安否確認の仕組みづくり", "重点": "1",
                                   "次期計画の方向性": "（1）見守りネットワークの強化",
                                   "次期計画の説明": "地区ごとの見守りネットワークを強化する。"}


def test_import_is_byte_stable_for_the_seed(tmp_path):
    out = tmp_path / "higashimatsuyama"
    result = run("import", str(SEED), "-o", str(out))
    assert result.returncode == 0, result.stderr
    bundled = ROOT / "corpus" / "higashimatsuyama"
    for path in bundled.rglob("*"):
        if path.is_file():
            assert (out / path.relative_to(bundled)).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("content, name, extra, code, expected", [
    (b"", "empty.txt", [], EXIT_INPUT, "empty.txt:1: empty file"),
    (b"\x00\x01binary", "blob.txt", [], EXIT_INPUT, "blob.txt:1: binary file"),
    ("基本目標,施策の方向\r\n".encode("cp932"), "header.csv",
     ["--column", "goal=基本目標", "--column", "direction=施策の方向"], EXIT_INPUT, "header.csv:1: header-only"),
    ("基本目標,評価\r\n目標,評価\r\n".encode("utf-8-sig"), "missing.csv",
     ["--column", "goal=基本目標", "--column", "direction=施策の方向"], EXIT_INPUT,
     "missing.csv:1: direction: column 「施策の方向」"),
    ("a,b\r\n".encode(), "nomap.csv", [], EXIT_SETTINGS, "mapping"),
    ("a,b\r\n".encode(), "badcol.csv", ["--column", "goal"], EXIT_SETTINGS, "ROLE=HEADER"),
])
def test_import_errors_are_one_line_and_write_nothing(tmp_path, capsys, content, name, extra, code, expected):
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out), *extra]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("keikaku: error: ") and expected in err
    assert "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no staging left behind


def test_failed_import_keeps_an_existing_corpus(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["import", str(SEED), "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["import", str(bad), "-o", str(out)]) == EXIT_INPUT
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_corpus_on_a_missing_path_as_a_subprocess(tmp_path):
    result = run("corpus", str(tmp_path / "none"))
    assert result.returncode == EXIT_INPUT
    assert result.stderr.startswith("keikaku: error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_reimport_in_place_as_the_readme_says(tmp_path, capsys):
    import shutil

    target = tmp_path / "higashimatsuyama"
    shutil.copytree(ROOT / "corpus" / "higashimatsuyama", target)
    assert main(["import", str(target / "source" / SEED.name), "-o", str(target)]) == 0
    bundled = ROOT / "corpus" / "higashimatsuyama"
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == \
        sorted(p.relative_to(bundled) for p in bundled.rglob("*"))
    for path in bundled.rglob("*"):
        if path.is_file():
            assert (target / path.relative_to(bundled)).read_bytes() == path.read_bytes()


def test_reimport_in_place_keeps_the_planners_settings(tmp_path, capsys):
    out = tmp_path / "midori"
    source = EXAMPLES / "plan.csv"
    assert main(["import", str(source), "--mapping", str(EXAMPLES / "mapping.toml"), "-o", str(out)]) == 0
    (out / "settings.toml").write_text('[data]\nstopwords = "explore_stopwords.txt"\n', encoding="utf-8")
    (out / "explore_stopwords.txt").write_text("推進\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert (out / "settings.toml").read_text(encoding="utf-8") == '[data]\nstopwords = "explore_stopwords.txt"\n'
    assert (out / "explore_stopwords.txt").read_text(encoding="utf-8") == "推進\n"
    assert main(["terms", str(out), "--settings", str(out / "settings.toml")]) == 0


def test_reimport_reuses_the_options_recorded_in_the_manifest(tmp_path, capsys):
    out = tmp_path / "midori"
    source = EXAMPLES / "plan.csv"
    assert main(["import", str(source), "--mapping", str(EXAMPLES / "mapping.toml"), "-o", str(out),
                 "--owner", "みどり町社会福祉協議会"]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert main(["import", str(source), "-o", str(out)]) == 0  # no mapping, no owner given
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first
    assert main(["import", str(source), "-o", str(out), "--owner", "みどり町"]) == 0
    capsys.readouterr()
    assert main(["corpus", str(out), "--json"]) == 0
    assert {p["owner"] for p in json.loads(capsys.readouterr().out)["plans"]} == {"みどり町"}
