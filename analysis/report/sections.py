"""The sections of the report page, each HTML built from escaped parts (see :mod:`.markup`).

:func:`page_sections` gives them in page order; :func:`analysis.report.html.render_html` puts
them on the page with the cover and the table of contents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..continuity import holds_evaluations
from ..labels import COMPARISON_COLUMNS, COMPARISON_SECTION, COMPARISON_STATUS, FINDING_STATUS, LINK_KIND, STANCE, STANCE_ORDER
from ..plots import plan_label
from .markup import Raw, embedded_figure, esc, frame_table, table
from .period import period_sections
from .tables import comparison_frames, direction_titles, line_text

if TYPE_CHECKING:
    from .data import ReportData


def page_sections(data: "ReportData", tables: dict, figures: dict, *,
                  stamp: str | None = None) -> list[tuple[str, str, str]]:
    """The sections of the report page, in order.

    Parameters
    ----------
    data : ReportData
    tables : dict of str to DataFrame
        :func:`~analysis.report.tables.report_tables` of ``data``.
    figures : dict of str to Figure or bytes
        The figures to embed (SVG bytes or matplotlib figures), by name.
    stamp : str, optional
        The "generated at" text of the last section; None leaves the line out.

    Returns
    -------
    list of (key, heading, html)
        ``key`` is the section's ``id``, ``heading`` its Japanese title (plain text).
    """
    return [
        ("overview", "コーパスの概観", _section_overview(data, tables)),
        ("themes", "テーマ（計画世代・基本目標別）", _section_themes(data, tables, figures)),
        ("terms", "重要語と特徴語", _section_terms(data, tables, figures)),
        ("stances", "施策の方向ごとの評価の姿勢", _section_stances(data)),
        *period_sections(data, tables),
        ("continuity", "継続性の図", _section_continuity(data, tables, figures)),
        ("findings", "所見：継続・新規・消えたもの、課題の行方", _section_findings(data)),
        ("comparison", "計画世代の比較", _section_comparison(data, tables)),
        *_owner_sections(data),
        ("about", "この報告書について", _section_about(data, stamp)),
    ]


def _section_overview(data: "ReportData", tables: dict) -> str:
    corpus = data.corpus
    plans = tables["plans"].to_dict("records")
    owners = len(corpus.chains())
    what = f"計画 {len(corpus.plans)} 件（策定主体 {owners}、" if owners > 1 else f"計画 {len(corpus.plans)} 世代（"
    shown, more = _capped(plans, data, "tables/plans.csv")
    parts = [_key_points(data),
        f"<p>このレポートは、{esc(corpus.name)} の{what}"
        f"{esc('・'.join(plan_label(corpus.plan_by_generation(g)) for g in corpus.generations()))}）を分析したものです。"
        f"施策の方向 {sum(1 for _ in corpus.directions())} 件、テキスト単位 {len(data.units)} 件"
        f"（名称・取組内容・評価・方向性の説明）を対象にしました。</p>", more,
        table(["世代", "計画名", "期間", "役割", "基本目標", "施策の方向", "重点取組", "テキスト単位"],
               [(r["世代"], r["計画名"], r["期間"], r["役割"], r["基本目標数"], r["施策の方向数"], r["重点取組数"],
                 r["テキスト単位数"]) for r in shown],
               widths=["8%", "30%", "18%", "10%", "8%", "9%", "8%", "9%"]),
    ]
    limit, listed = int(data.settings.get("report", "list_rows")), 0
    for k, plan in enumerate(corpus.plans):
        listed += sum(1 for _ in plan.directions())
        if listed > limit and k > 0:  # a page a committee can print: the rest are in the tables
            parts.append(f"<p>ほかの計画 {len(corpus.plans) - k} 件の施策の方向は tables/directions.csv と "
                         "Excel にあります。</p>")
            break
        parts.append(f'<h3>{esc(plan_label(plan))}：{esc(plan.title)}</h3>')
        if plan.philosophy:
            parts.append(f'<p class="philosophy">基本理念：{esc(plan.philosophy)}</p>')
        rows = []
        for goal in plan.goals:
            for d in goal.directions:
                rows.append((f"{goal.number if goal.number is not None else ''} {goal.label or goal.title}",
                             d.number if d.number is not None else "", d.title,
                             "★" + str(d.priority) if d.priority else "",
                             "、".join(str(n) for n in d.source_lines[:3])))
        parts.append(table(["基本目標", "番号", "施策の方向", "重点", "出典行"], rows,
                            widths=["24%", "7%", "51%", "7%", "11%"]))
    if corpus.warnings:
        parts.append(f"<h3>取り込み時の注意（{len(corpus.warnings)} 件）</h3>"
                     "<p>原文の矛盾や推測した箇所です。原文の該当行を確認してください。</p>")
        parts.append(table(["ファイル", "行", "内容"],
                            [(w.file, w.line, w.message) for w in corpus.warnings], widths=["22%", "8%", "70%"]))
    return "".join(parts)


def _direction_outcomes(findings: list[dict]) -> list[tuple[str, int]]:
    """How many past directions kept their title, were renamed, merged, split, reorganised or
    ended."""
    past = [f for f in findings if f.get("side", "past") == "past" and f.get("status") != "new"]
    order = ("same_title", "renamed", "merged", "split", "reorganised", "no_successor")
    return [(k, sum(1 for f in past if f.get("status") == k)) for k in order]


def _groups(findings: list[dict]) -> list[tuple[str, ...]]:
    """The reorganisation groups of direction findings (each its members, past ones first)."""
    return list(dict.fromkeys(tuple(f.get("group") or ()) for f in findings
                              if f.get("kind") == "direction" and f.get("group")))


def _pair_points(data: "ReportData", pair: str, group: list[dict], plans: dict, *, labelled: bool) -> list[str]:
    """The key points of one plan pair (``"P2→P3"``), from its findings (``group``) only."""
    past_id, _, next_id = pair.partition("→")
    past_plan, next_plan = plans[past_id], plans[next_id]
    old, new = plan_label(past_plan), plan_label(next_plan)
    return _points(group, [past_plan], [next_plan], old=old, new=new, prefix=f"{old}→{new}　" if labelled else "")


def _points(group: list[dict], past_plans: list, next_plans: list, *, old: str, new: str, prefix: str,
            tally: bool = False) -> list[str]:
    """Directions' outcomes, themes and problems of ``group`` (the findings of the pairs of
    ``past_plans`` → ``next_plans``); ``tally``: each theme named with its number of pairs (a sum
    over many pairs counts a theme once per pair)."""
    by_kind: dict[tuple, list[dict]] = {}
    for f in group:
        by_kind.setdefault((f.get("kind"), None), []).append(f)
        by_kind.setdefault((f.get("kind"), f.get("status")), []).append(f)

    def of(kind, status=None):
        return by_kind.get((kind, status), [])

    def names(items, limit=8):
        counts: dict[str, int] = {}
        for f in items:
            counts[str(f.get("subject"))] = counts.get(str(f.get("subject")), 0) + 1
        subjects = [f"{k} {n}" if tally else k for k, n in
                    (sorted(counts.items(), key=lambda kv: -kv[1]) if tally else counts.items())]
        return "、".join(subjects[:limit]) + (f" ほか {len(subjects) - limit} 件" if len(subjects) > limit else "")

    outcomes = []
    for k, n in _direction_outcomes(of("direction")):
        if n:
            reorganised = len(_groups([f for f in of("direction", k) if f.get("side") == "past"]))
            outcomes.append(f"{FINDING_STATUS[k]} {n}" + (f"（{reorganised} 組）" if k == "reorganised" else ""))
    problems, open_problems = of("problem"), of("problem", "not_taken_up")
    directions = (f"{prefix}施策の方向：{old} {sum(1 for p in past_plans for _ in p.directions())} 件 → {new} "
                  f"{sum(1 for p in next_plans for _ in p.directions())} 件（{old}の方向の行方：" + "、".join(outcomes)
                  + f"／{new}で新規 {len(of('direction', 'new'))}）")
    if not any(holds_evaluations(p) for p in past_plans):  # themes and problems come from evaluations
        return [directions]
    titled = [f for f in of("theme", "new") if (f.get("counts") or {}).get("past_titles")]
    return [
        directions,
        # themes are compared between the past plan's evaluations and the next plan's directions:
        # say so, and which "new" ones the past plan's own titles and initiatives already held
        f"{prefix}テーマ：継続 {len(of('theme', 'continued'))}、新規 {len(of('theme', 'new'))}"
        + (f"（{names(of('theme', 'new'))}）" if of('theme', 'new') else "")
        + f"、消えた {len(of('theme', 'dropped'))}"
        + (f"（{names(of('theme', 'dropped'))}）" if of('theme', 'dropped') else "")
        + f"（{old}の評価と{new}の方向性の比較"
        + (f"。新規のうち {len(titled)} 件（{names(titled)}）は{old}の施策名・取組内容にもあります" if titled else "")
        + "）",
        f"{prefix}評価で挙がった課題・持ち越し {len(problems)} 件のうち、次期計画で取り上げられていないもの "
        f"{len(open_problems)} 件" if problems else f"{prefix}{old}の評価に課題・持ち越しを述べた文はありません",
    ]


def _key_points(data: "ReportData") -> str:
    """The few numbers a committee reads first, each true for the data: per compared plan pair
    its directions' outcomes, themes and problems (for a corpus of several owners, their sums
    over every owner's pairs); without one, what the corpus holds and why it cannot be compared
    (the notes)."""
    by_pair: dict[str, list[dict]] = {}
    for f in data.findings if data.graph is not None else []:
        by_pair.setdefault(f.get("plans"), []).append(f)
    plans = {p.id: p for p in data.corpus.plans}
    points: list[str] = []
    chains = data.corpus.chains()
    if len(chains) > 1 and by_pair:  # thousands of pairs: one sum, each owner's pairs are in the findings
        ends = [pair.partition("→") for pair in by_pair]
        points.append(f"策定主体 {len(chains)}、比べた計画世代の組 {len(by_pair)}（策定主体ごとの前期→次期。"
                      "以下はその合計で、テーマの後の数はそのテーマが該当した組の数です）")
        points += _points([f for group in by_pair.values() for f in group], [plans[a] for a, _, _ in ends],
                          [plans[b] for _, _, b in ends], old="前期", new="次期", prefix="合計　", tally=True)
    else:
        for pair, group in by_pair.items():
            points += _pair_points(data, pair, group, plans, labelled=len(by_pair) > 1)
    if not by_pair:
        problems = sum(1 for s in data.stances if s.get("stance") in ("issue", "carried_over"))
        points.append(f"施策の方向 {sum(1 for _ in data.corpus.directions())} 件、評価文 {len(data.stances)} 文"
                      f"（うち課題・持ち越し {problems} 文）")
    points += [n["message"] for n in data.notes]
    items = "".join(f"<li>{esc(p)}</li>" for p in points)
    return f'<div class="keypoints"><h3>要点</h3><ul>{items}</ul></div>'


def _notes(notes: list[dict]) -> str:
    """One paragraph per note (what a section cannot say and why)."""
    return "".join(f'<p class="note">{esc(n.get("message", ""))}</p>' for n in notes)


def _section_themes(data: "ReportData", tables: dict, figures: dict) -> str:
    totals: dict[int, int] = {}
    for unit in data.units:
        totals[unit.generation] = totals.get(unit.generation, 0) + 1
    # Generations differ in how much text they have (an evaluation has far more units than the
    # next plan's directions): say so, or longer bars read as more emphasis.
    totals_text = "、".join(f"第{g}次 {n}" for g, n in sorted(totals.items()))
    parts = ["<p>テーマ辞書（編集できる TOML ファイル）の規則で各テキスト単位を符号化し、"
             "テーマを含む単位の数を数えました。"
             + (f"テキスト単位の総数は {esc(totals_text)} で世代によって異なるため、"
                "数の大小は総数と合わせて読んでください。" if len(totals) > 1 else "")
             + "</p>"]
    for name in ("themes_by_generation", "themes_by_goal"):
        if name in figures:
            parts.append(embedded_figure(figures[name], name))
    if "themes_by_goal" not in figures and len(data.corpus.chains()) > 1:
        parts.append(f"<p>策定主体 {len(data.corpus.chains())} 団体の計画を含むため、基本目標別の図は省きました"
                     "（基本目標は策定主体ごとに異なります。表は tables/themes_by_goal.csv にあります）。</p>")
    parts.append("<h3>テーマの出現数（計画世代別）</h3>")
    parts.append(frame_table(tables.get("themes_by_generation")))
    return "".join(parts)


def _section_terms(data: "ReportData", tables: dict, figures: dict) -> str:
    from ..terms.keyterms import METHOD_EXPLANATIONS

    top = data.settings.get("report", "terms")
    method = data.settings.get("terms", "method")
    parts = [f"<p>{esc(METHOD_EXPLANATIONS[method])}上位 {top} 語を示します。</p>"]
    parts.append(frame_table(tables.get("terms"), max_rows=top))
    if "keyness" in figures:
        parts.append(embedded_figure(figures["keyness"], "keyness"))
    if "cooccurrence" in figures:
        parts.append(embedded_figure(figures["cooccurrence"], "cooccurrence"))
    return "".join(parts)


def _section_stances(data: "ReportData") -> str:
    from ..stance import load_cues, stance_summary

    corpus = data.corpus
    by_direction: dict[str, list[dict]] = {}
    for s in data.stances:
        by_direction.setdefault(s.get("direction"), []).append(s)
    summary = stance_summary(data.stances, default=load_cues(settings=data.settings).default)
    parts = ["<p>評価の各文を、達成（〜できた）・取り組んだ（〜に取り組んだ）・課題（〜が課題、〜が増加している、"
             "〜する必要がある）・持ち越し（次期へ持ち越し）・今後の方針（今後も継続して実施する）に分類しました。"
             "太字は判定の手がかりになった語です。</p>"]
    rows = []
    evaluated = [d for plan in corpus.plans for d in plan.directions() if by_direction.get(d.id) or d.evaluation]
    limit = int(data.settings.get("report", "stance_units"))
    for d in evaluated[:limit]:
        items = by_direction.get(d.id, [])
        counts = [sum(1 for s in items if s.get("stance") == k) or "" for k in STANCE_ORDER]
        sentences = "".join(
            f'<li><span class="stance stance-{esc(s.get("stance"))}">'
            f'{esc(STANCE.get(s.get("stance"), s.get("stance")))}</span> '
            f"{_highlight(s.get('sentence', ''), s.get('cues') or [])}"
            + ('<span class="basis">（手がかり語なし）</span>' if s.get("basis") == "default" else "")
            + f'<span class="line">{esc(line_text(s.get("line"), corpus))}</span></li>'
            for s in items)
        rows.append((d.id, Raw(f"<strong>{esc(d.title)}</strong><ul class=\"sentences\">{sentences}</ul>"),
                     *counts))
    totals = "、".join(f"{STANCE[k]} {summary['counts'].get(k, 0)} 文" for k in STANCE_ORDER)
    parts.append(f"<p>評価文 {summary['sentences']} 文のうち：{esc(totals)}。</p>")
    if summary["sentences"]:
        default = STANCE.get(summary["default_stance"], summary["default_stance"])
        parts.append(f"<p>手がかり語のない文 {summary['default']} 件（全体の {summary['default_share']:.0%}）は"
                     f"『{esc(default)}』としています。</p>")
    if len(evaluated) > limit:  # a page a committee can print: the whole list is in the table files
        parts.append(f"<p>ここには評価のある単位 {len(evaluated)} 件のうち最初の {limit} 件を載せています。"
                     "すべての文は tables/stances.csv と Excel の「評価の姿勢」シートにあります。</p>")
    parts.append(table(["ID", "施策の方向と評価文", *[STANCE[k] for k in STANCE_ORDER]], rows,
                        classes="stances", widths=["9%", "56%", *["7%"] * len(STANCE_ORDER)]))
    return "".join(parts)


def _highlight(sentence: str, cues: Sequence[str]) -> str:
    """The sentence, escaped, with each cue word in bold (cues matched on the raw text)."""
    spans = []
    for cue in sorted({c for c in cues if c}, key=lambda c: (-len(c), c)):
        start = sentence.find(cue)
        while start >= 0:
            end = start + len(cue)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = sentence.find(cue, end)
    out, position = [], 0
    for start, end in sorted(spans):
        out.append(esc(sentence[position:start]))
        out.append(f"<b>{esc(sentence[start:end])}</b>")
        position = end
    out.append(esc(sentence[position:]))
    return "".join(out)


def _section_continuity(data: "ReportData", tables: dict, figures: dict) -> str:
    if data.graph is None:
        return _notes(data.notes) or "<p>比較できる計画世代が2つ以上ありません。</p>"
    parts = [_notes([n for n in data.notes if n.get("code") == "no_directions_with_text"])]
    if len(data.corpus.chains()) > 1:  # the diagram is one chain's; the list below holds every chain's
        from ..continuity import several_owners_note

        parts.append(_notes([several_owners_note(data.corpus.chains()).to_dict()]))
    from ..graphio import gexf_omitted

    omitted = gexf_omitted(data.graph)
    if omitted:
        parts.append(_notes([{"message": omitted}]))
    if "continuity" in figures:
        parts.append(embedded_figure(figures["continuity"], "continuity"))
    parts.append("<h3>つながりの一覧</h3>"
                 "<p>「文書が示す」は計画書の表の配置（再掲を含む）、「内容の類似」は本文の類似度から"
                 "計算したつながりです。</p>")
    titles = direction_titles(data.corpus)
    merged: dict[tuple[str, str], dict] = {}
    for link in data.links:  # one row per pair of directions, both kinds together
        row = merged.setdefault((link["from"], link["to"]), {"kinds": [], "relisted": False,
                                                             "score": link.get("score"),
                                                             "shared": link.get("shared_terms") or []})
        row["kinds"].append(LINK_KIND.get(link.get("kind"), link.get("kind")))
        row["relisted"] = row["relisted"] or bool(link.get("relisted"))
    shown, more = _capped(list(merged.items()), data, "tables/links.csv")
    parts.append(more)
    parts.append(table(["前計画の施策の方向", "次期計画の方向性", "種類", "類似度", "共通する語"],
                        [(f"{a} {titles.get(a, '')}", f"{b} {titles.get(b, '')}",
                          "・".join(r["kinds"]) + ("（再掲）" if r["relisted"] else ""), r["score"],
                          "、".join(r["shared"])) for (a, b), r in shown],
                        widths=["28%", "28%", "14%", "9%", "21%"]))
    return "".join(parts)


def _balanced(evidence: list[dict], past_ids: set[str], limit: int) -> list[dict]:
    """Up to ``limit`` pieces of evidence from each side (past plan, next plan), past first."""
    past = [e for e in evidence if e.get("direction") in past_ids]
    rest = [e for e in evidence if e.get("direction") not in past_ids]
    return past[:limit] + rest[:limit]


def _evidence_list(evidence: list[dict], titles: dict[str, str], limit: int = 4,
                   past_ids: set[str] | None = None, corpus=None) -> str:
    if not evidence:
        return ""
    shown = _balanced(evidence, past_ids, limit) if past_ids is not None else evidence[:limit]
    items = "".join(
        f"<li>{esc(e.get('sentence', ''))}"
        f'<span class="source">— {esc(e.get("direction", ""))} {esc(titles.get(e.get("direction", ""), ""))}'
        f"{esc(line_text(e.get('line'), corpus))}</span></li>"
        for e in shown)
    more = f'<li class="more">ほか {len(evidence) - len(shown)} 件</li>' if len(evidence) > len(shown) else ""
    return f'<ul class="evidence">{items}{more}</ul>'


def _capped(rows: list, data: "ReportData", where: str) -> tuple[list, str]:
    """At most ``[report] list_rows`` of ``rows``, and the line saying where the rest are (a
    page a committee can print, for a corpus of any size)."""
    limit = int(data.settings.get("report", "list_rows"))
    if len(rows) <= limit:
        return rows, ""
    return rows[:limit], (f"<p>{len(rows)} 件のうち最初の {limit} 件を載せています。"
                          f"すべては {esc(where)} と Excel にあります。</p>")


def _section_findings(data: "ReportData") -> str:
    if data.graph is None:
        return _notes(data.notes) or "<p>比較できる計画世代が2つ以上ありません。</p>"
    titles = direction_titles(data.corpus)
    limit = data.settings.get("report", "evidence")
    generations = data.corpus.generations()
    past_ids = {d.id for p in data.corpus.plans if p.generation in generations[:-1] for d in p.directions()}
    parts = [_notes(data.notes)]

    def ids(values) -> str:
        return "、".join(f"{v} {titles.get(v, '')}".strip() for v in (values or []))

    groups = [
        ("theme", "テーマ", ("continued", "new", "dropped")),
        ("term", "重要語", ("continued", "new", "dropped")),
    ]
    for kind, label, statuses in groups:
        items = [f for f in data.findings if f.get("kind") == kind]
        parts.append(f"<h3>{esc(label)}：継続・新規・消えたもの</h3>")
        summary = "　".join(f"{FINDING_STATUS[s]} {sum(1 for f in items if f.get('status') == s)} 件" for s in statuses)
        parts.append(f"<p>{esc(summary)}</p>")
        shown, more = _capped(items, data, "tables/findings.csv")
        rows = [(f.get("subject"), FINDING_STATUS.get(f.get("status"), f.get("status")),
                 f.get("past_count"), f.get("next_count"),
                 Raw(_evidence_list(f.get("evidence") or [], titles, limit=limit, past_ids=past_ids,
                                    corpus=data.corpus)))
                for f in shown]
        parts.append(more)
        parts.append(table([label, "判定", "前計画", "次期計画", "根拠となる文"], rows,
                            classes="findings", widths=["17%", "11%", "8%", "8%", "56%"]))
    problems = [f for f in data.findings if f.get("kind") == "problem"]
    taken = sum(1 for f in problems if f.get("status") == "taken_up")
    parts.append("<h3>評価で挙がった課題は次期計画で取り上げられたか</h3>")
    parts.append(f"<p>課題・持ち越しと判定した評価文 {len(problems)} 件のうち、取り上げられた {taken} 件、"
                 f"取り上げられていない {len(problems) - taken} 件。</p>")
    shown, more = _capped(problems, data, "tables/findings.csv")
    rows = [(Raw(f'{esc(f.get("subject"))}{_evidence_source(f, titles, data.corpus)}'),
             FINDING_STATUS.get(f.get("status"), f.get("status")), ids(f.get("next")), "、".join(f.get("shared") or []))
            for f in shown]
    parts.append(more)
    parts.append(table(["課題（評価文）", "判定", "取り上げた次期の方向性", "共通する語"], rows,
                        classes="findings", widths=["44%", "14%", "26%", "16%"]))
    directions = [f for f in data.findings if f.get("kind") == "direction"]
    parts.append("<h3>施策の方向の行方</h3>")
    groups = _groups(directions)
    if groups:
        parts.append("<p>再編：前計画の複数の方向が次期計画の複数の方向にまとめて引き継がれたもの"
                     "（一つずつの分割・統合ではありません）。</p>")
        sides = {f["past"][0] for f in directions if f.get("side") == "past" and f.get("past")}
        parts.append("<ul>" + "".join(
            f"<li>{esc(ids([m for m in g if m in sides]))} → {esc(ids([m for m in g if m not in sides]))}</li>"
            for g in groups) + "</ul>")
    shown, more = _capped(directions, data, "tables/findings.csv")
    rows = [(f.get("subject"), FINDING_STATUS.get(f.get("status"), f.get("status")), ids(f.get("past")),
             ids(f.get("next"))) for f in shown]
    parts.append(more)
    parts.append(table(["施策の方向", "判定", "前計画", "次期計画"], rows, classes="findings",
                        widths=["30%", "12%", "29%", "29%"]))
    return "".join(parts)


def _evidence_source(finding: dict, titles: dict[str, str], corpus=None) -> str:
    evidence = finding.get("evidence") or []
    if not evidence:
        return ""
    e = evidence[0]
    return (f'<span class="source">— {esc(e.get("direction", ""))} {esc(titles.get(e.get("direction", ""), ""))}'
            f"{esc(line_text(e.get('line'), corpus))}</span>")


def _section_comparison(data: "ReportData", tables: dict) -> str:
    frames = comparison_frames(data.comparison)
    if not frames:
        return _notes(data.comparison_notes) or "<p>比較できる計画世代が2つ以上ありません。</p>"
    generations = data.corpus.generations()
    old, new = (plan_label(data.corpus.plan_by_generation(g)) for g in generations[-2:])
    parts = [f"<p>{esc(old)} と {esc(new)} を比較しました。基本目標と施策の方向は名称・番号・内容の類似度で"
             "一対一に対応づけ、テーマと重要語はそれを含む文の数の増減を G²（対数尤度比）で判定しています"
             "（|G²| が小さいものは「変化なし」）。</p>"]
    for name in ("goals", "directions"):
        frame = frames.get(name)
        if frame is None:
            continue
        parts.append(f"<h3>{esc(COMPARISON_SECTION[name])}</h3>")
        if name == "directions":
            parts.append(_notes(data.comparison_notes))
        rows = [(f"{r.get('older') or ''} {r.get('older_title') or ''}".strip() or "—",
                 f"{r.get('newer') or ''} {r.get('newer_title') or ''}".strip() or "—",
                 COMPARISON_STATUS.get(r.get("status"), r.get("status")), r.get("similarity"))
                + ((r.get("successors") or "",) if name == "directions" else ())
                for r in frame.to_dict("records")]
        if name == "directions":
            parts.append(table([old, new, "判定", "類似度", COMPARISON_COLUMNS["successors"]], rows,
                                widths=["33%", "33%", "12%", "8%", "14%"]))
        else:
            parts.append(table([old, new, "判定", "類似度"], rows, widths=["38%", "38%", "12%", "12%"]))
    for name in ("themes", "terms"):
        frame = frames.get(name)
        if frame is None:
            continue
        moved = frame[frame["status"] != "stable"] if "status" in frame.columns else frame
        parts.append(f"<h3>{esc(COMPARISON_SECTION[name])}</h3>")
        stable = len(frame) - len(moved)
        if stable:
            parts.append(f"<p>変化なし {stable} 件は表から省略（CSV・Excel にはすべて含みます）。</p>")
        rows = [(r.get("subject"), COMPARISON_STATUS.get(r.get("status"), r.get("status")),
                 r.get("older_count"), r.get("newer_count"), r.get("g2")) for r in moved.to_dict("records")]
        parts.append(table(["対象", "判定", f"{old}（文数）", f"{new}（文数）", "G²"], rows,
                            widths=["36%", "12%", "18%", "18%", "16%"]))
    frame = frames.get("priorities")
    if frame is not None:
        parts.append(f"<h3>{esc(COMPARISON_SECTION['priorities'])}</h3>")
        rows = [(f"{r.get('older') or '—'} → {r.get('newer') or '—'}", r.get("title"),
                 r.get("older_priority"), r.get("newer_priority"),
                 COMPARISON_STATUS.get(r.get("status"), r.get("status"))) for r in frame.to_dict("records")]
        parts.append(table(["施策の方向", "名称", f"{old}の重点", f"{new}の重点", "判定"], rows,
                            widths=["20%", "40%", "13%", "13%", "14%"]))
    return "".join(parts)


def _owner_sections(data: "ReportData") -> list[tuple[str, str, str]]:
    """The section 「策定主体の比較」 when the corpus holds several owners (none otherwise): each
    owner, its plans and its nearest owners by theme (:mod:`analysis.owners`), one row per owner,
    at most ``[report] list_rows`` rows."""
    import pandas as pd

    from ..owners import owner_label

    nearest = data.owners
    if nearest is None:
        return []
    profiles = data.owner_profiles
    empty = sum(profiles.empty())
    parts = [f"<p>この資料には策定主体 {len(profiles.owners)} 団体の計画があります。策定主体ごとに、その計画のテキスト単位の"
             "うち各テーマを含むものの数を数え、多くの策定主体に共通するテーマほど軽くなるよう策定主体の間で重みづけ"
             "（TF-IDF）、そのベクトルのコサイン類似度（0〜1）で近い策定主体を示します。"
             "施策の方向どうしを総当たりで比べてはいません。共通するテーマは両方で重みの大きいものから並べています。</p>"]
    if empty:
        parts.append(f"<p>テーマを含むテキストのない策定主体 {empty} は比べられないため「—」としています。</p>")
    neighbours: dict[str, list[dict]] = {}
    for r in nearest.to_dict("records"):
        listed = neighbours.setdefault(r["owner"], [])
        if not pd.isna(r["rank"]):
            listed.append(r)
    rows = []
    for owner, plans in zip(profiles.owners, profiles.plans):
        items = "".join(f"<li>{esc(owner_label(r['neighbour']))}（{esc(r['similarity'])}）"
                        + (f"：{esc(r['shared'])}" if r["shared"] else "") + "</li>"
                        for r in neighbours.get(owner, []))
        rows.append((owner_label(owner), "、".join(plans),
                     Raw(f'<ul class="evidence">{items}</ul>' if items else "—")))
    shown, more = _capped(rows, data, "tables/owner_similarity.csv")
    parts.append(more)
    parts.append(table(["策定主体", "計画", "近い策定主体（類似度）：共通するテーマ"], shown,
                        classes="owners", widths=["22%", "18%", "60%"]))
    return [("owners", "策定主体の比較", "".join(parts))]


def _settings_text(settings) -> str:
    """The settings as TOML-like text (sorted, one ``key = value`` per line)."""
    import json

    lines = []
    for section, values in sorted(settings.to_dict().items()):
        lines.append(f"[{section}]")
        for key, value in sorted(values.items()):
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _section_about(data: "ReportData", stamp: str | None) -> str:
    from ..tokens import dictionary_version

    corpus = data.corpus
    rows = [("keikaku", data.version), ("形態素解析", dictionary_version()),
            ("設定ファイル", data.settings.source or "既定の設定（analysis/data/settings.toml）")]
    parts = [table(["項目", "内容"], rows, widths=["25%", "75%"])]
    if corpus.sources:
        parts.append("<h3>原資料</h3>")
        parts.append(table(["ファイル", "形式", "SHA-256"],
                            [(s.get("file"), s.get("format"), s.get("sha256")) for s in corpus.sources],
                            classes="sources", widths=["35%", "12%", "53%"]))
    parts.append("<h3>設定</h3><p>この結果を作った設定の全体です（keikaku --settings で変更できます）。</p>")
    parts.append(f'<pre class="settings">{esc(_settings_text(data.settings))}</pre>')
    if stamp:
        parts.append(f'<p class="generated">作成日時：{esc(stamp)}</p>')
    return "".join(parts)

