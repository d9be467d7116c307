"""Tokenization with real Sudachi: sentences, normalized forms, offsets, POS, threads, workers."""

from __future__ import annotations

import pickle
import threading

import pytest

from analysis.errors import SettingsError
from analysis.textnorm import SUDACHI_MAX_BYTES, utf8_size
from analysis.tokens import (
    Sentence,
    Token,
    Tokens,
    columns_for,
    dictionary_version,
    pos_ids,
    pos_table,
    tokenize,
    tokenize_units,
    tokenizer,
)
from analysis.units import TextUnit

PLAN = (
    "地域の見守り活動を推進した。ﾎﾞﾗﾝﾃｨｱの担い手不足が課題となった。\n"
    "「次期計画へ。」持ち越し（案。）とする。隨時、関係機関と連携した。"
)


def unit(i: int, text: str) -> TextUnit:
    return TextUnit(id=f"u{i}", plan_id="P1", generation=1, goal_number=1, direction_id="P1-1-1",
                    field="evaluation", text=text, line=i)


def check_offsets(text: str, sentences: list[Sentence]) -> None:
    """Tokens tile each sentence, surfaces are cut from the original text."""
    for s in sentences:
        assert text[s.start:s.end] == s.text
        position = s.start
        for t in s.tokens:
            assert t.begin == position and t.end > t.begin
            assert t.surface == text[t.begin:t.end]
            position = t.end
        assert position == s.end


def test_sentences_and_offsets():
    got = tokenize(PLAN)
    assert [s.text for s in got] == [
        "地域の見守り活動を推進した。", "ﾎﾞﾗﾝﾃｨｱの担い手不足が課題となった。",
        "「次期計画へ。」持ち越し（案。）とする。", "隨時、関係機関と連携した。",
    ]
    check_offsets(PLAN, got)


NORM_CASES = [
    ("ﾎﾞﾗﾝﾃｨｱ", ["ボランティア"]),
    ("ボランティア", ["ボランティア"]),
    ("担い手不足", ["担い手", "不足"]),
    ("隨時", ["随時"]),  # Sudachi leaves it out of vocabulary: the variant table folds it
]


@pytest.mark.parametrize("text, norms", NORM_CASES)
def test_normalized_forms(text, norms):
    (sentence,) = tokenize(text)
    assert [t.norm for t in sentence.tokens] == norms
    assert sentence.norms == norms
    assert "".join(t.surface for t in sentence.tokens) == text  # the original is kept for display


def test_variants_are_a_parameter():
    (sentence,) = tokenize("隨時", variants={})
    assert sentence.tokens[0].norm != "随時"


@pytest.mark.parametrize("mode", ["A", "B", "C"])
def test_split_modes(mode):
    got = tokenize("市民後見人養成", split_mode=mode)
    surfaces = [t.surface for t in got[0].tokens]
    assert "".join(surfaces) == "市民後見人養成"
    if mode == "A":
        assert "後見人" not in surfaces
    else:
        assert "後見人" in surfaces


def test_bad_split_mode():
    with pytest.raises(SettingsError):
        tokenize("連携", split_mode="D")


def test_pos_filtering_with_the_dictionarys_matcher():
    nouns = pos_ids([("名詞",)])
    verbs = pos_ids([("動詞",)])
    assert nouns and verbs and not nouns & verbs
    (sentence,) = tokenize("担い手不足が課題となった。")
    kept = [t.surface for t in sentence.tokens if t.pos_id in nouns]
    assert kept == ["担い手", "不足", "課題"]
    assert all(t.pos == pos_table()[t.pos_id] for t in sentence.tokens)
    assert sentence.pos_ids == [t.pos_id for t in sentence.tokens]


EDGE_CASES = [
    "",
    "   \n\u3000",
    "★☆◆※",
    "😀👍🏽テスト👨\u200d👩\u200d👧",
    "𠮷野家の𩸽",
    "\x00制御\x01文字\x1b",
    "ゼロ幅\u200bスペース\ufeff",
    "ｱｲｳｴｵ㈱①",
    "Qwxyzzyplugh とフロブニケート",  # out of vocabulary
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_odd_input_is_tokenized(text):
    got = tokenize(text)
    check_offsets(text, got)
    covered = "".join(s.text for s in got)
    assert covered.replace(" ", "") == "".join(text.split())


def test_lone_surrogates_are_tokenized_as_replacement_characters():
    text = "担い手\ud800不足。次\udfff"
    got = tokenize(text)
    check_offsets(text, got)
    surfaces = [t.surface for s in got for t in s.tokens]
    assert "\ud800" in surfaces and "\udfff" in surfaces  # the original is kept
    assert "担い手" in [t.norm for s in got for t in s.tokens]


def test_one_megabyte_without_punctuation():
    text = "地域福祉活動計画" * 44_000
    got = tokenize(text)
    assert max(utf8_size(s.text) for s in got) <= SUDACHI_MAX_BYTES
    check_offsets(text, got)
    norms = [n for s in got for n in s.norms]
    assert norms.count("福祉") >= 44_000 - len(got)  # a cut breaks at most one word per piece


def test_sentence_is_a_value():
    a = tokenize("連携した。")[0]
    b = Sentence("連携した。", 0, 5, tuple(a.tokens))
    assert a == b and hash(a) == hash(b)
    assert pickle.loads(pickle.dumps(a)) == a
    assert "連携" in repr(a)
    assert isinstance(a.tokens[0], Token)
    assert Sentence("x", 0, 1).tokens == ()


def test_forgotten_tokens_are_built_again_from_the_columns():
    a = tokenize("担い手不足が課題となった。連携した。")
    first = [s.tokens for s in a]
    for s in a:
        s.forget_tokens()
    assert [s.tokens for s in a] == first and all(x is not y for x, y in zip(first, (s.tokens for s in a)))
    built = Sentence("連携した。", 0, 5, tuple(first[1]))  # no columns: its tokens are all it has
    built.forget_tokens()
    assert built.tokens == first[1]


def test_decoded_columns_share_their_forms():
    from analysis.tokens import TokenColumns, tokenize_columns

    texts = ["地域の見守り活動を推進した。", "見守り活動の担い手が不足している。"]
    decoded = [TokenColumns.decode(t, tokenize_columns(t).encode()) for t in texts]
    shared = set(decoded[0].norms) & set(decoded[1].norms)
    assert {"見守る", "活動"} <= shared  # normalized forms
    for form in shared:  # one object per form across texts (a national corpus holds millions of tokens)
        assert decoded[0].norms[decoded[0].norms.index(form)] is decoded[1].norms[decoded[1].norms.index(form)]


def test_one_tokenizer_per_thread():
    texts = [PLAN * 3] * 4
    expected = [[t for s in tokenize(t) for t in s.tokens] for t in texts]
    errors: list[BaseException] = []
    results: dict[int, list] = {}
    seen = set()

    def work(k: int) -> None:
        try:
            seen.add(id(tokenizer("C")))
            out = []
            for _ in range(20):
                out = [[t for s in tokenize(t) for t in s.tokens] for t in texts]
            results[k] = out
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(seen) == 4
    assert all(r == expected for r in results.values())


def test_tokenize_units_and_tokens():
    units = [unit(1, PLAN), unit(2, "地域の担い手不足。")]
    toks = tokenize_units(units, cache=False)
    assert isinstance(toks, Tokens) and len(toks) == 2
    assert toks.norms(1) == ["地域", "の", "担い手", "不足", "。"]
    assert toks.pos_ids(1) == [t.pos_id for s in toks.sentences[1] for t in s.tokens]
    assert toks.settings["tokens"]["split_mode"] == "C"
    assert toks.settings["tokens"]["dictionary"] == dictionary_version()
    for (u, sentences) in toks:
        check_offsets(u.text, sentences)
    seen = []
    tokenize_units(units, cache=False, progress=lambda i, n: seen.append((i, n)))
    assert seen[-1] == (2, 2)


def test_two_workers_give_the_same_tokens(monkeypatch):
    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)  # small inputs use processes too
    texts = [PLAN, "", "😀\ud800", "見守り" * 50, "隨時連携。"] * 6
    one = columns_for(texts, workers=1)
    two = columns_for(texts, workers=2)
    assert [c.encode() for c in one] == [c.encode() for c in two]
    units = [unit(i, t) for i, t in enumerate(texts)]
    assert tokenize_units(units, workers=2, cache=False).sentences == tokenize_units(units, cache=False).sentences


def test_columns_from_the_workers_come_with_sentences_equal_to_tokenize(monkeypatch):
    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    texts = ["見守り活動を行った。担い手不足が課題。", "隨時連携。", ""] * 4
    for columns, text in zip(columns_for(texts, workers=2), texts):
        made = columns.sentences()  # the ones cut while the workers ran
        assert all(s.columns is columns for s in made)
        assert made == tokenize(text) == columns.sentences()  # later calls build them again
        assert [s.norms for s in made] == [s.norms for s in tokenize(text)]


@pytest.mark.parametrize("seed", range(40))
def test_shares_hand_out_every_text_once_in_runs_that_shrink_as_the_ends_meet(seed):
    import random

    from analysis.tokens import _Shares

    rng = random.Random(seed)
    lengths = [rng.choice([0, 1, 5, 30, 200]) for _ in range(rng.randint(0, 60))]
    parts, min_chars = rng.randint(1, 10), rng.choice([1, 10, 100])
    shares = _Shares(["x" * n for n in lengths], parts=parts, min_chars=min_chars)
    fronts, backs = [], []
    while shares.left():
        left = sum(lengths[shares.lo:shares.hi])
        from_front = rng.random() < 0.5
        run = shares.front() if from_front else shares.back()
        (fronts if from_front else backs).append(run)
        # texts in the order taken: from the front forwards, from the back backwards
        chars = [lengths[i] for i in (run if from_front else reversed(run))]
        assert run, "a run is never empty while texts are left"
        # about 1/parts of what was left (never under min_chars): short of it only when it reaches
        # the other end, over it by less than its last text
        size = max(left // parts, min_chars)
        assert sum(chars) >= size or shares.left() == 0
        assert sum(chars[:-1]) < size
    assert shares.front() == range(shares.lo, shares.lo) and shares.back() == range(shares.hi, shares.hi)
    # the front runs follow each other from the first text, the back runs from the last
    assert [i for r in fronts for i in r] == list(range(len([i for r in fronts for i in r])))
    taken_back = [i for r in backs for i in r]
    assert sorted(taken_back) == list(range(len(lengths) - len(taken_back), len(lengths)))
    assert all(a.start == b.stop for a, b in zip(backs, backs[1:]))
    assert sorted([i for r in fronts for i in r] + taken_back) == list(range(len(lengths)))


def test_a_worker_that_has_not_answered_leaves_the_texts_to_this_process(monkeypatch):
    """This process never waits for a worker while texts are left: a worker that has not answered
    yet keeps the runs it was sent (one tokenizing, one waiting) and this process takes the rest."""
    import analysis.tokens as tokens_module
    from analysis.tokenworkers import Worker

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(tokens_module, "MIN_RUN_CHARS", 1)
    monkeypatch.setattr(Worker, "ready", lambda self: False)  # answers only when waited for
    runs = []
    monkeypatch.setattr(Worker, "send", lambda self, run, texts, send=Worker.send: runs.append(run) or send(self, run, texts))
    texts = [PLAN, "隨時連携。", "見守り" * 30] * 20
    assert [c.encode() for c in columns_for(texts, workers=2)] == [c.encode() for c in columns_for(texts)]
    assert len(runs) == tokens_module.AHEAD and sum(map(len, runs)) < len(texts) // 2


def test_three_processes_give_the_same_tokens(monkeypatch):
    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    texts = [PLAN, "隨時連携。", "", "見守り" * 30] * 5
    assert [c.encode() for c in columns_for(texts, workers=3)] == [c.encode() for c in columns_for(texts)]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("enabled", [True, False])
def test_tokenizing_leaves_garbage_collection_as_it_was(monkeypatch, workers, enabled):
    import gc

    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    units = [unit(i, t) for i, t in enumerate(["見守り活動。", "地域の担い手不足。"] * 3)]
    (gc.enable if enabled else gc.disable)()
    try:
        tokenize_units(units, workers=workers, cache=False)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_tokens_are_put_into_the_oldest_generation_at_once():
    """Young collections after tokenizing do not walk the tokens again (they live as long as the
    analysis); collection itself stays on."""
    import gc

    units = [unit(i, t) for i, t in enumerate(["見守り活動。", "地域の担い手不足。"] * 3)]
    assert gc.isenabled()
    toks = tokenize_units(units, cache=False)
    sentence = toks.sentences[1][0]
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert gc.is_tracked(sentence) and id(sentence) not in young
    assert any(o is sentence for o in gc.get_objects(generation=2)) and gc.isenabled()


def test_bad_workers():
    with pytest.raises(SettingsError):
        tokenize_units([unit(1, "連携")], workers=0, cache=False)


def test_dictionary_version_names_both_packages():
    assert "sudachipy=" in dictionary_version() and "sudachidict-core=" in dictionary_version()


@pytest.mark.parametrize("text", ["連携した。", "", "a\x1fb\x1f", "\x1f", "見守り。\n\n担い手"])
def test_columns_round_trip(text):
    from analysis.tokens import TokenColumns, tokenize_columns

    cols = tokenize_columns(text)
    back = TokenColumns.decode(text, cols.encode())
    assert back.norms == cols.norms and back.pos == cols.pos and back.ends == cols.ends
    assert back.sentences() == tokenize(text)


def test_a_variant_table_is_read_once_while_its_file_is_unchanged(tmp_path):
    import os

    from analysis.settings import Settings
    from analysis.tokens import settings_variants

    table = tmp_path / "v.tsv"
    table.write_text("隨\t随\n", encoding="utf-8")
    (tmp_path / "settings.toml").write_text('[data]\nvariants = "v.tsv"\n', encoding="utf-8")
    settings = Settings.load(tmp_path / "settings.toml")
    first = settings_variants(settings)
    assert first == {"隨": "随"} and settings_variants(settings) is first  # one dict: memos per table hold
    table.write_text("隨\t随\n髙\t高\n", encoding="utf-8")
    os.utime(table, ns=(os.stat(table).st_atime_ns, os.stat(table).st_mtime_ns + 10**9))
    assert settings_variants(settings) == {"隨": "随", "髙": "高"}  # an edited table is read again
