"""The report's section 「単年度の評価から」 and its tables: the one-period findings of
:mod:`analysis.evaluations` (problems raised but decision 継続, 終了・縮小 with their reasons, theme
× decision and theme × attribute cross tables, rating distributions), shown when the corpus holds
decisions or ratings.

:func:`period_tables` gives the tables (Japanese columns, for ``tables/*.csv`` and the workbook,
named in :data:`PERIOD_TABLES`); :func:`period_sections` the section, or nothing.

>>> period_sections(type("D", (), {"period": None})(), {})
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..importers.decisions import CLASS_NAMES
from ..labels import STANCE

if TYPE_CHECKING:
    import pandas as pd

    from ..evaluations import CrossTable

# name -> (Japanese sheet name (≤ 31 chars), what the table holds); merged into TABLES.
PERIOD_TABLES = {
    "period_problems_kept": ("課題を挙げながら現状維持", "課題・持ち越しの文があり今後の方向性が継続・現状維持の事業"),
    "period_endings": ("終了・縮小とその理由", "今後の方向性が終了・廃止・休止または縮小の事業と理由の文"),
    "period_themes_by_decision": ("テーマ×今後の方向性", "テーマ×今後の方向性（χ²・期待度数・調整済み残差）"),
    "period_themes_by_attribute": ("テーマ×属性", "テーマ×属性（χ²・期待度数・調整済み残差）"),
    "period_ratings": ("評価項目の回答の分布", "評価項目ごとの回答の数（今後の方向性別）"),
}

_CROSS_COLUMNS = {"variable": "属性", "theme": "テーマ", "value": "値", "observed": "テーマを含む単位数",
                  "column_total": "値の単位数", "theme_total": "テーマの単位数", "expected": "期待度数",
                  "residual": "調整済み残差", "low_expected": "期待度数5未満", "chi2": "χ²", "dof": "自由度",
                  "p": "p値"}
_SENTENCE_COLUMNS = {"direction": "施策の方向ID", "title": "名称", "decision": "今後の方向性", "class": "分類",
                     "label": "記入者・項目", "text": "文", "stance": "姿勢", "file": "出典ファイル", "line": "出典行"}


def period_tables(data: Any) -> dict[str, "pd.DataFrame"]:
    """The one-period tables of the report (none when ``data.period`` is None).

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    dict of str to DataFrame
        By the names of :data:`PERIOD_TABLES`, Japanese columns and labels.
    """
    findings = getattr(data, "period", None)
    if findings is None:
        return {}
    frames = findings.frames()
    out = {}
    for key in ("problems_kept", "endings"):
        frame = frames[key].copy()
        frame["class"] = frame["class"].map(lambda c: CLASS_NAMES.get(c, c))
        frame["stance"] = frame["stance"].map(lambda s: STANCE.get(s, s))
        out[f"period_{key}"] = frame.rename(columns=_SENTENCE_COLUMNS)
    decision = frames["themes_by_decision"].copy()
    decision["value"] = decision["value"].map(lambda c: CLASS_NAMES.get(c, c))
    out["period_themes_by_decision"] = decision.rename(columns={**_CROSS_COLUMNS, "value": "今後の方向性"})
    out["period_themes_by_attribute"] = frames["themes_by_attribute"].rename(columns=_CROSS_COLUMNS)
    ratings = frames["ratings"]
    out["period_ratings"] = ratings.rename(columns={
        "question": "評価項目", "value": "回答", "count": "単位数",
        **{c: CLASS_NAMES.get(c.split(":", 1)[1], c) for c in ratings.columns if c.startswith("decision:")}})
    return out


def _cross_html(cross: "CrossTable", labels: dict[str, str] | None = None) -> str:
    from .markup import Raw, esc, table  # here: tables.py imports this module, markup imports tables

    labels = labels or {}
    header = ["テーマ", *[f"{labels.get(c, c)}（{n}）" for c, n in zip(cross.columns, cross.column_totals)], "χ²（p値）"]
    rows = []
    for row in cross.rows:
        cells = []
        for o, e, z, low in zip(row.observed, row.expected, row.residuals, row.low_expected):
            text = f"{o}（{e:.1f}, {'—' if z is None else f'{z:+.2f}'}）{'*' if low else ''}"
            strong = z is not None and abs(z) >= 1.96
            cells.append(Raw(f"<strong>{esc(text)}</strong>" if strong else esc(text)))
        chi2 = "—" if row.chi2 is None else f"{row.chi2:.2f}（{row.p:.3f}）{'*' if any(row.low_expected) else ''}"
        rows.append((f"{row.name}（{row.total}）", *cells, chi2))
    excluded = f"値のない {cross.excluded} 件は除いています。" if cross.excluded else ""
    return (f"<p>評価の単位 {cross.n} 件。{esc(excluded)}</p>" + table(header, rows, classes="crosstab"))


def _evidence_rows(items, key: str) -> list[tuple]:
    from .markup import Raw, esc

    rows = []
    for f in items:
        sentences = "".join(
            f"<li>[{esc(e.label or '—')}] {esc(e.text)}"
            + (f" <span class=\"stance stance-{esc(e.stance)}\">{esc(STANCE.get(e.stance, e.stance))}</span>"
               if e.stance else "") + "</li>"
            for e in getattr(f, key))
        where = f"{f.file} {'・'.join(str(n) for n in f.lines)}行" if f.lines else f.file
        rows.append((f"{f.direction} {f.title}", f.decision,
                     Raw(f'<ul class="sentences">{sentences}</ul>' if sentences else "理由の記載なし"), where))
    return rows


def period_sections(data: Any, tables: dict) -> list[tuple[str, str, str]]:
    """The section 「単年度の評価から」 as ``[(key, heading, html)]``, or ``[]`` when the report
    has no one-period findings (``data.period`` is None).

    Parameters
    ----------
    data : ReportData
    tables : dict
        The report's tables (unused; the section reads the findings).

    Returns
    -------
    list of (str, str, str)
    """
    findings = getattr(data, "period", None)
    if findings is None:
        return []
    from .markup import esc, table

    parts = [f"<p>{esc(findings.plan)} {esc(findings.plan_title)}"
             f"{'（' + esc(findings.period) + '）' if findings.period else ''}の評価の単位 {findings.units} 件について、"
             "今後の方向性・評価項目の回答・評価の文から集計しました。</p>"]
    parts += [f'<p class="note">※ {esc(n.message)}</p>' for n in findings.notes]
    if findings.decisions:
        parts.append("<p>今後の方向性：" + esc("、".join(f"{CLASS_NAMES.get(c, c)} {n} 件"
                                                     for c, n in findings.decisions.items())) + "</p>")
        parts.append(f"<h3>課題を挙げながら現状維持（{len(findings.problems_kept)} 件）</h3>"
                     "<p>評価の文に課題・持ち越しと判定した文があり、今後の方向性が継続・現状維持の事業です。</p>")
        parts.append(table(["事業", "今後の方向性", "課題の文（記入者・項目）", "出典"],
                           _evidence_rows(findings.problems_kept, "problems"),
                           widths=["24%", "14%", "50%", "12%"]))
        parts.append(f"<h3>終了・縮小とその理由（{len(findings.endings)} 件）</h3>")
        parts.append(table(["事業", "今後の方向性", "理由の文（記入者・項目）", "出典"],
                           _evidence_rows(findings.endings, "reasons"), widths=["24%", "14%", "50%", "12%"]))
    legend = ("<p>各セルはテーマを含む単位の数（期待度数, 調整済み残差）。太字は調整済み残差の絶対値が 1.96 以上"
              "（5% 水準で偏りあり）、* は期待度数 5 未満（χ² は参考値）。χ² はテーマごとに、"
              "テーマを含む単位・含まない単位 × 列の表で計算しています。</p>")
    if findings.themes_by_decision is not None:
        parts.append("<h3>テーマ × 今後の方向性</h3>" + legend)
        parts.append(_cross_html(findings.themes_by_decision, CLASS_NAMES))
    for header, cross in findings.themes_by_attribute.items():
        parts.append(f"<h3>テーマ × {esc(header)}</h3>" + ("" if findings.themes_by_decision else legend))
        parts.append(_cross_html(cross))
    if findings.ratings:
        parts.append("<h3>評価項目の回答の分布</h3>")
    for r in findings.ratings:
        classes = list(r.by_decision)
        rows = [(v, n, *[r.by_decision[c][i] for c in classes]) for i, (v, n) in enumerate(zip(r.values, r.counts))]
        parts.append(f"<h4>{esc(r.question)}</h4>"
                     + (f"<p>無回答 {r.unanswered} 件。</p>" if r.unanswered else "")
                     + table(["回答", "単位数", *[CLASS_NAMES.get(c, c) for c in classes]], rows))
    return [("period", "単年度の評価から", "".join(parts))]


__all__ = ["PERIOD_TABLES", "period_sections", "period_tables"]
