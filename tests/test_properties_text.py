"""Property-based tests of the text pipeline (issue 7): any Unicode text goes through
tokenization, theme coding, evaluation stance and compound terms without another exception than
the project's own, and the offsets always point into the original text.

Checked for every text: each token's ``original[begin:end] == surface``; tokens of a sentence are
contiguous inside it; sentence spans cover every non-space character; no sentence is over
Sudachi's input limit; themes and stance cues quote the original wording.

Real Sudachi; bounded (fixed number of examples) and reproducible (``derandomize=True``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.stance import STANCES, classify_stance, evaluation_stances
from analysis.terms import compound_candidates, term_table
from analysis.textnorm import SUDACHI_MAX_BYTES, utf8_size
from analysis.themes import code_units, load_lexicon
from analysis.tokens import Tokens, tokenize, tokenize_units
from analysis.units import TextUnit

PROPERTY = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = ["担い手不足", "が課題となった", "。", "、", "連携", "することができた", "に取り組んだ", "次期計画へ持ち越し",
          "「", "」", "（", "）", "(", "！", "？", "ﾎﾞﾗﾝﾃｨｱ", "隨時", "見守り", "😀", "👨‍👩‍👧", "🇯🇵", "𠮷", "が\u3099",
          "\u200d", "\ufe0f", "\ud800", "\udfff", "\x00", "\x07", "\x1b", "\t", "\n", "\r", "\r\n", "\u2028",
          "\x85", "\x0b", "\x0c", "\u3000", " ", "<script>", "&amp;", "\ufffd", "\ufeff", "\u202e", "ｱ", "Ａ",
          "1.", "(1)", "第2層協議体", "…", "〜"]
TEXTS = st.one_of(
    st.text(max_size=120),  # any code points, surrogates included
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    # very long runs: no punctuation at all, over Sudachi's 49,149-byte limit in one "sentence"
    st.tuples(st.sampled_from(["あ", "担い手", "😀", "a", "𠮷", "\u3099", "（", "\ud800"]),
              st.integers(min_value=1, max_value=20_000)).map(lambda t: t[0] * t[1]),
    st.tuples(st.sampled_from(PIECES), st.integers(min_value=1, max_value=3_000),
              st.text(max_size=10)).map(lambda t: t[0] * t[1] + t[2]),
)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def check_tokens(text: str, sentences) -> None:
    covered = bytearray(len(text))
    previous_end = 0
    for s in sentences:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.text == text[s.start:s.end]
        assert s.start >= previous_end, "sentences overlap or go back"
        previous_end = s.end
        assert utf8_size(s.text) <= SUDACHI_MAX_BYTES
        position = s.start
        for token in s.tokens:
            assert text[token.begin:token.end] == token.surface
            assert token.begin == position, "tokens are not contiguous"
            # Sudachi emits zero-width tokens where its normalization expands a character
            # (… → three "." tokens, the last two empty): allowed, but never a negative width
            assert token.end >= token.begin
            position = token.end
        assert position == s.end or not s.tokens
        assert any(t.end > t.begin for t in s.tokens) or not s.text.strip()
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    missing = [i for i, ch in enumerate(text) if not covered[i] and not ch.isspace()]
    assert not missing, f"non-space characters outside every sentence at {missing[:5]}: " \
                        f"{[text[i] for i in missing[:5]]!r}"


@settings(max_examples=300, **PROPERTY)
@given(text=TEXTS)
def test_tokenize_any_text_offsets_and_sentences(text):
    check_tokens(text, tokenize(text))  # any text is analysed: no input makes it fail


@settings(max_examples=60, **PROPERTY)
@given(texts=st.lists(TEXTS, min_size=1, max_size=4), split_mode=st.sampled_from(["A", "B", "C"]))
def test_units_through_themes_stance_and_terms(lexicon, texts, split_mode):
    units = [TextUnit(id=f"P2-1-{i}:evaluation", plan_id="P2", generation=2, goal_number=1,
                      direction_id=f"P2-1-{i}", field="evaluation", text=t, line=i + 1)
             for i, t in enumerate(texts)]
    tokens = tokenize_units(units, split_mode=split_mode, cache=False, workers=1)
    coded = code_units(tokens, lexicon)
    stances = evaluation_stances(tokens)
    candidates = compound_candidates(tokens)
    table = term_table(tokens, top=None)
    assert isinstance(tokens, Tokens) and len(tokens) == len(units)
    for unit, sentences in tokens:
        check_tokens(unit.text, sentences)
    for item in coded:
        for name, matches in item.themes.items():
            assert name in lexicon.names
            for match in matches:
                assert match.sentence in item.unit.text  # evidence is the original sentence
                for word in match.words:
                    assert word in match.sentence
    for row in stances:
        assert row["stance"] in STANCES
        assert row["sentence"] in texts[int(row["direction"].rsplit("-", 1)[1])]
        for cue in row["cues"]:
            assert cue in row["sentence"]
    for key, count in candidates.frequency.items():
        assert count >= 1
        assert any(candidates.display[key] in t for t in texts), candidates.display[key]
        assert candidates.units[key] and all(0 <= u < len(units) for u in candidates.units[key])
    assert {t.key for t in table} <= set(candidates.frequency)
    for term in table:
        assert any(term.term in t for t in texts), term.term
        assert term.total_frequency >= term.frequency >= 1
        assert 1 <= term.document_frequency <= len(units)


@settings(max_examples=150, **PROPERTY)
@given(text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join))
def test_stance_of_any_sentence_is_one_of_four_and_quotes_the_sentence(text):
    for sentence in tokenize(text):
        result = classify_stance(sentence)
        assert result.stance in STANCES
        for cue in result.cues:
            assert cue in sentence.text


@pytest.mark.parametrize("text", [
    "あ" * 60_000,  # 180,000 bytes without punctuation
    "😀" * 20_000,  # 4-byte characters only
    "が\u3099" * 20_000,  # combining marks all along
    "（" + "担い手不足" * 10_000,  # a bracket that never closes
    "\ud800" * 17_000,  # lone surrogates over the limit
])
def test_very_long_runs_never_reach_sudachi_whole(text):
    check_tokens(text, tokenize(text))


# -- all the way to the report: corpus text and lexicon names are shown as text, never markup ------

def _payload(field: str) -> str:
    return f'<img src=x onerror="alert(1)">{field}<script>window.x=1</script>&amp;"\''


REPORT_FIELDS = ["corpus", "plan-title", "owner", "period", "philosophy", "goal-title", "goal-label",
                 "goal-raw", "direction-title", "initiative", "evaluation", "next-title", "description",
                 "warning", "warning-file", "source-file", "theme-name"]


def _hostile_corpus():
    from analysis.corpus import Corpus, Direction, Goal, ImportWarning, Link, Plan

    p = _payload
    past = Plan(id="P2", generation=2, title="第2次計画" + p("plan-title"), owner=p("owner"),
                period=p("period"), philosophy=p("philosophy"), role="evaluated", source_file="a.txt",
                source_line=1)
    goal = Goal(plan_id="P2", number=1, title="つながる" + p("goal-title"), label=p("goal-label"),
                raw_label=p("goal-raw"), source_line=2)
    goal.directions.append(Direction(
        id="P2-1-1", plan_id="P2", goal_number=1, number=1, title="見守りの推進" + p("direction-title"),
        initiatives=["見守り訪問" + p("initiative")], evaluation="見守りに取り組んだが担い手不足が課題となった" +
        p("evaluation"), source_file="a.txt", source_lines=[3]))
    past.goals.append(goal)
    future = Plan(id="P3", generation=3, title="第3次計画", role="next", source_file="a.txt", source_line=1)
    next_goal = Goal(plan_id="P3", number=1, title="つなげる", source_line=3)
    next_goal.directions.append(Direction(
        id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="見守りの強化" + p("next-title"),
        text="見守りの担い手を育てる" + p("description"), source_file="a.txt", source_lines=[3]))
    future.goals.append(next_goal)
    return Corpus(name="ある町" + p("corpus"), plans=[past, future],
                  links=[Link(source="P2-1-1", target="P3-1-1", kind="stated", line=3)],
                  warnings=[ImportWarning(line=3, message="確認" + p("warning"), file=p("warning-file"))],
                  sources=[{"file": p("source-file"), "sha256": "0" * 64, "format": "csv"}])


def test_report_shows_every_field_as_text(tmp_path):
    """Complements tests/test_report.py (one payload for all fields) with a distinct payload per
    field, so a field that is shown unescaped, or not at all, is named; theme names come from a
    user's lexicon."""
    import html

    from analysis import report
    from analysis.settings import Settings

    (tmp_path / "lexicon.toml").write_text(
        "[[theme]]\nname = '''見守り" + _payload("theme-name") + "'''\nterms = [\"見守り\"]\n", encoding="utf-8")
    (tmp_path / "settings.toml").write_text('[data]\nlexicon = "lexicon.toml"\n[report]\npng = false\n',
                                            encoding="utf-8")
    settings = Settings.load(tmp_path / "settings.toml")
    page = report.render_html(report.report_data(_hostile_corpus(), settings=settings), generated_at=False)
    assert "<script" not in page.lower() and "<img src=x" not in page.lower()
    assert [f for f in REPORT_FIELDS if _payload(f) in page] == []
    # the page shows every field but the raw goal cell and the initiatives (those are in the tables)
    shown = [f for f in REPORT_FIELDS if f not in ("goal-raw", "initiative")]
    missing = [f for f in shown if html.escape(_payload(f), quote=True) not in page]
    assert missing == [], f"fields not shown (escaped) in the report: {missing}"


# -- settings, lexicon, stance cues, stop list and variant table, damaged by hand -----------------

def _mutated(text: str):
    """``text`` with a few edits a person makes by mistake: characters deleted or typed, a line
    duplicated or cut, a quote or bracket lost."""
    @st.composite
    def build(draw):
        lines = text.split("\n")
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(lines) - 1))
            action = draw(st.sampled_from(["delete", "insert", "duplicate", "cut", "drop-quote"]))
            line = lines[at]
            if action == "delete" and line:
                i = draw(st.integers(0, len(line) - 1))
                lines[at] = line[:i] + line[i + 1:]
            elif action == "insert":
                i = draw(st.integers(0, len(line)))
                piece = draw(st.one_of(st.sampled_from(['"', "'", "[", "]", "=", "{", "#", "\\", "\x00", "\ud800",
                                                        "(", ")", "&", "|", "!", "theme:無い", "near(", ",", "0",
                                                        "-1", "1e999", "true"]), st.text(max_size=6)))
                lines[at] = line[:i] + piece + line[i:]
            elif action == "duplicate":
                lines.insert(at, line)
            elif action == "cut":
                lines[at] = line[:draw(st.integers(0, len(line)))]
            elif '"' in line:
                i = line.index('"')
                lines[at] = line[:i] + line[i + 1:]
        return "\n".join(lines)
    return build()


def _data_text(name: str) -> str:
    from analysis.settings import data_path

    return data_path(name).read_text(encoding="utf-8")


@settings(max_examples=80, **PROPERTY)
@given(data=st.data(), which=st.sampled_from(["settings.toml", "themes.toml", "stance.toml", "stopwords.txt",
                                              "variants.tsv"]))
def test_damaged_data_files_load_or_raise_a_settings_error_naming_the_file(tmp_path_factory, data, which):
    from analysis.errors import SettingsError
    from analysis.settings import Settings
    from analysis.stance import load_cues
    from analysis.terms import load_stopwords
    from analysis.textnorm import load_variants
    from analysis.themes import load_lexicon

    text = data.draw(_mutated(_data_text(which)))
    path = tmp_path_factory.mktemp("data") / which
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    loaders = {"settings.toml": Settings.load, "themes.toml": load_lexicon, "stance.toml": load_cues,
               "stopwords.txt": load_stopwords, "variants.tsv": load_variants}
    try:
        loaded = loaders[which](path)
    except Exception as error:  # noqa: BLE001 - only our own error, naming the file
        assert isinstance(error, SettingsError), f"{type(error).__name__}: {error}"
        assert error.file is not None and Path(error.file).name == which, str(error)
        return
    if which == "themes.toml":  # what loads must also code text
        code_units(tokenize_units([TextUnit(id="u", plan_id="P1", generation=1, goal_number=1, direction_id="d",
                                            field="evaluation", text="担い手不足が課題となった。", line=1)],
                                  cache=False), loaded)
