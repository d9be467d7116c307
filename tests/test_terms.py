"""Tests for the analysis.terms package as a whole: its re-exports, every stage on odd text, the
bundled corpus end to end (real Sudachi)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.terms import frequency_table, kwic, load_stopwords, term_table, tfidf_by_direction
from analysis.tokens import Tokens, tokenize
from terms_corpus import make_tokens

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_corpus_terms_end_to_end():
    if not (ROOT / "corpus" / "higashimatsuyama").exists():
        pytest.skip("the bundled corpus is not there yet")
    from analysis.corpus_io import load_corpus
    from analysis.units import text_units

    units = text_units(load_corpus())
    tokens = Tokens(units=units, sentences=[tokenize(u.text) for u in units])
    table = term_table(tokens, method="flr", top=None)
    keys = [t.key for t in table]
    assert "担い手不足" in keys
    top = keys[:40]
    for term in ["地域福祉コーディネーター", "第2層協議体"]:
        assert term in top, term
    stop = load_stopwords()
    assert not any(part in stop for t in table[:40] for part in (t.parts[0], t.parts[-1]))
    assert kwic(tokens, "担い手不足")


# ---------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("text", [
    "", "。、！？", "😀😀😀担い手不足😀", "𠮷野家の𩸽と担い手不足", "ｱｲｳ" * 3, "\u3000\n\t",
])
def test_every_stage_accepts_odd_text(text):
    tokens = make_tokens([text, "担い手不足が課題。"])
    assert [t.key for t in term_table(tokens, method="flr", top=None)][:1] == ["担い手不足"]
    term_table(tokens, method="cvalue", top=None)
    frequency_table(tokens)
    tfidf_by_direction(tokens)
    assert len(kwic(tokens, "担い手不足")) == ("担い手不足" in text) + 1


# ----------------------------------------------------------------- names kept working

def test_old_names_still_import_from_analysis_terms_and_the_package():
    import analysis
    import analysis.terms as terms
    import analysis.textstat as textstat

    # the statistics moved to analysis.textstat; analysis.terms still hands them out
    for name in ("frequency_table", "tfidf_by_direction", "tfidf_frame", "keyness", "keyness_statistics",
                 "kwic", "kwic_frame", "MEASURES", "CORRECTIONS"):
        assert getattr(terms, name) is getattr(textstat, name), name
    for name in ("keyness", "kwic", "tfidf_by_direction", "frequency_table", "cooccurrence_graph",
                 "communities", "cooccurrence_edges_frame", "g2", "term_table", "load_stopwords"):
        assert getattr(analysis, name) is getattr(textstat if hasattr(textstat, name) else terms, name), name
    with pytest.raises(AttributeError):
        terms.no_such_name  # noqa: B018


def test_edges_frame_is_the_continuity_graphs_and_the_cooccurrence_one_has_its_own_name():
    import analysis
    from analysis import continuity
    from analysis.textstat import cooccurrence_edges_frame, cooccurrence_graph

    # issue 10 §6: analysis.edges_frame resolved to the co-occurrence table (KeyError on a
    # continuity graph); it is the continuity graph's now
    assert analysis.edges_frame is continuity.edges_frame
    assert analysis.cooccurrence_edges_frame is cooccurrence_edges_frame
    # the old module is gone: one name, one place
    with pytest.raises(ModuleNotFoundError):
        import analysis.cooccurrence  # noqa: F401
    tokens = make_tokens(["担い手不足とサロン運営。", "担い手不足とサロン運営。"])
    frame = analysis.cooccurrence_edges_frame(cooccurrence_graph(tokens))
    assert frame[["source", "target"]].values.tolist() == [["サロン運営", "担い手不足"]]
