"""The report's figures: which ones a corpus gets, in page order, their captions, and the tables
and graph files behind them (the co-occurrence network's nodes, edges, Jaccard matrix and
GraphML), written beside the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..plots import generation_label
from .tables import goal_labels

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from .data import ReportData

# The tables behind the figures: name -> (Japanese sheet name (≤ 31 chars), what the table holds)
FIGURE_TABLES = {
    "cooccurrence_nodes": ("共起_語", "共起ネットワークの語（出現数・コミュニティ）"),
    "cooccurrence_edges": ("共起_線", "共起ネットワークの線（Jaccard 係数）"),
    "cooccurrence_jaccard": ("共起_Jaccard行列", "共起ネットワークの語どうしの Jaccard 係数（すべての組）"),
}

FIGURE_CAPTIONS = {
    "themes_by_generation": "図 計画世代別のテーマ：テーマを含むテキスト単位（名称・取組内容・評価・説明）の数",
    "themes_by_goal": "図 テーマ × 基本目標：色が濃いほど多く現れる",
    "keyness": "図 特徴語：前計画の評価と次期計画の方向性で、どちらに偏って現れる語か（G² 対数尤度比）",
    "cooccurrence": "図 共起ネットワーク：一緒に現れやすい語を線で結ぶ（語と線の選び方は図の下に記載）。"
                    "色は語のまとまり（コミュニティ）。語・線・Jaccard 係数の表は tables フォルダ、"
                    "グラフは graph/cooccurrence.graphml",
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
    if data.themes_by_goal is not None and len(corpus.chains()) == 1:  # many owners' goals: the CSV only
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
    if data.graph is not None and len(generations) >= 2 and len(corpus.chains()) == 1:
        figures["continuity"] = plots.continuity_diagram(corpus, data.links, findings=data.findings)
    return figures


def figure_tables(data: "ReportData") -> dict[str, "pd.DataFrame"]:
    """The tables behind the figures, with Japanese columns, keyed by :data:`FIGURE_TABLES`.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    dict of str to DataFrame
        The co-occurrence network's nodes, edges and the Jaccard matrix of its terms (every
        pair, the weak ones too), when the report has a network.
    """
    import pandas as pd

    from ..textstat.cooccurrence import cooccurrence_edges_frame, cooccurrence_nodes_frame, jaccard_matrix

    graph = data.cooccurrence
    if graph is None:
        return {}
    context = {"sentence": "文", "unit": "テキスト単位"}.get(graph.graph.get("unit"), "文脈")
    nodes = cooccurrence_nodes_frame(graph)
    edges = cooccurrence_edges_frame(graph)
    terms = nodes["term"].tolist()
    if data.tokens is not None and terms:
        matrix = jaccard_matrix(data.tokens, terms, unit=graph.graph.get("unit", "sentence"))
    else:
        matrix = pd.DataFrame(index=pd.Index(terms, name="term"), columns=terms, dtype=float)
    return {
        "cooccurrence_nodes": nodes.rename(columns={
            "term": "語", "label": "表記", "frequency": "出現数", "contexts": f"出現した{context}の数",
            "degree": "線の数", "community": "コミュニティ"}),
        "cooccurrence_edges": edges.rename(columns={
            "source": "語1", "target": "語2", "jaccard": "Jaccard", "cooccurrence": f"共起した{context}の数",
            "community": "コミュニティ"}),
        "cooccurrence_jaccard": matrix.rename_axis("語").reset_index(),
    }
