"""The evaluation-table importer on the real seed document (corpus/higashimatsuyama/source)."""

from __future__ import annotations

import re

import pytest

from analysis.corpus import Corpus
from analysis.importers import import_evaluation_table, import_source
from analysis.importers.patterns import strip_markup

from conftest import SEED


@pytest.fixture(scope="module")
def seed() -> Corpus:
    return import_evaluation_table(SEED, name="higashimatsuyama")


def test_two_plans_with_generations_titles_periods(seed):
    past, future = seed.plans
    assert (past.id, past.generation, past.role, past.period) == ("P2", 2, "evaluated", "令和2年度～令和6年度")
    assert past.title == "第二次東松山市地域福祉活動計画"
    assert past.philosophy == "地域で支え合う笑顔で暮らせるまち 東松山"
    assert (future.id, future.generation, future.role) == ("P3", 3, "next")
    assert future.title == "第三次東松山市地域福祉活動計画"
    assert past.owner == future.owner == "東松山市社会福祉協議会"
    assert past.source_line == 3


@pytest.mark.parametrize("plan_id, counts", [
    ("P2", {1: 6, 2: 2, 3: 3, 4: 5}),  # line 13 stays under goal 1, carried forward from line 12
    ("P3", {1: 2, 2: 3, 3: 2, 4: 3}),
])
def test_goals_and_direction_counts(seed, plan_id, counts):
    assert {g.number: len(g.directions) for g in seed.plan(plan_id).goals} == counts


@pytest.mark.parametrize("goal, title, label", [
    (1, "つなげる", "つなげる"), (2, "支え合う", "支え合う"), (3, "育てる", "育てる"), (4, "築く", "築く"),
])
def test_next_plan_goal_labels(seed, goal, title, label):
    g = [g for g in seed.plan("P3").goals if g.number == goal][0]
    assert (g.title, g.label) == (title, label)


@pytest.mark.parametrize("direction_id, line, title", [
    ("P2-1-1", 6, "地域力の向上"),
    ("P2-1-4", 9, "市との連携体制の強化"),
    ("P2-1-5", 12, "小地域福祉活動の推進"),
    ("P2-1-6", 13, "災害に備えた地域の基盤づくり"),
    ("P2-2-1", 10, "地域活動等への住民参加の促進"),
    ("P2-3-1", 18, "互いに尊重し、支え合う意識の醸成"),
    ("P2-4-5", 25, "地域での暮らしを支える権利擁護体制の充実"),
])
def test_past_directions_keep_their_line(seed, direction_id, line, title):
    d = seed.direction(direction_id)
    assert (d.title, d.source_lines, d.source_file) == (title, [line], SEED.name)


def test_initiatives_are_split_at_their_numbers(seed):
    assert seed.direction("P2-1-5").initiatives == [
        "介護予防や健康づくりなどを通じた顔の見える関係づくり", "身近な地域での活躍の場の充実", "社協支部活動の充実"]
    assert seed.direction("P2-1-3").initiatives == ["地域の社会福祉法人との連携強化"]


@pytest.mark.parametrize("direction_id, priority", [
    ("P3-1-1", 1), ("P3-2-2", 2), ("P3-4-3", 3), ("P3-1-2", None), ("P3-3-1", None), ("P2-1-1", None),
])
def test_priority_markers(seed, direction_id, priority):
    d = seed.direction(direction_id)
    assert d.priority == priority
    assert "重点" not in d.title


def test_relisted_is_a_reference_not_a_new_direction(seed):
    d = seed.direction("P3-1-1")
    assert (d.title, d.source_lines, d.relisted_lines) == ("小地域福祉活動の推進", [6, 12], [12])
    relisted = [(l.source, l.target, l.line) for l in seed.links if l.relisted]
    assert relisted == [("P2-1-5", "P3-1-1", 12)]
    assert sum(1 for d in seed.plan("P3").directions() if d.title == "小地域福祉活動の推進") == 1


def _targets(seed, source):
    return sorted(l.target for l in seed.links if l.source == source)


@pytest.mark.parametrize("source, targets", [
    ("P2-1-1", ["P3-1-1"]),
    ("P2-1-2", ["P3-1-2"]),
    ("P2-1-3", ["P3-1-2"]),  # empty next-plan cell under a merged cell: carried from line 7
    ("P2-1-4", ["P3-1-2"]),
    ("P2-1-6", ["P3-2-3"]),
    ("P2-3-1", ["P3-3-1", "P3-3-2"]),  # two directions in one cell
    ("P2-3-3", ["P3-3-1", "P3-3-2"]),
    ("P2-4-4", ["P3-4-1", "P3-4-2"]),
    ("P2-4-5", ["P3-4-3"]),
])
def test_stated_links_as_the_table_places_them(seed, source, targets):
    assert _targets(seed, source) == targets
    assert all(l.kind == "stated" for l in seed.links)


def test_every_past_direction_links_forward(seed):
    linked = {l.source for l in seed.links}
    assert linked == {d.id for d in seed.plan("P2").directions()}


@pytest.mark.parametrize("direction_id, starts, ends, contains", [
    # two titles then two paragraphs in one <p>: split at sentence end, また joins, in order
    ("P3-3-1", "若い世代の地域福祉の担い手", "福祉の啓発に取り組む。", "また、幅広い世代"),
    ("P3-3-2", "ボランティア・担い手養成講座", "情報発信方法の工夫を行う。", "また、地域住民"),
    # one <p> block per direction
    ("P3-4-1", "市内7地区に配置されている", "包括的な支援体制の構築に取り組む。", "また、専門性向上"),
    ("P3-4-2", "つながることや支援を求める", "見守り体制の構築に取り組む。", "相談しやすい"),
    ("P3-1-1", "各社協支部が", "介護予防事業の推進に取り組む。", "地区別プラン"),
])
def test_descriptions_are_attributed_to_the_right_direction(seed, direction_id, starts, ends, contains):
    text = seed.direction(direction_id).text
    assert text.startswith(starts) and text.endswith(ends) and contains in text


def test_no_markup_left_in_any_text(seed):
    for d in seed.directions():
        for text in [d.title, d.text, d.evaluation, *d.initiatives]:
            assert "<" not in text and ">" not in text, d.id


def test_contradictions_are_imported_as_written_and_warned(seed):
    d = seed.direction("P2-1-5")
    assert d.goal_number == 1
    assert d.goal_label_raw == "【基本目標1】 小地域福祉活動の推進"
    assert seed.plan("P2").goals[0].title == "地域社会の多様な主体をつなげる"
    assert [seed.direction(i).philosophy_raw for i in ("P2-2-1", "P2-2-2", "P2-1-5", "P2-1-6")] == \
        ["多様性を尊重しながら支え合う"] * 4
    assert seed.direction("P2-3-1").philosophy_raw == "地域で支え合う笑顔で暮らせるまち 東松山"
    by_line = {}
    for w in seed.warnings:
        by_line.setdefault(w.line, []).append(w)
    assert sorted(by_line) == [10, 12, 13, 22]
    assert by_line[22][0].field == "評価" and "「隨」（随）" in by_line[22][0].message
    assert by_line[10][0].field == "基本理念" and "多様性を尊重しながら支え合う" in by_line[10][0].message
    messages12 = " ".join(w.message for w in by_line[12])
    assert "6行目" in messages12 and "異なります" in messages12 and "順序" in messages12
    assert "基本目標2" in by_line[13][0].message
    assert all(w.file == SEED.name for w in seed.warnings)


@pytest.mark.parametrize("direction_id, verbatim", [
    ("P2-2-1", "課題となつた。"), ("P2-1-6", "持ち越しつとした。"), ("P2-4-2", "隨時連携"),
    ("P3-2-2", "住民どおし"),
])
def test_typos_and_variants_are_kept_verbatim(seed, direction_id, verbatim):
    d = seed.direction(direction_id)
    assert verbatim in d.evaluation + d.text


def test_page_titles_and_headers_are_skipped_visibly(seed):
    assert [s["line"] for s in seed.skipped] == [3, 5, 15, 17]
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for s in seed.skipped:
        assert s["text"] == lines[s["line"] - 1]
        assert s["reason"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", strip_markup(text)).strip()


def test_every_nonempty_cell_of_the_seed_is_in_the_corpus(seed):
    """Nothing dropped silently: each cell is rebuilt from corpus fields plus recorded markers."""
    skipped = {s["line"] for s in seed.skipped}
    lines = SEED.read_text(encoding="utf-8").split("\n")
    checked = 0
    for number, line in enumerate(lines, 1):
        if not line.strip() or number in skipped:
            continue
        past = [d for d in seed.plan("P2").directions() if number in d.source_lines]
        future = [d for d in seed.plan("P3").directions() if number in d.source_lines]
        goals = [g for g in seed.plan("P3").goals if g.source_line == number] + \
                [g for g in seed.plan("P3").goals if any(number in d.source_lines for d in g.directions)]
        relisted_links = [l for l in seed.links if l.line == number and l.relisted]
        fields = []
        for d in past + future:
            fields += [d.title, d.evaluation, d.text, d.goal_label_raw, d.philosophy_raw, *d.initiatives]
        fields += [g.raw_label for g in goals]
        fields += [w.message for w in seed.warnings if w.line == number]
        fields = sorted({_norm(f) for f in fields if f.strip()}, key=len, reverse=True)
        for cell in line.split("\t"):
            rest = _norm(cell)
            if not rest:
                continue
            checked += 1
            if any(rest in f for f in fields):
                continue
            for f in fields:
                rest = rest.replace(f, " ")
            # structural markers: each must be recorded as structure on this line
            for match in re.finditer(r"[（(]※重点取組(\d+)[）)]", rest):
                assert any(d.priority == int(match.group(1)) for d in future), (number, match.group(0))
            rest = re.sub(r"[（(]※重点取組\d+[）)]", " ", rest)
            if "※再掲" in rest:
                assert relisted_links, number
                rest = rest.replace("※再掲", " ")
            for match in re.finditer(r"[（(](\d+)[）)]", rest):
                assert any(d.number == int(match.group(1)) for d in future), (number, match.group(0))
            rest = re.sub(r"[（(]\d+[）)]", " ", rest)
            for match in re.finditer(r"(?:^|\s)(\d+)\.(?=\s)", rest):
                assert any(len(d.initiatives) >= int(match.group(1)) for d in past), number
            rest = re.sub(r"(?:^|\s)\d+\.(?=\s)", " ", rest)
            assert not rest.strip(), f"line {number}: not in the corpus: {rest.strip()!r}"
    # 16 table rows × cols 2-4, plus the filled 基本理念 (4), 基本目標 (5) and next-plan (9) cells
    assert checked == 16 * 3 + 4 + 5 + 9


def test_import_source_recognises_the_seed_format(seed):
    again = import_source(SEED, name="higashimatsuyama")
    assert again == seed
    assert seed.sources[0]["format"] == "evaluation-table"
    assert len(seed.sources[0]["sha256"]) == 64
