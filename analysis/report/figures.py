"""The report's figures: which ones a corpus gets, in page order, and their captions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..plots import generation_label
from .tables import goal_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .data import ReportData

FIGURE_CAPTIONS = {
    "themes_by_generation": "図 計画世代別のテーマ：テーマを含むテキスト単位（名称・取組内容・評価・説明）の数",
    "themes_by_goal": "図 テーマ × 基本目標：色が濃いほど多く現れる",
    "keyness": "図 特徴語：前計画の評価と次期計画の方向性で、どちらに偏って現れる語か（G² 対数尤度比）",
    "cooccurrence": "図 共起ネットワーク：同じ文に現れやすい語を線で結ぶ。色は語のまとまり（コミュニティ）",
    "continuity": "図 継続性の図：左が前計画の施策の方向、右が次期計画の方向性。実線は文書が示すつながり、"
                  "破線は本文の類似から計算したつながり",
}


def report_figures(data: "ReportData") -> dict[str, "Figure"]:
    """The report's figures, in the order the page shows them.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    dict of str to matplotlib Figure
        Keys among those of :data:`FIGURE_CAPTIONS`; keyness and continuity only with two
        generations or more.  Close them with :func:`analysis.plots.figures_close`.
    """
    from .. import plots

    figures = {}
    corpus = data.corpus
    generations = corpus.generations()
    if data.themes_by_generation is not None:
        figures["themes_by_generation"] = plots.theme_bars(data.themes_by_generation, by="generation")
    if data.themes_by_goal is not None:
        figures["themes_by_goal"] = plots.theme_heatmap(data.themes_by_goal, by="goal",
                                                        labels=goal_labels(corpus))
    if data.keyness is not None and len(generations) >= 2:
        figures["keyness"] = plots.keyness_chart(
            data.keyness, top=data.settings.get("report", "keyness_top"),
            target_label=f"{generation_label(generations[-2])}の評価",
            reference_label=f"{generation_label(generations[-1])}の方向性")
    if data.cooccurrence is not None:
        figures["cooccurrence"] = plots.cooccurrence_network(
            data.cooccurrence, seed=data.settings.get("report", "seed"),
            top=data.settings.get("report", "network_nodes"))
    if data.graph is not None and len(generations) >= 2:
        figures["continuity"] = plots.continuity_diagram(corpus, data.links, findings=data.findings)
    return figures
