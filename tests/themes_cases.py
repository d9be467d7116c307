"""Lexicons and corpora shared by the themes tests (tests/test_themes_*.py)."""

from __future__ import annotations

from analysis.corpus import Corpus, Direction, Goal, Plan

# Four themes of terms and one near() rule; a theme never seen in the tiny corpus (災害).
LEXICON = """
[[theme]]
name = "連携・協働"
terms = ["連携", "協働"]

[[theme]]
name = "担い手不足"
rules = ["near(担い手, 確保 | 不足, 3)"]

[[theme]]
name = "見守り"
terms = ["見守り"]

[[theme]]
name = "災害"
terms = ["災害"]
"""

# Every kind of rule: a theme that holds without a word, references, seq(), phrases, not.
FAST_LEXICON = LEXICON + '''
[[theme]]
name = "介護なし"
terms = []
rules = ["!介護"]

[[theme]]
name = "参照"
terms = ["ＮＰＯ法人"]
rules = ["theme:介護なし & (見守り | 相談)", "seq(相談, 窓口 | 体制, 2)"]

[[theme]]
name = "子ども"
terms = []
rules = ["(子ども | 児童) & !児童委員", "near(\\"民生委員 児童委員\\", 連携, 8)"]

[[theme]]
name = "否定だけ"
terms = ["ボランティア"]
rules = ["!(研修 | 会議) & near(担い手 | 人材, 確保 | 不足, 1)", "theme:参照 | \\"取組\\""]
'''


def evaluation_corpus(texts: list[str]) -> Corpus:
    """One plan (P2, generation 2, goal 1) with a direction per text, the text its evaluation."""
    directions = [Direction(id=f"P2-1-{i}", plan_id="P2", goal_number=1, number=i, title="t", evaluation=text)
                  for i, text in enumerate(texts, 1)]
    return Corpus(name="t", plans=[Plan(id="P2", generation=2, title="t", goals=[
        Goal(plan_id="P2", number=1, title="g", directions=directions)])])
