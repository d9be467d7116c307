"""Evaluation stance: cue matching on normalized forms, the decision rule, cue-file errors."""

from __future__ import annotations

import pytest

from analysis.corpus import Corpus, Direction, Goal, Plan
from analysis.errors import SettingsError
from analysis.stance import (
    STANCES, StanceRow, classify_stance, evaluation_stances, load_cues, parse_cues, stance_counts, stances_frame,
)
from analysis.tokens import tokenize, tokenize_units
from analysis.units import text_units

STANCE_CASES = [
    # (sentence, stance, a deciding cue as written)
    ("研修会を開催し、連携の強化を図ることができた。", "achieved", "ことができた"),
    ("地域の取組につなげることができた。", "achieved", "ことができた"),
    ("見守り活動が地域に定着した。", "achieved", "定着した"),
    ("サロンの運営支援に取り組んだ。", "done", "取り組んだ"),
    ("懇談会を開催した。", "done", "開催した"),
    ("担当部署と連携を進めた。", "done", "進めた"),
    ("協議体を開催。", "done", "開催"),  # a sentence ending in a noun
    ("新たな担い手の確保が課題となった。", "issue", "課題となった"),
    ("新たな担い手の確保が課題となつた。", "issue", "課題となつた"),  # the typo normalizes to 成る
    ("活動者の確保が課題となっている。", "issue", "課題となっている"),
    ("活動者の高齢化や担い手不足が見られた。", "issue", "高齢化"),  # markers only
    ("感染症の影響で講座を開催できなかった。", "issue", "開催できなかった"),
    ("計画の策定には至らなかった。", "issue", "には至らなかった"),
    # work that fell behind or did not move (the second half decides after が)
    ("個別計画の作成が遅れている。", "issue", "遅れている"),
    ("成年後見制度の利用促進に取り組んだが、市民後見人の養成が進まなかった。", "issue", "進まなかった"),
    ("講座への参加は低調であった。", "issue", "低調"),
    ("制度の周知が十分とは言えない。", "issue", "十分とは言えない"),
    ("研修を実施したが、効果は限定的であった。", "issue", "限定的"),
    ("地区による取組の差が見られる。", "issue", "差が見られる"),
    ("ネットワークづくりは次期計画へ持ち越しとした。", "carried_over", "持ち越し"),
    ("ネットワークづくりは次期計画へ持ち越しつとした。", "carried_over", "持ち越し"),  # stray つ
    ("実施方法は引き続き検討する。", "carried_over", "引き続き"),
    ("今後の課題として継続して取り組む。", "carried_over", "今後の課題"),
    # The contrast rule: the part after the last が／一方 decides.
    ("活動の推進に取り組んだが、担い手不足や停滞も見られ、担い手の確保が課題となった。", "issue", "課題となった"),
    ("研修を行ったが、参加者の拡大につなげることができた。", "achieved", "ことができた"),
    ("担い手育成に取り組んだが、高齢化が進む一方、新たな担い手の確保が課題となっている。", "issue", "課題となっている"),
    # が as a subject marker is no contrast; a result in the predicate outranks a problem word.
    ("担い手不足の解消につなげることができた。", "achieved", "ことができた"),
    ("課題や方向性を共有しながら、取り組みを進めることができた。", "achieved", "ことができた"),
    # "できない" inside a relative clause is not a failure.
    ("対応のできない生活課題への支援に取り組んだ。", "done", "取り組んだ"),
]


@pytest.mark.parametrize("text, stance, cue", STANCE_CASES)
def test_stance_of_sentences(text, stance, cue):
    result = classify_stance(tokenize(text)[0])
    assert result.stance == stance
    assert cue in result.cues


def test_cues_are_original_surfaces():
    result = classify_stance(tokenize("新たな担い手の確保が課題となつた。")[0])
    assert result.cues == ("課題となつた",)
    assert result.basis == "predicate"


@pytest.mark.parametrize("text", ["市内の状況。", "😀😀", "𠮷野家", "！？。"])
def test_no_cue_is_the_documented_default_and_says_so(text):
    cues = load_cues()
    result = classify_stance(tokenize(text)[0], cues=cues)
    assert result.stance == cues.default == "done"
    assert result.cues == () and result.basis == "default"


def test_a_changed_default_and_order_are_honoured():
    text = ('order = ["carried_over", "achieved", "issue", "planned", "done"]\ndefault = "issue"\n'
            '[predicates]\nissue = ["課題となる"]\nachieved = ["ことができた"]\n')
    cues = parse_cues(text)
    both = tokenize("課題となったが解決することができた。")[0]
    # no contrast words in this file, so the whole sentence decides, by the new order
    assert classify_stance(both, cues=cues).stance == "achieved"
    assert classify_stance(tokenize("状況。")[0], cues=cues).stance == "issue"


# --------------------------------------------------------------------------- cue files

@pytest.mark.parametrize("text, message, line", [
    ('order = ["issue"\n', "invalid TOML", 1),
    ('[predicates]\nissue = ["課題となる", "near(課題 不足)"]\n', "comma", 2),
    ('[predicates]\nissue = ["theme:連携"]\n', "theme: references", 2),
    ('[predicates]\nsuccess = ["できた"]\n', "unknown stance 'success'", 2),
    ('order = ["issue", "done"]\n', "order must list", 1),
    ('order = ["carried_over", "issue", "achieved", "done"]\n', "planned, 今後の方針, is a new stance", 1),  # an old file
    ('default = "unclassified"\n', "not a stance", 1),
    ('weights = 1\n', "unknown key 'weights'", 1),
])
def test_cue_file_errors_name_the_line(tmp_path, text, message, line):
    path = tmp_path / "stance.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as info:
        load_cues(path)
    assert info.value.file == str(path) and info.value.line == line


def test_missing_cue_file():
    with pytest.raises(SettingsError, match="not found"):
        load_cues("/nonexistent/stance.toml")


# --------------------------------------------------------------------------- units

def corpus() -> Corpus:
    d1 = Direction(id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="担い手の確保が課題となった",
                   initiatives=["担い手の確保が課題となった。"],
                   evaluation="サロンを開催した。しかし担い手の確保が課題となった。\n！？", source_lines=[10])
    d2 = Direction(id="P2-1-2", plan_id="P2", goal_number=1, number=2, title="防災",
                   evaluation="ネットワークづくりは次期計画へ持ち越しとした。", source_lines=[13])
    d3 = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="防災",
                   text="ネットワークの構築に取り組む。", source_lines=[13])
    return Corpus(name="t", plans=[
        Plan(id="P2", generation=2, title="t", goals=[Goal(plan_id="P2", number=1, title="g", directions=[d1, d2])]),
        Plan(id="P3", generation=3, title="t", role="next",
             goals=[Goal(plan_id="P3", number=1, title="g", directions=[d3])]),
    ])


def test_every_evaluation_sentence_and_nothing_else():
    rows = evaluation_stances(tokenize_units(text_units(corpus()), cache=False))
    assert [(r["direction"], r["line"], r["stance"]) for r in rows] == [
        ("P2-1-1", 10, "done"), ("P2-1-1", 10, "issue"), ("P2-1-2", 13, "carried_over"),
    ]  # titles, initiatives and next-plan texts are not evaluations; "！？" states nothing
    assert rows[1]["sentence"] == "しかし担い手の確保が課題となった。"
    assert rows[1]["unit"] == "P2-1-1:evaluation" and rows[1]["cues"] == ["課題となった"]
    assert set(rows[0]) >= {"sentence", "stance", "cues", "direction", "line", "unit"}
    assert all(list(r) == list(StanceRow.__annotations__) for r in rows)  # the typed record, in JSON order
    assert all(r["stance"] in STANCES for r in rows)
    assert stance_counts(rows) == {"achieved": 0, "done": 1, "issue": 1, "carried_over": 1, "planned": 0}


def test_stances_frame():
    tokens = tokenize_units(text_units(corpus()), cache=False)
    frame = stances_frame(tokens)
    assert list(frame["stance"]) == ["done", "issue", "carried_over"]
    assert frame.loc[1, "cues"] == "課題となった"


def test_bundled_corpus_evaluations_include_issues():
    from analysis.corpus_io import load_corpus

    rows = evaluation_stances(tokenize_units(text_units(load_corpus())))
    stances = {r["stance"] for r in rows}
    assert {"achieved", "issue", "carried_over"} <= stances
    assert all(r["line"] is not None for r in rows)


def test_skipping_cues_whose_words_are_absent_never_changes_a_stance(monkeypatch):
    """The fast path (a cue whose words occur nowhere in the sentence is not evaluated) gives the
    same stances, cues and scopes as evaluating every cue, on every evaluation sentence of the
    bundled corpus and of the stance test sentences."""
    import analysis.stance as stance
    from analysis.corpus_io import load_corpus
    from analysis.tokens import tokenize_corpus

    tokens = tokenize_corpus(load_corpus())
    fast = evaluation_stances(tokens)
    monkeypatch.setattr(stance, "_may_hold", lambda needles, view, seen: True)
    assert evaluation_stances(tokens) == fast
    assert len(fast) > 20


def test_a_citys_cue_file_is_compiled_with_its_own_variant_table(tmp_path):
    # the city's table says 諜 is written for 課, and its cue file is written that way
    from analysis.settings import Settings, default_settings
    from analysis.units import TextUnit

    bundled = default_settings().data_file("variants").read_text(encoding="utf-8")
    (tmp_path / "city_variants.tsv").write_text(bundled + "諜\t課\n", encoding="utf-8")
    (tmp_path / "city_stance.toml").write_text(
        'order = ["carried_over", "issue", "planned", "achieved", "done"]\ndefault = "done"\n'
        '[predicates]\nissue = ["諜題となる"]\n', encoding="utf-8")
    (tmp_path / "settings.toml").write_text(
        '[data]\nvariants = "city_variants.tsv"\nstance = "city_stance.toml"\n', encoding="utf-8")
    settings = Settings.load(tmp_path / "settings.toml")
    unit = TextUnit("d1:evaluation", "P", 1, 1, "d1", "evaluation", "担い手の確保が課題となった。", 1)
    tokens = tokenize_units([unit], settings=settings, cache=False)
    for cues in (load_cues(settings=settings), load_cues(tmp_path / "city_stance.toml", settings=settings)):
        [row] = evaluation_stances(tokens, cues=cues)
        assert row["stance"] == "issue"
    # read without the city's table, the cue is a word no text has
    [row] = evaluation_stances(tokens, cues=load_cues(tmp_path / "city_stance.toml"))
    assert row["stance"] == "done"


def _needle_texts():
    from analysis.stance import _plan

    cues = load_cues()
    return sorted({n for group in (cues.predicates, cues.markers, cues.contrast)
                   for needles in _plan(group).needles for n in needles or ()})


@pytest.fixture(scope="module")
def corpus_sentences():
    from analysis.corpus_io import load_corpus

    units = text_units(load_corpus())
    return [s for sentences in tokenize_units(units).sentences for s in sentences]


def test_the_cues_a_sentence_may_hold_are_those_the_plain_check_keeps(corpus_sentences):
    """_CuePlan.possible (needles filed by a character) against _may_hold tried cue by cue."""
    from hypothesis import given, settings, strategies as st

    from analysis.stance import _may_hold, _plan
    from analysis.themes import SentenceView

    cues = load_cues()
    groups = [_plan(group) for group in (cues.predicates, cues.markers, cues.contrast)]

    def check(sentence):
        view = SentenceView(sentence)
        for plan in groups:
            seen: dict = {}
            assert plan.possible(view) == [i for i, needles in enumerate(plan.needles)
                                           if _may_hold(needles, view, seen)], sentence.text

    held = 0
    for sentence in corpus_sentences:
        check(sentence)
        held += bool(groups[0].possible(SentenceView(sentence)))
    assert held > len(corpus_sentences) // 2  # the corpus's evaluations do hold cues

    pieces = st.sampled_from(_needle_texts() + ["地域の", "、", "。", "ＡＢ", "見守り", "が", "ﾎﾞﾗﾝﾃｨｱ"])

    @settings(derandomize=True, deadline=None, database=None, max_examples=150)
    @given(st.lists(pieces, min_size=1, max_size=8))
    def random_sentences(parts):
        for sentence in tokenize("".join(parts)):
            check(sentence)

    random_sentences()


def test_a_cue_inside_another_cues_words_is_not_named_again():
    # できなかった lies inside 達成できなかった, 課題だ (課題で) inside 課題である
    assert classify_stance(tokenize("目標を達成できなかった。")[0]).cues == ("達成できなかった",)
    assert classify_stance(tokenize("担い手の高齢化が課題である。")[0]).cues == ("課題である",)
