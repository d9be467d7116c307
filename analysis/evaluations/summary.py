"""The one-period findings as a Japanese listing (what ``keikaku gaps`` prints after its notes).

>>> from analysis.evaluations.findings import Note, PeriodFindings
>>> print(period_summary(PeriodFindings(plan="P1", plan_title="第1次", period="", units=3,
...                                     notes=[Note("no_decisions", "今後の方向性の列がありません")])))
# 単年度の評価から: P1 第1次（評価の単位 3 件）
※ 今後の方向性の列がありません
<BLANKLINE>
"""

from __future__ import annotations

from ..importers.decisions import CLASS_NAMES
from ..labels import STANCE
from .crosstab import CrossTable
from .findings import Evidence, PeriodFindings


def _where(file: str, lines) -> str:
    lines = [str(n) for n in lines if n]
    return f"{file} {'・'.join(lines)}行" if lines else file or "行不明"


def _evidence(e: Evidence) -> str:
    stance = f"（{STANCE.get(e.stance, e.stance)}）" if e.stance else ""
    return f"    [{e.label or '—'}] {' '.join(e.text.split())}{stance}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def cross_table_lines(table: CrossTable, *, labels: dict[str, str] | None = None) -> list[str]:
    """A cross table as lines: per theme, each column's count (expected, adjusted residual) and χ².

    Parameters
    ----------
    table : CrossTable
    labels : dict, optional
        Labels for the column values.

    Returns
    -------
    list of str
    """
    labels = labels or {}
    heads = "、".join(f"{labels.get(c, c)} {n}" for c, n in zip(table.columns, table.column_totals))
    lines = [f"  単位の数: {heads}（計 {table.n}" + (f"、値のない単位 {table.excluded} は除外" if table.excluded else "") + "）",
             "  各セル: テーマを含む単位の数（期待度数, 調整済み残差）。* は期待度数 5 未満（χ² は参考値）"]
    for row in table.rows:
        cells = "、".join(f"{labels.get(c, c)} {o}（{e:.2f}, {_signed(z)}）{'*' if low else ''}"
                         for c, o, e, z, low in zip(table.columns, row.observed, row.expected, row.residuals,
                                                    row.low_expected))
        chi2 = ("χ² 計算不可" if row.chi2 is None else
                f"χ²={row.chi2:.2f}（自由度 {row.dof}, p={row.p:.3f}）{'*' if any(row.low_expected) else ''}")
        lines.append(f"- {row.name}（{row.total} 件）: {cells} — {chi2}")
    return lines


def period_summary(findings: PeriodFindings) -> str:
    """The findings as a readable Japanese listing, its notes first.

    Parameters
    ----------
    findings : PeriodFindings

    Returns
    -------
    str
    """
    title = f"{findings.plan} {findings.plan_title}".strip()
    period = f"{findings.period}、" if findings.period else ""
    if any(n.code == "no_evaluations" for n in findings.notes):  # claim no evaluation where there is none
        lines = [f"# 単年度の評価から: {title}（{period}施策の方向・事業 {findings.units} 件、評価なし）"]
    else:
        lines = [f"# 単年度の評価から: {title}（{period}評価の単位 {findings.units} 件）"]
    lines += [f"※ {n.message}" for n in findings.notes]
    if findings.decisions:
        lines += ["", "## 今後の方向性（単位の数）",
                  "  " + "、".join(f"{CLASS_NAMES.get(c, c)} {n}" for c, n in findings.decisions.items()),
                  "", f"## 課題を挙げながら現状維持（{len(findings.problems_kept)} 件）"]
        if not findings.problems_kept:
            lines.append("- 該当なし（継続・現状維持の事業の評価に、課題・持ち越しと判定した文はありません）")
        for f in findings.problems_kept:
            lines.append(f"- {f.direction} {f.title}（{_where(f.file, f.lines)}、{f.decision}）")
            lines += [_evidence(e) for e in f.problems]
        lines += ["", f"## 終了・縮小とその理由（{len(findings.endings)} 件）"]
        if not findings.endings:
            lines.append("- 該当なし（今後の方向性が終了・廃止・休止または縮小の事業はありません）")
        for f in findings.endings:
            lines.append(f"- [{CLASS_NAMES.get(f.class_, f.class_)}] {f.direction} {f.title}"
                         f"（{_where(f.file, f.lines)}、{f.decision}）")
            lines += [_evidence(e) for e in f.reasons] or ["    理由の記載なし"]
    if findings.themes_by_decision is not None:
        lines += ["", "## テーマ × 今後の方向性"]
        lines += cross_table_lines(findings.themes_by_decision, labels=CLASS_NAMES)
    for header, table in findings.themes_by_attribute.items():
        lines += ["", f"## テーマ × {header}"]
        lines += cross_table_lines(table)
    if findings.ratings:
        lines += ["", "## 評価項目の回答の分布（単位の数）"]
    for r in findings.ratings:
        counts = "、".join(f"{v} {n}" for v, n in zip(r.values, r.counts))
        answered = findings.units - r.unanswered  # units answering; a continued row may answer again
        several = f"（回答 {sum(r.counts)} 件、回答した単位 {answered} 件：複数の回答がある単位があります）" \
            if sum(r.counts) > answered else ""
        lines.append(f"- {r.question}: {counts}" + (f"（無回答 {r.unanswered}）" if r.unanswered else "") + several)
        for c, row in r.by_decision.items():
            lines.append(f"    {CLASS_NAMES.get(c, c)}: " + "、".join(f"{v} {n}" for v, n in zip(r.values, row)))
    other = [h for h in findings.attributes if h not in findings.themes_by_attribute]
    if other:
        lines += ["", f"属性でのクロス表は --by 見出し で（使える属性: {'、'.join(other)}）"]
    return "\n".join(lines) + "\n"


__all__ = ["cross_table_lines", "period_summary"]
