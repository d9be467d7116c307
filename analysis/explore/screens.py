"""The screens that show a corpus: overview, themes, terms and KWIC, continuity, findings.

Each is a GET route rendering one template from what the workspace computed; lists paginate
(:func:`analysis.explore.app.paginate`).  Highlighting is data, not markup: a sentence becomes
segments (text, marked) that the template wraps in ``<mark>``, every segment escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from ..errors import KeikakuError
from ..labels import FIELD, FINDING_KIND, FINDING_STATUS, LINK_KIND, STANCE
from .app import error_text, paginate, render, state_of


def segments(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) where ``words`` occur (longest first).

    >>> segments("見守りの担い手不足", ["担い手不足"])
    [('見守りの', False), ('担い手不足', True)]
    >>> segments("<b>連携</b>", ["連携"])
    [('<b>', False), ('連携', True), ('</b>', False)]
    """
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            out.append((text[last:match.start()], False))
        out.append((match.group(), True))
        last = match.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


def where(unit: Any) -> str:
    """A unit's source location: file and line.

    >>> from types import SimpleNamespace
    >>> where(SimpleNamespace(file="plan.csv", line=4))
    'plan.csv 4行目'
    """
    line = f"{unit.line}行目" if getattr(unit, "line", None) else "行不明"
    return f"{unit.file} {line}" if getattr(unit, "file", "") else line


# ----------------------------------------------------------------------------------- overview
async def overview(request: Request):
    ws = state_of(request).current()
    plans = paginate(ws.corpus.plans, request.query_params.get("page"))
    warnings = paginate(ws.corpus.warnings, request.query_params.get("wpage"))
    return render(request, "overview.html", ws=ws, plans=plans, warnings=warnings,
                  n_units=len(ws.directions), periods=sorted({d.period for d in ws.directions.values() if d.period}))


# ------------------------------------------------------------------------------------- themes
def group_choices(ws) -> list[tuple[str, str]]:
    """The groupings the themes screen offers: (value, label)."""
    choices = [("generation", "計画（期）"), ("goal", "基本目標")]
    units = [c.unit for c in ws.analysis.coded]
    if any(u.decision for u in units):
        choices.append(("decision", "今後の方向性"))
    headers = list(dict.fromkeys(h for u in units for h, _ in u.attributes))
    choices += [(f"attr:{h}", f"属性: {h}") for h in headers[:30]]
    return choices


def theme_table(ws, by: str) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """(column labels, rows of (theme, counts)) of units carrying each theme, grouped ``by``."""
    coded = ws.analysis.coded
    if by in ("generation", "goal"):
        from ..themes import theme_counts

        from ..report import goal_labels

        frame = theme_counts(coded, by=by)
        labels = goal_labels(ws.corpus) if by == "goal" else {str(c): f"第{c}次" for c in frame.columns}
        return ([labels.get(str(c), str(c)) for c in frame.columns],
                [(str(t), [int(v) for v in row]) for t, row in frame.iterrows()])
    counts: dict[str, Counter] = {name: Counter() for name in coded.theme_names}
    for c in coded:
        key = c.unit.decision or "（なし）" if by == "decision" else c.unit.attribute_map.get(by[5:], "（なし）")
        for name in c.themes:
            counts[name][key] += 1
    columns = sorted({k for counter in counts.values() for k in counter})
    labels = decision_labels() if by == "decision" else {}
    return ([labels.get(k, k) for k in columns],
            [(name, [counts[name][k] for k in columns]) for name in coded.theme_names])


def decision_labels() -> dict[str, str]:
    """Decision class → its Japanese name (拡充, 継続・現状維持 …)."""
    from ..evaluations import DECISION_NAMES

    return dict(DECISION_NAMES)


async def themes(request: Request):
    ws = state_of(request).current()
    choices = group_choices(ws)
    by = request.query_params.get("by", "generation")
    if by not in dict(choices):
        by = "generation"
    columns, rows = theme_table(ws, by)
    return render(request, "themes.html", choices=choices, by=by, columns=columns, rows=rows)


def theme_rows(ws, name: str, filters: dict[str, str]) -> list[dict]:
    """The units carrying theme ``name`` that pass the filters, with segments and location."""
    from ..themes import theme_units

    by_id = {c.unit.id: c.unit for c in ws.analysis.coded}
    out = []
    for row in theme_units(ws.analysis.coded, name):
        unit = by_id[row["id"]]
        if filters.get("period") and str(unit.generation) != filters["period"]:
            continue
        if filters.get("goal") and str(unit.goal_number) != filters["goal"]:
            continue
        if filters.get("decision") and unit.decision != filters["decision"]:
            continue
        stances = ws.stances_by_unit.get(unit.id, [])
        if filters.get("stance") and not any(s["stance"] == filters["stance"] for s in stances):
            continue
        direction = ws.directions.get(unit.direction_id)
        out.append({"unit": unit, "direction": direction, "field": FIELD.get(unit.field, unit.field),
                    "where": where(unit), "words": row["words"],
                    "sentences": [segments(s, row["words"]) for s in row["sentences"]]})
    return out


async def theme(request: Request):
    ws = state_of(request).current()
    name = request.path_params["name"]
    if name not in ws.analysis.coded.theme_names:
        raise HTTPException(404, f"テーマ「{name}」は辞書にありません")
    filters = {k: request.query_params.get(k, "") for k in ("period", "goal", "stance", "decision")}
    rows = theme_rows(ws, name, filters)
    units = [c.unit for c in ws.analysis.coded]
    options = {
        "period": sorted({str(u.generation) for u in units}),
        "goal": sorted({str(u.goal_number) for u in units if u.goal_number is not None}, key=int),
        "stance": list(STANCE),
        "decision": sorted({u.decision for u in units if u.decision}),
    }
    return render(request, "theme.html", name=name, rows=paginate(rows, request.query_params.get("page")),
                  filters=filters, options=options, stance_labels=STANCE, decision_labels=decision_labels())


# -------------------------------------------------------------------------------- terms, kwic
async def terms(request: Request):
    ws = state_of(request).current()
    rows = ws.terms.to_dict("records")
    return render(request, "terms.html", rows=paginate(rows, request.query_params.get("page")))


async def kwic_page(request: Request):
    ws = state_of(request).current()
    word = request.query_params.get("word", "").strip()
    hits, error = [], ""
    if word:
        from ..textstat import kwic

        try:
            hits = kwic(ws.analysis.tokens, word)
        except KeikakuError as exc:
            error = error_text(exc)
    return render(request, "kwic.html", word=word, error=error,
                  hits=paginate(hits, request.query_params.get("page")), fields=FIELD)


# -------------------------------------------------------------------------------- continuity
def titles(ws) -> dict[str, str]:
    return {d_id: d.title for d_id, d in ws.directions.items()}


async def continuity(request: Request):
    ws = state_of(request).current()
    kind = request.query_params.get("kind", "")
    rows = [link for link in ws.links if not kind or link["kind"] == kind]
    view = request.query_params.get("view", "table")
    diagram = Markup(ws.diagram) if view == "diagram" else ""  # glyphs as paths: no corpus text as markup
    return render(request, "continuity.html", rows=paginate(rows, request.query_params.get("page")),
                  titles=titles(ws), kind=kind, kinds=LINK_KIND, view=view, diagram=diagram,
                  has_diagram=len(ws.corpus.generations()) >= 2)


async def unit(request: Request):
    ws = state_of(request).current()
    unit_id = request.path_params["id"]
    direction = ws.directions.get(unit_id)
    if direction is None:
        raise HTTPException(404, f"施策の方向「{unit_id}」はこのコーパスにありません")
    units = [c for c in ws.analysis.coded if c.unit.direction_id == unit_id]
    stances = [dict(s, segments=segments(s["sentence"], s["cues"]))
               for c in units for s in ws.stances_by_unit.get(c.unit.id, [])]
    links = [link for link in ws.links if unit_id in (link["from"], link["to"])]
    concerning = [f for f in ws.findings if unit_id in f.get("past", []) or unit_id in f.get("next", [])
                  or any(e.get("direction") == unit_id for e in f.get("evidence", []))]
    return render(request, "unit.html", d=direction, units=units, stances=stances, links=links,
                  findings=concerning, titles=titles(ws), fields=FIELD, stance_labels=STANCE,
                  kinds=LINK_KIND, kind_labels=FINDING_KIND, status_labels=FINDING_STATUS, where=where)


# ---------------------------------------------------------------------------------- findings
async def findings(request: Request):
    ws = state_of(request).current()
    kind = request.query_params.get("kind", "")
    status = request.query_params.get("status", "")
    rows = [f for f in ws.findings if (not kind or f["kind"] == kind) and (not status or f["status"] == status)]
    period = ws.period
    return render(request, "findings.html", rows=paginate(rows, request.query_params.get("page")),
                  kind=kind, status=status, kind_labels=FINDING_KIND, status_labels=FINDING_STATUS,
                  statuses=sorted({f["status"] for f in ws.findings}), titles=titles(ws),
                  period=period.to_dict() if period is not None else None)


ROUTES = [
    Route("/overview", overview), Route("/themes", themes), Route("/themes/{name:path}", theme),
    Route("/terms", terms), Route("/kwic", kwic_page), Route("/continuity", continuity),
    Route("/unit/{id:path}", unit), Route("/findings", findings),
]
