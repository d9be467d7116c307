"""The Japanese labels planners read, one place for the report, the CLI and compare.

Each mapping takes the code a result carries (``"taken_up"``, ``"grew"`` …) to the words shown to
people.  :func:`ja` falls back to the code itself, so an unknown code is visible, never hidden.

>>> ja(FINDING_STATUS, "dropped"), ja(COMPARISON_STATUS, "grew"), ja(STANCE, "unknown")
('消えた', '増加', 'unknown')
"""

from __future__ import annotations

from typing import Mapping

#: Evaluation stance of a sentence (analysis.stance).
STANCE = {"achieved": "達成", "done": "取り組んだ", "issue": "課題", "carried_over": "持ち越し",
          "planned": "今後の方針"}
STANCE_ORDER = ("achieved", "done", "issue", "carried_over", "planned")
#: How a sentence's stance was decided (analysis.stance: StanceResult.basis).
STANCE_BASIS = {"predicate": "述語の手がかり語", "marker": "目印の語", "default": "手がかり語なし（既定）"}

#: What a finding is about (analysis.continuity).
FINDING_KIND = {"theme": "テーマ", "term": "重要語", "problem": "課題", "direction": "施策の方向"}

#: A finding's status: themes and terms, problems, where a direction went.
FINDING_STATUS = {
    "continued": "継続", "new": "新規", "dropped": "消えた", "taken_up": "取り上げられた",
    "not_taken_up": "取り上げられていない", "same_title": "同じ名称", "renamed": "名称変更",
    "merged": "統合", "split": "分割", "reorganised": "再編", "no_successor": "後継なし",
}

#: The field of a direction a text unit comes from.
FIELD = {"title": "名称", "initiative": "取組内容", "evaluation": "評価", "description": "方向性の説明"}

#: Where a link between two directions comes from.
LINK_KIND = {"stated": "文書が示す", "content": "内容の類似"}

#: The sections of a comparison of two generations (analysis.compare).
COMPARISON_SECTION = {
    "goals": "基本目標の対応", "directions": "施策の方向の対応", "themes": "テーマの増減",
    "terms": "重要語の増減", "priorities": "重点取組の変化",
}

#: A row's status in a comparison: mappings, shifts (G²), priorities.  "removed" says only that
#: the older item has no counterpart, not that it was abolished; "continued_in" / "continued_from"
#: that it has none one-to-one but the continuity findings give it a successor / predecessor.
COMPARISON_STATUS = {
    "same_title": "同じ名称", "changed": "変更", "added": "追加", "removed": "削除", "grew": "増加",
    "shrank": "減少", "stable": "有意な差なし", "kept": "維持", "renumbered": "番号変更",
    "continued_in": "対応なし（後継あり）", "continued_from": "対応なし（前身あり）",
}

#: Column headers of the comparison tables.
COMPARISON_COLUMNS = {
    "older": "前計画", "newer": "次期計画", "older_title": "前計画の名称", "newer_title": "次期計画の名称",
    "similarity": "類似度", "number": "番号の一致", "title": "名称", "content": "内容の類似",
    "status": "判定", "subject": "対象", "older_count": "前計画の文数", "newer_count": "次期計画の文数",
    "older_sentences": "前計画の全文数", "newer_sentences": "次期計画の全文数", "g2": "G²",
    "older_priority": "前計画の重点", "newer_priority": "次期計画の重点", "successors": "継続性の後継・前身",
}


def ja(labels: Mapping[str, str], code):
    """The Japanese label of ``code`` in ``labels``, or ``code`` itself when it has none."""
    return labels.get(code, code)


__all__ = ["STANCE", "STANCE_ORDER", "STANCE_BASIS", "FINDING_KIND", "FINDING_STATUS", "FIELD", "LINK_KIND",
           "COMPARISON_SECTION", "COMPARISON_STATUS", "COMPARISON_COLUMNS", "ja"]
