"""The report's tables: DataFrames with Japanese columns, for the CSV files and the workbook.

:func:`report_tables` makes every table of :data:`TABLES` from a :class:`ReportData`;
:func:`plans_frame`, :func:`directions_frame` and :func:`comparison_frames` are its parts that
need no analysis (the notebooks use them on their own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..corpus import Corpus
from ..labels import (COMPARISON_COLUMNS, COMPARISON_STATUS, FIELD, FINDING_KIND, FINDING_STATUS, LINK_KIND, STANCE,
                      STANCE_BASIS)
from ..plots import generation_label
from .period import PERIOD_TABLES, period_tables

if TYPE_CHECKING:
    import pandas as pd

    from .data import ReportData

# name -> (Japanese sheet name (≤ 31 chars), what the table holds)
TABLES = {
    "plans": ("計画", "計画世代ごとの概要"),
    "directions": ("施策の方向", "すべての施策の方向"),
    "units": ("テキスト単位", "分析したテキスト（名称・取組内容・評価・説明）"),
    "themes_by_generation": ("テーマ×世代", "テーマの出現数（計画世代別）"),
    "themes_by_goal": ("テーマ×基本目標", "テーマの出現数（基本目標別）"),
    "terms": ("重要語", "重要語（単語と複合語）と出現数・文書数"),
    "keyness": ("特徴語", "評価と次期の方向性の特徴語（G²）"),
    "stances": ("評価の姿勢", "評価文ごとの姿勢と手がかり語"),
    "links": ("つながり", "施策の方向どうしのつながり"),
    "findings": ("所見", "継続・新規・消えた・課題の行方"),
    "comparison_goals": ("比較_基本目標", "基本目標の対応"),
    "comparison_directions": ("比較_施策の方向", "施策の方向の対応"),
    "comparison_themes": ("比較_テーマの増減", "テーマの増減（G²）"),
    "comparison_terms": ("比較_重要語の増減", "重要語の増減（G²）"),
    "comparison_priorities": ("比較_重点取組", "重点取組の変化"),
    "owner_similarity": ("策定主体の比較", "策定主体ごとの近い策定主体（テーマの類似度）"),
    "warnings": ("取り込み時の注意", "取り込み時の警告"),
    **PERIOD_TABLES,
}


def goal_labels(corpus: Corpus) -> dict[str, str]:
    """Goal keys as theme counts name them (``P2-G1``) → a readable label.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    dict of str to str
        ``"第{generation}次 目標{number} {label or title}"`` for every goal.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal
    >>> plan = Plan(id="P2", generation=2, title="第2次", goals=[Goal("P2", 1, "つなげる")])
    >>> goal_labels(Corpus(name="例", plans=[plan]))
    {'P2-G1': '第2次 目標1 つなげる'}
    """
    out = {}
    for plan in corpus.plans:
        for goal in plan.goals:
            short = goal.label or goal.title
            out[goal.id] = f"第{plan.generation}次 目標{goal.number if goal.number is not None else '?'}" + (
                f" {short}" if short else "")
    return out


def direction_titles(corpus: Corpus) -> dict[str, str]:
    """Direction id → its title, for every direction of ``corpus``.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    dict of str to str
    """
    return {d.id: d.title for d in corpus.directions()}


def line_text(line: Any, corpus: "Corpus | None" = None) -> str:
    """A source line as the report writes it after a sentence; empty when unknown.  With the
    ``corpus``, a row of a PDF or Word source reads as its page, table and row (「p.3 表2 5行」).

    Parameters
    ----------
    line : int or None
    corpus : Corpus, optional

    Returns
    -------
    str

    >>> line_text(12), line_text(None)
    ('（12行）', '')
    """
    if line in (None, "", 0):
        return ""
    return f"（{corpus.place(line)}）" if corpus is not None else f"（{line}行）"


def report_tables(data: "ReportData") -> dict[str, "pd.DataFrame"]:
    """Every table of the report, keyed by the names of :data:`TABLES`.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    dict of str to DataFrame
        Column names in Japanese (what a planner reads in Excel); ``links``, ``findings`` and the
        ``comparison_*`` tables only when the corpus has two generations or more,
        ``owner_similarity`` only when it holds the plans of several owners.
    """
    corpus = data.corpus
    out: dict[str, Any] = {
        "plans": plans_frame(corpus, units=data.units),
        "directions": directions_frame(corpus),
        "units": _units_frame(data.units),
    }
    if data.themes_by_generation is not None:
        frame = data.themes_by_generation.copy()
        frame.columns = [generation_label(c) for c in frame.columns]
        out["themes_by_generation"] = frame.rename_axis("テーマ").reset_index()
    if data.themes_by_goal is not None:
        labels = goal_labels(corpus)
        frame = data.themes_by_goal.copy()
        frame.columns = [labels.get(str(c), str(c)) for c in frame.columns]
        out["themes_by_goal"] = frame.rename_axis("テーマ").reset_index()
    if data.terms is not None:
        out["terms"] = _terms_frame(data.terms)
    if data.keyness is not None:
        import pandas as pd

        out["keyness"] = pd.DataFrame(data.keyness).rename(
            columns={"term": "語", "target_count": "評価での頻度", "reference_count": "次期の方向性での頻度",
                     "g2": "G²", "chi2": "χ²", "p": "p値"})
    out["stances"] = _stances_frame(data.stances)
    if data.graph is not None:
        out["links"] = _links_frame(data.links, direction_titles(corpus))
        out["findings"] = _findings_frame(data.findings, data.corpus)
    for name, frame in comparison_frames(data.comparison).items():
        out[f"comparison_{name}"] = _japanese_columns(frame)
    if data.owners is not None:
        out["owner_similarity"] = owner_similarity_frame(data.owners, data.owner_profiles)
    out["warnings"] = _warnings_frame(corpus)
    out.update(period_tables(data))
    return out


#: The Japanese columns of ``owner_similarity`` (the columns of :func:`analysis.owners.nearest_owners`).
OWNER_COLUMNS = {"owner": "策定主体", "plans": "計画", "rank": "順位", "neighbour": "近い策定主体",
                 "similarity": "類似度", "shared": "共通するテーマ"}


def owner_similarity_frame(nearest: "pd.DataFrame", profiles: Any = None) -> "pd.DataFrame":
    """Each owner's nearest owners with Japanese columns (and each owner's plans, given the
    profiles).

    Parameters
    ----------
    nearest : DataFrame
        What :func:`analysis.owners.nearest_owners` gives.
    profiles : OwnerProfiles, optional
        Adds the column 計画 (the ids of the plans counted, ``、``-joined).

    Returns
    -------
    DataFrame
        策定主体, 計画, 順位, 近い策定主体, 類似度, 共通するテーマ; plans without an owner as
        「（策定主体の記載なし）」.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame([{"owner": "甲市", "rank": 1, "neighbour": "", "similarity": 0.5, "shared": "見守り"}])
    >>> owner_similarity_frame(frame).columns.tolist()
    ['策定主体', '順位', '近い策定主体', '類似度', '共通するテーマ']
    """
    import pandas as pd

    from ..owners import owner_label

    frame = nearest.copy()
    frame["owner"] = frame["owner"].map(owner_label)
    frame["neighbour"] = [owner_label(n) if pd.notna(rank) else "" for n, rank in zip(frame["neighbour"], frame["rank"])]
    if profiles is not None:
        plans = {owner_label(o): "、".join(p) for o, p in zip(profiles.owners, profiles.plans)}
        frame.insert(1, "plans", frame["owner"].map(plans))
    return frame.rename(columns=OWNER_COLUMNS)


def _units_frame(units: list) -> "pd.DataFrame":
    import pandas as pd

    columns = ["テキスト単位ID", "計画ID", "世代", "基本目標", "施策の方向ID", "項目", "本文", "出典ファイル", "出典行"]
    return pd.DataFrame(
        [{"テキスト単位ID": u.id, "計画ID": u.plan_id, "世代": u.generation, "基本目標": u.goal_number,
          "施策の方向ID": u.direction_id, "項目": FIELD.get(u.field, u.field), "本文": u.text,
          "出典ファイル": u.file, "出典行": u.line} for u in units],
        columns=columns).astype({"基本目標": "Int64", "出典行": "Int64"})


def _terms_frame(terms) -> "pd.DataFrame":
    import pandas as pd

    from ..terms.keyterms import COLUMN_LABELS, KIND_LABELS

    terms = pd.DataFrame(terms)
    if "kind" in terms.columns:
        terms["kind"] = terms["kind"].map(lambda k: KIND_LABELS.get(k, k))
    order = ("term", "kind", "score", "total_frequency", "frequency", "document_frequency", "parts")
    keep = [c for c in order if c in terms.columns]
    return terms[keep].rename(columns=COLUMN_LABELS)


def _stances_frame(stances: list[dict]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(
        [{"施策の方向ID": s.get("direction"), "姿勢": STANCE.get(s.get("stance"), s.get("stance")),
          "手がかり語": "、".join(s.get("cues") or []),
          "判定": STANCE_BASIS.get(s.get("basis"), s.get("basis")), "評価文": s.get("sentence"), "出典行": s.get("line")}
         for s in stances],
        columns=["施策の方向ID", "姿勢", "手がかり語", "判定", "評価文", "出典行"]).astype({"出典行": "Int64"})


def _links_frame(links: list[dict], titles: dict[str, str]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(
        [{"前計画の施策の方向ID": r["from"], "前計画の名称": titles.get(r["from"], ""),
          "次期計画の方向性ID": r["to"], "次期計画の名称": titles.get(r["to"], ""),
          "種類": LINK_KIND.get(r.get("kind"), r.get("kind")), "再掲": bool(r.get("relisted")),
          "類似度": r.get("score"), "共通する語": "、".join(r.get("shared_terms") or []),
          "出典行": r.get("line")} for r in links],
        columns=["前計画の施策の方向ID", "前計画の名称", "次期計画の方向性ID", "次期計画の名称", "種類", "再掲",
                 "類似度", "共通する語", "出典行"]).astype({"出典行": "Int64"})


def _findings_frame(findings: list[dict], corpus: Corpus | None = None) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for f in findings:
        evidence = f.get("evidence") or []
        rows.append({
            "計画": f.get("plans", ""), "種類": FINDING_KIND.get(f.get("kind"), f.get("kind")),
            "対象": f.get("subject"), "判定": FINDING_STATUS.get(f.get("status"), f.get("status")),
            "前計画の施策の方向": "、".join(f.get("past") or []),
            "次期計画の方向性": "、".join(f.get("next") or []),
            "前計画での出現": f.get("past_count"), "次期計画での出現": f.get("next_count"),
            "共通する語": "、".join(f.get("shared") or []),
            "根拠": "\n".join(f"{e.get('direction', '')} {line_text(e.get('line'), corpus)}: {e.get('sentence', '')}"
                            for e in evidence),
        })
    return pd.DataFrame(rows, columns=["計画", "種類", "対象", "判定", "前計画の施策の方向", "次期計画の方向性",
                                       "前計画での出現", "次期計画での出現", "共通する語", "根拠"])


def _warnings_frame(corpus: Corpus) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(
        [{"ファイル": w.file, "行": w.line, "項目": w.field, "内容": w.message} for w in corpus.warnings],
        columns=["ファイル", "行", "項目", "内容"]).astype({"行": "Int64"})


def plans_frame(corpus: Corpus, *, units: list | None = None) -> "pd.DataFrame":
    """One row per plan, with Japanese columns.

    Parameters
    ----------
    corpus : Corpus
    units : list of TextUnit, optional
        The corpus's text units when already made (:func:`analysis.units.text_units` otherwise).

    Returns
    -------
    DataFrame
        Generation, title, owner, period, role, 基本理念 and the number of goals, directions,
        priority directions and text units.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan
    >>> plans_frame(Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次")]))["計画名"].tolist()
    ['第1次']
    """
    import pandas as pd

    from ..units import text_units

    units = text_units(corpus) if units is None else units
    per_plan: dict[str, int] = {}
    for u in units:
        per_plan[u.plan_id] = per_plan.get(u.plan_id, 0) + 1
    columns = ["計画ID", "世代", "計画名", "策定主体", "期間", "役割", "基本理念", "基本目標数", "施策の方向数",
               "重点取組数", "テキスト単位数"]
    return pd.DataFrame([
        {"計画ID": p.id, "世代": p.generation, "計画名": p.title, "策定主体": p.owner, "期間": p.period,
         "役割": "評価対象" if p.role == "evaluated" else "次期計画", "基本理念": p.philosophy,
         "基本目標数": len(p.goals), "施策の方向数": sum(len(g.directions) for g in p.goals),
         "重点取組数": sum(1 for d in p.directions() if d.priority),
         "テキスト単位数": per_plan.get(p.id, 0)}
        for p in corpus.plans], columns=columns)


def directions_frame(corpus: Corpus) -> "pd.DataFrame":
    """One row per policy direction, with Japanese columns, its texts and source lines.

    Parameters
    ----------
    corpus : Corpus

    Returns
    -------
    DataFrame
        Columns 施策の方向ID, 計画ID, 世代, 基本目標, 基本目標名, 番号, 名称, 重点取組, 取組内容, 評価,
        方向性の説明, 出典ファイル, 出典行.
    """
    import pandas as pd

    columns = ["施策の方向ID", "計画ID", "世代", "基本目標", "基本目標名", "番号", "名称", "重点取組", "取組内容",
               "評価", "方向性の説明", "出典ファイル", "出典行"]
    rows = [{"施策の方向ID": d.id, "計画ID": plan.id, "世代": plan.generation, "基本目標": goal.number,
             "基本目標名": goal.title, "番号": d.number, "名称": d.title, "重点取組": d.priority,
             "取組内容": "\n".join(d.initiatives), "評価": d.evaluation, "方向性の説明": d.text,
             "出典ファイル": d.source_file, "出典行": "、".join(str(n) for n in d.source_lines)}
            for plan in corpus.plans for goal in plan.goals for d in goal.directions]
    return pd.DataFrame(rows, columns=columns).astype({"基本目標": "Int64", "番号": "Int64", "重点取組": "Int64"})


def comparison_frames(comparison: Any) -> dict[str, "pd.DataFrame"]:
    """The generation comparison as named DataFrames.

    Parameters
    ----------
    comparison : Comparison, dict or None
        What :func:`analysis.compare.compare_generations` gives (an object with ``frames()``), or
        a dict of frames / lists of row dicts.

    Returns
    -------
    dict of str to DataFrame
        Empty when ``comparison`` is None.

    Examples
    --------
    >>> list(comparison_frames({"themes": [{"subject": "見守り", "status": "grew"}]}))
    ['themes']
    """
    import pandas as pd

    if comparison is None:
        return {}
    if isinstance(comparison, pd.DataFrame):
        return {"比較": comparison}
    if isinstance(comparison, dict):
        items = comparison
    elif callable(getattr(comparison, "frames", None)):
        items = comparison.frames()
    elif hasattr(comparison, "to_dict") and not hasattr(comparison, "__dataclass_fields__"):
        items = comparison.to_dict()
    elif hasattr(comparison, "__dataclass_fields__"):
        items = {k: getattr(comparison, k) for k in comparison.__dataclass_fields__}
    else:
        items = dict(vars(comparison))
    out = {}
    for name, value in items.items():
        if isinstance(value, pd.DataFrame):
            out[str(name)] = value
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[str(name)] = pd.DataFrame(value)
    return out


def _japanese_columns(frame: "pd.DataFrame") -> "pd.DataFrame":
    frame = frame.copy()
    if "status" in frame.columns:
        frame["status"] = frame["status"].map(lambda v: COMPARISON_STATUS.get(v, v))
    return frame.rename(columns=COMPARISON_COLUMNS)
