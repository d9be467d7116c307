"""analysis.themes.candidates: themes the lexicon lacks, from compound terms and co-occurrence."""

from __future__ import annotations

from analysis.themes import parse_lexicon, theme_candidates
from analysis.tokens import tokenize_units
from analysis.units import text_units
from themes_cases import evaluation_corpus


# Other business of the plan, so that the candidates' words are not background vocabulary.
OTHER_BUSINESS = [f"{word}について報告した。" for word in (
    "予算", "決算", "人事", "規程", "会議", "理事会", "評議員会", "監査", "広報誌", "会員", "寄付",
    "物品", "車両", "施設", "保険", "契約", "名簿", "事務局")]


def evaluation_tokens(texts: list[str]):
    return tokenize_units(text_units(evaluation_corpus(texts + OTHER_BUSINESS), fields=("evaluation",)), cache=False)


def test_candidates_propose_uncovered_compounds_with_reasons():
    texts = ["移動支援サービスの充実を図った。", "買い物の移動支援サービスを行った。", "移動支援サービスを開始した。",
             "見守り活動を行った。", "見守り活動を広げた。", "地域の活動を行った。"]
    tokens = evaluation_tokens(texts)
    lexicon = parse_lexicon('[[theme]]\nname = "見守り"\nterms = ["見守り"]\n')
    found = theme_candidates(tokens, lexicon, top=10)
    names = [c["name"] for c in found]
    assert "移動支援サービス" in names
    assert not any("見守り" in c["name"] for c in found)  # covered by a theme
    first = found[names.index("移動支援サービス")]
    assert first["source"] == "terms" and "テーマ" in first["why"]
    assert theme_candidates(tokens, lexicon, top=0) == []


def test_candidates_from_a_cooccurrence_community():
    texts = ["市民農園で野菜の収穫を楽しんだ。", "農園の野菜を収穫した。", "農園で野菜を育て収穫した。",
             "見守り活動を行った。", "見守り活動と声かけを広げた。"]
    tokens = evaluation_tokens(texts)
    lexicon = parse_lexicon('[[theme]]\nname = "見守り"\nterms = ["見守り", "声かけ"]\n')
    [community] = [c for c in theme_candidates(tokens, lexicon, top=10) if c["source"] == "cooccurrence"]
    assert set(community["terms"]) == {"野菜", "収穫", "農園"}
    assert "共起" in community["why"]
