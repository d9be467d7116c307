"""The report: one self-contained HTML page in Japanese, the tables beside it, the graph files.

Stage: Corpus ──(every other stage)──▶ :class:`ReportData` ──▶ ``DIR/index.html`` + CSV + Excel +
graph files.  :func:`report_data` runs the stages; :func:`render_html` turns the results into a page
that opens offline (inline CSS, figures embedded as ``data:`` SVG images, no external URL) and
prints on A4; :func:`write_report` writes the whole directory atomically.

Safety: every piece of text that comes from the corpus (or from any stage's result) passes
through :func:`esc` (``html.escape`` with quotes); the only unescaped HTML is this module's own
markup.  Figures are embedded as base64 images, so nothing inside them can become markup.

Determinism: the same corpus and settings give the same bytes, except the one "generated at"
line, which is fixed by ``SOURCE_DATE_EPOCH`` or omitted with ``generated_at=False``.

>>> esc('<script>alert("x")</script> & 連携')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 連携'
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .corpus import Corpus
from .outputs import plain_value

Progress = Callable[[str, int, int], None]

from .labels import (COMPARISON_COLUMNS as COMPARISON_COLUMNS_JA, COMPARISON_SECTION as COMPARISON_JA,
                     COMPARISON_STATUS as COMPARISON_STATUS_JA, FIELD as FIELD_JA, FINDING_KIND as KIND_JA,
                     FINDING_STATUS as STATUS_JA, LINK_KIND as LINK_KIND_JA, STANCE as STANCE_JA,
                     STANCE_ORDER)

# name -> (Japanese sheet name (≤ 31 chars), what the table holds)
TABLES = {
    "plans": ("計画", "計画世代ごとの概要"),
    "directions": ("施策の方向", "すべての施策の方向"),
    "units": ("テキスト単位", "分析したテキスト（名称・取組内容・評価・説明）"),
    "themes_by_generation": ("テーマ×世代", "テーマの出現数（計画世代別）"),
    "themes_by_goal": ("テーマ×基本目標", "テーマの出現数（基本目標別）"),
    "terms": ("重要語", "複合語の重要度"),
    "keyness": ("特徴語", "評価と次期の方向性の特徴語（G²）"),
    "stances": ("評価の姿勢", "評価文ごとの姿勢と手がかり語"),
    "links": ("つながり", "施策の方向どうしのつながり"),
    "findings": ("所見", "継続・新規・消えた・課題の行方"),
    "comparison_goals": ("比較_基本目標", "基本目標の対応"),
    "comparison_directions": ("比較_施策の方向", "施策の方向の対応"),
    "comparison_themes": ("比較_テーマの増減", "テーマの増減（G²）"),
    "comparison_terms": ("比較_重要語の増減", "重要語の増減（G²）"),
    "comparison_priorities": ("比較_重点取組", "重点取組の変化"),
    "warnings": ("取り込み時の注意", "取り込み時の警告"),
}

_CSS_NAME = "report.css"


def esc(value: Any) -> str:
    """Text as HTML (escaped, quotes too); ``None`` is the empty string."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
            return ""
    except (ImportError, TypeError, ValueError):
        pass
    if isinstance(value, float):
        value = f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return html.escape(str(value), quote=True)


# ------------------------------------------------------------------------------------------------
# Running the stages
# ------------------------------------------------------------------------------------------------

@dataclass
class ReportData:
    """Everything the report shows, as the stages returned it."""

    corpus: Corpus
    settings: Any  # analysis.settings.Settings
    version: str
    units: list = field(default_factory=list)
    tokens: Any = None
    themes_by_generation: Any = None  # DataFrame theme × generation
    themes_by_goal: Any = None  # DataFrame theme × goal key (P2-G1 …)
    terms: Any = None  # DataFrame term, score, frequency
    keyness: Any = None  # DataFrame term, target_count, reference_count, g2 …
    stances: list = field(default_factory=list)  # dicts: sentence, stance, cues, direction, line
    graph: Any = None  # continuity nx.DiGraph
    links: list = field(default_factory=list)  # dicts: from, to, kind, score, shared_terms
    findings: list = field(default_factory=list)  # dicts (Finding.to_dict())
    comparison: Any = None  # result of compare_generations
    cooccurrence: Any = None  # nx.Graph with node attribute community
    unavailable: dict = field(default_factory=dict)  # stage -> why it is not in the report


def _module(name: str):
    """A stage module, or None when it is not installed in this version."""
    try:
        return importlib.import_module(f"analysis.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"analysis.{name}":
            return None
        raise


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    out = []
    for r in rows:
        if isinstance(r, dict):
            out.append(dict(r))
        elif hasattr(r, "to_dict"):
            out.append(r.to_dict())
        elif hasattr(r, "_asdict"):
            out.append(r._asdict())
        else:
            out.append(dict(vars(r)))
    return out


def report_data(corpus: Corpus, *, settings=None, tokens=None, progress: Progress | None = None) -> ReportData:
    """Run every stage on ``corpus`` and collect what the report shows.

    ``tokens``: the corpus's Tokens when already made (tokenized here otherwise).
    ``progress(step, done, total)`` is called during long steps (tokenization).
    """
    from . import __version__
    from .settings import default_settings
    from .textnorm import load_variants

    settings = settings or default_settings()
    data = ReportData(corpus=corpus, settings=settings, version=__version__)
    report_progress = progress or (lambda step, done, total: None)
    variants = load_variants(settings.data_file("variants"))

    if tokens is None:
        tokens = corpus_tokens(corpus, settings=settings,
                               progress=lambda done, total: report_progress("トークン化中", done, total))
    data.tokens = tokens
    data.units = list(tokens.units)

    themes = _module("themes")
    lexicon = None
    if themes is not None:
        report_progress("テーマを集計中", 0, 1)
        lexicon = themes.load_lexicon(settings=settings)
        coded = themes.code_units(tokens, lexicon, variants=variants)
        data.themes_by_generation = themes.theme_counts(coded, by="generation")
        data.themes_by_goal = themes.theme_counts(coded, by="goal")
    else:
        data.unavailable["themes"] = "analysis.themes"

    terms = _module("terms")
    if terms is not None:
        report_progress("重要語を計算中", 0, 1)
        data.terms = _terms_table(terms, tokens, settings)
        data.keyness = _keyness(terms, tokens, corpus)
    else:
        data.unavailable["terms"] = "analysis.terms"

    stance = _module("stance")
    if stance is not None:
        cues = stance.load_cues(settings=settings)
        data.stances = _records(stance.evaluation_stances(tokens, cues=cues, variants=variants))
    else:
        data.unavailable["stance"] = "analysis.stance"

    continuity = _module("continuity")
    if continuity is not None and len(corpus.generations()) >= 2:
        report_progress("継続性グラフを作成中", 0, 1)
        kwargs = {"tokens": tokens, "settings": settings, "lexicon": lexicon}
        if stance is not None:
            kwargs["stances"] = data.stances
        data.graph = continuity.build_continuity_graph(corpus, **kwargs)
        data.links = _records(continuity.links(data.graph))
        data.findings = [_finding_record(f) for f in _records(continuity.findings(data.graph))]
    elif continuity is None:
        data.unavailable["continuity"] = "analysis.continuity"

    compare = _module("compare")
    generations = corpus.generations()
    if compare is not None and len(generations) >= 2:
        report_progress("計画世代を比較中", 0, 1)
        data.comparison = compare.compare_generations(corpus, generations[-2], generations[-1],
                                                      tokens=tokens, settings=settings, lexicon=lexicon)
    elif compare is None:
        data.unavailable["compare"] = "analysis.compare"

    cooccurrence = _module("cooccurrence")
    if cooccurrence is not None:
        report_progress("共起ネットワークを作成中", 0, 1)
        options = settings.section("cooccurrence")
        known = ("unit", "min_frequency", "min_jaccard", "top", "seed")
        data.cooccurrence = cooccurrence.cooccurrence_graph(
            tokens, **{k: v for k, v in options.items() if k in known})
    else:
        data.unavailable["cooccurrence"] = "analysis.cooccurrence"
    return data


def _finding_record(finding: dict) -> dict:
    """A finding as a flat dict: ``counts`` {past, next} also as ``past_count`` / ``next_count``."""
    out = dict(finding)
    counts = out.get("counts") or {}
    out.setdefault("past_count", counts.get("past"))
    out.setdefault("next_count", counts.get("next"))
    return out


def _terms_table(terms, tokens, settings):
    """The ranked compound terms (term, key, score, frequency, …) as a DataFrame."""
    return terms.terms_frame(tokens, method=settings.get("terms", "method"),
                             top=settings.get("report", "terms"),
                             min_frequency=settings.get("terms", "min_frequency"))


def _keyness(terms, tokens, corpus: Corpus):
    """Past evaluations (target) against next-plan titles and descriptions (reference)."""
    generations = corpus.generations()
    if len(generations) < 2:
        return None
    past, nxt = generations[-2], generations[-1]

    def target(unit) -> bool:
        return unit.generation == past and unit.field == "evaluation"

    def reference(unit) -> bool:
        return unit.generation == nxt and unit.field in ("title", "description")

    if not any(map(target, tokens.units)) or not any(map(reference, tokens.units)):
        return None
    return terms.keyness(tokens, target, reference)


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------

def _generation_label(generation) -> str:
    from .plots import generation_label

    return generation_label(generation)


def goal_labels(corpus: Corpus) -> dict[str, str]:
    """Goal keys as theme counts name them (``P2-G1``) → a readable label (第2次 目標1 つなげる)."""
    out = {}
    for plan in corpus.plans:
        for goal in plan.goals:
            short = goal.label or goal.title
            out[goal.id] = f"第{plan.generation}次 目標{goal.number if goal.number is not None else '?'}" + (
                f" {short}" if short else "")
    return out


def report_tables(data: ReportData) -> dict:
    """Every table of the report as a DataFrame, keyed by the names of :data:`TABLES`.

    Column names are Japanese (what a planner reads in Excel).
    """
    import pandas as pd

    corpus = data.corpus
    out: dict[str, Any] = {}
    out["plans"] = plans_frame(corpus, units=data.units)
    out["directions"] = directions_frame(corpus)
    out["units"] = pd.DataFrame(
        [{"テキスト単位ID": u.id, "計画ID": u.plan_id, "世代": u.generation, "基本目標": u.goal_number,
          "施策の方向ID": u.direction_id, "項目": FIELD_JA.get(u.field, u.field), "本文": u.text,
          "出典ファイル": u.file, "出典行": u.line} for u in data.units],
        columns=["テキスト単位ID", "計画ID", "世代", "基本目標", "施策の方向ID", "項目", "本文", "出典ファイル",
                 "出典行"]).astype({"基本目標": "Int64", "出典行": "Int64"})
    if data.themes_by_generation is not None:
        frame = data.themes_by_generation.copy()
        frame.columns = [_generation_label(c) for c in frame.columns]
        out["themes_by_generation"] = frame.rename_axis("テーマ").reset_index()
    if data.themes_by_goal is not None:
        labels = goal_labels(corpus)
        frame = data.themes_by_goal.copy()
        frame.columns = [labels.get(str(c), str(c)) for c in frame.columns]
        out["themes_by_goal"] = frame.rename_axis("テーマ").reset_index()
    if data.terms is not None:
        terms = pd.DataFrame(data.terms)
        keep = [c for c in ("term", "score", "frequency", "document_frequency", "parts") if c in terms.columns]
        out["terms"] = terms[keep].rename(columns={
            "term": "語", "score": "スコア", "frequency": "頻度", "document_frequency": "出現した単位数",
            "parts": "構成語"})
    if data.keyness is not None:
        out["keyness"] = pd.DataFrame(data.keyness).rename(
            columns={"term": "語", "target_count": "評価での頻度", "reference_count": "次期の方向性での頻度",
                     "g2": "G²", "chi2": "χ²", "p": "p値"})
    if "stance" not in data.unavailable:
        out["stances"] = pd.DataFrame(
            [{"施策の方向ID": s.get("direction"), "姿勢": STANCE_JA.get(s.get("stance"), s.get("stance")),
              "手がかり語": "、".join(s.get("cues") or []), "評価文": s.get("sentence"), "出典行": s.get("line")}
             for s in data.stances],
            columns=["施策の方向ID", "姿勢", "手がかり語", "評価文", "出典行"]).astype({"出典行": "Int64"})
    if data.graph is not None:
        titles = _titles(corpus)
        out["links"] = pd.DataFrame(
            [{"前計画の施策の方向ID": r["from"], "前計画の名称": titles.get(r["from"], ""),
              "次期計画の方向性ID": r["to"], "次期計画の名称": titles.get(r["to"], ""),
              "種類": LINK_KIND_JA.get(r.get("kind"), r.get("kind")), "再掲": bool(r.get("relisted")),
              "類似度": r.get("score"), "共通する語": "、".join(r.get("shared_terms") or []),
              "出典行": r.get("line")} for r in data.links],
            columns=["前計画の施策の方向ID", "前計画の名称", "次期計画の方向性ID", "次期計画の名称", "種類", "再掲",
                     "類似度", "共通する語", "出典行"]).astype({"出典行": "Int64"})
        rows = []
        for f in data.findings:
            evidence = f.get("evidence") or []
            rows.append({
                "計画": f.get("plans", ""), "種類": KIND_JA.get(f.get("kind"), f.get("kind")),
                "対象": f.get("subject"), "判定": STATUS_JA.get(f.get("status"), f.get("status")),
                "前計画の施策の方向": "、".join(f.get("past") or []),
                "次期計画の方向性": "、".join(f.get("next") or []),
                "前計画での出現": f.get("past_count"), "次期計画での出現": f.get("next_count"),
                "共通する語": "、".join(f.get("shared") or []),
                "根拠": "\n".join(f"{e.get('direction', '')} {_line_text(e.get('line'))}: {e.get('sentence', '')}"
                                for e in evidence),
            })
        out["findings"] = pd.DataFrame(rows, columns=["計画", "種類", "対象", "判定", "前計画の施策の方向",
                                                      "次期計画の方向性", "前計画での出現", "次期計画での出現",
                                                      "共通する語", "根拠"])
    for name, frame in comparison_frames(data.comparison).items():
        out[f"comparison_{name}"] = _japanese_columns(frame)
    out["warnings"] = pd.DataFrame(
        [{"ファイル": w.file, "行": w.line, "項目": w.field, "内容": w.message} for w in corpus.warnings],
        columns=["ファイル", "行", "項目", "内容"]).astype({"行": "Int64"})
    return out


def plans_frame(corpus: Corpus, *, units: list | None = None):
    """One row per plan (Japanese columns): generation, title, owner, period, role, 基本理念 and
    the number of goals, directions, priority directions and text units."""
    import pandas as pd

    from .units import text_units

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


def directions_frame(corpus: Corpus):
    """One row per policy direction (Japanese columns), with its texts and source lines."""
    import pandas as pd

    columns = ["施策の方向ID", "計画ID", "世代", "基本目標", "基本目標名", "番号", "名称", "重点取組", "取組内容",
               "評価", "方向性の説明", "出典ファイル", "出典行"]
    rows = [{"施策の方向ID": d.id, "計画ID": plan.id, "世代": plan.generation, "基本目標": goal.number,
             "基本目標名": goal.title, "番号": d.number, "名称": d.title, "重点取組": d.priority,
             "取組内容": "\n".join(d.initiatives), "評価": d.evaluation, "方向性の説明": d.text,
             "出典ファイル": d.source_file, "出典行": "、".join(str(n) for n in d.source_lines)}
            for plan in corpus.plans for goal in plan.goals for d in goal.directions]
    return pd.DataFrame(rows, columns=columns).astype({"基本目標": "Int64", "番号": "Int64", "重点取組": "Int64"})


def corpus_tokens(corpus: Corpus, *, settings=None, progress: Callable[[int, int], None] | None = None):
    """The Tokens of every text unit of ``corpus`` (an older name of
    :func:`analysis.tokens.tokenize_corpus`, kept for the notebooks)."""
    from .tokens import tokenize_corpus

    return tokenize_corpus(corpus, settings=settings, progress=progress)


def _titles(corpus: Corpus) -> dict[str, str]:
    return {d.id: d.title for d in corpus.directions()}


def _line_text(line) -> str:
    return f"（{line}行）" if line not in (None, "", 0) else ""


def comparison_frames(comparison) -> dict:
    """The generation comparison as named DataFrames, whatever shape ``compare_generations`` gives
    (a dict of frames/lists, an object with ``*_frame`` methods or DataFrame attributes)."""
    import pandas as pd

    if comparison is None:
        return {}
    if isinstance(comparison, pd.DataFrame):
        return {"比較": comparison}
    items: dict = {}
    if isinstance(comparison, dict):
        items = comparison
    elif hasattr(comparison, "frames") and callable(comparison.frames):
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


# ------------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------------

def report_figures(data: ReportData) -> dict:
    """The report's figures (name → Figure), in the order the page shows them."""
    from . import plots

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
            data.keyness, top=data.settings.get("report", "keyness_top"), target_label=f"{_generation_label(generations[-2])}の評価",
            reference_label=f"{_generation_label(generations[-1])}の方向性")
    if data.cooccurrence is not None:
        figures["cooccurrence"] = plots.cooccurrence_network(
            data.cooccurrence, seed=data.settings.get("report", "seed"),
            top=data.settings.get("report", "network_nodes"))
    if data.graph is not None and len(generations) >= 2:
        figures["continuity"] = plots.continuity_diagram(corpus, data.links, findings=data.findings)
    return figures


FIGURE_CAPTIONS = {
    "themes_by_generation": "図 計画世代別のテーマ：テーマを含むテキスト単位（名称・取組内容・評価・説明）の数",
    "themes_by_goal": "図 テーマ × 基本目標：色が濃いほど多く現れる",
    "keyness": "図 特徴語：前計画の評価と次期計画の方向性で、どちらに偏って現れる語か（G² 対数尤度比）",
    "cooccurrence": "図 共起ネットワーク：同じ文に現れやすい語を線で結ぶ。色は語のまとまり（コミュニティ）",
    "continuity": "図 継続性の図：左が前計画の施策の方向、右が次期計画の方向性。実線は文書が示すつながり、"
                  "破線は本文の類似から計算したつながり",
}


# ------------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------------

def _css() -> str:
    from .settings import data_path

    return data_path(_CSS_NAME).read_text(encoding="utf-8")


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, classes: str = "",
           widths: Sequence[str] | None = None) -> str:
    """An HTML table; every header and cell is escaped (cells given as ``_Raw`` are this module's
    own markup, built from escaped parts)."""
    parts = [f'<table class="{esc(classes)}">' if classes else "<table>"]
    if widths:
        parts.append("<colgroup>" + "".join(f'<col style="width:{esc(w)}">' for w in widths) + "</colgroup>")
    parts.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr></thead><tbody>")
    count = 0
    for row in rows:
        count += 1
        parts.append("<tr>" + "".join(f"<td>{c.html if isinstance(c, _Raw) else esc(c)}</td>" for c in row)
                     + "</tr>")
    if not count:
        parts.append(f'<tr><td colspan="{len(header)}" class="none">該当なし</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


class _Raw:
    """Markup built by this module from escaped parts (never from unescaped input)."""

    __slots__ = ("html",)

    def __init__(self, markup: str) -> None:
        self.html = markup


def _frame_table(frame, *, max_rows: int | None = None, widths=None) -> str:
    if frame is None:
        return ""
    rows = frame.itertuples(index=False, name=None)
    if max_rows is not None:
        rows = list(rows)[:max_rows]
    return _table([str(c) for c in frame.columns], rows, widths=widths)


def _figure(fig, name: str) -> str:
    from .plots import figure_svg

    svg = fig if isinstance(fig, bytes) else figure_svg(fig)
    encoded = base64.b64encode(svg).decode("ascii")
    caption = FIGURE_CAPTIONS.get(name, "")
    return (f'<figure id="fig-{esc(name)}"><img alt="{esc(caption)}" src="data:image/svg+xml;base64,{encoded}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def _unavailable(data: ReportData, stage: str) -> str:
    module = data.unavailable.get(stage)
    if not module:
        return ""
    return (f'<p class="note">この分析はこの版の keikaku では利用できません（{esc(module)} がありません）。</p>')


def generated_at_text(generated_at: Any = None) -> str | None:
    """The "generated at" line's timestamp: ``False`` omits it; ``None`` uses
    ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the current time (UTC)."""
    if generated_at is False:
        return None
    if isinstance(generated_at, _dt.datetime):
        moment = generated_at
    elif isinstance(generated_at, str):
        return generated_at
    else:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch is not None and epoch.strip():
            moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        else:
            moment = _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def render_html(data: ReportData, *, generated_at: Any = None, figures: dict | None = None) -> str:
    """The report page (a complete HTML document, UTF-8, no external resource)."""
    corpus = data.corpus
    figures = report_figures(data) if figures is None else figures
    tables = report_tables(data)
    sections = [
        ("overview", "コーパスの概観", _section_overview(data, tables)),
        ("themes", "テーマ（計画世代・基本目標別）", _section_themes(data, tables, figures)),
        ("terms", "重要語と特徴語", _section_terms(data, tables, figures)),
        ("stances", "施策の方向ごとの評価の姿勢", _section_stances(data)),
        ("continuity", "継続性の図", _section_continuity(data, tables, figures)),
        ("findings", "所見：継続・新規・消えたもの、課題の行方", _section_findings(data)),
        ("comparison", "計画世代の比較", _section_comparison(data, tables)),
        ("about", "この報告書について", _section_about(data, generated_at)),
    ]
    owner = next((p.owner for p in corpus.plans if p.owner), "") or corpus.name
    title = f"{owner}　計画の評価と次期計画：分析レポート" if owner else "計画の評価と次期計画：分析レポート"
    toc = "".join(f'<li><a href="#{key}">{esc(heading)}</a></li>' for key, heading, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{i}. {esc(heading)}</h2>{content}</section>'
        for i, (key, heading, content) in enumerate(sections, 1))
    plans = "、".join(f"{p.title}（{p.period}）" if p.period else p.title for p in corpus.plans)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'{GENERATOR_MARK} {esc(data.version)}">\n'
        f"<title>{esc(title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f'<header class="cover"><h1>{esc(title)}</h1>'
        f'<p class="subtitle">{esc(plans)}</p>'
        f'<nav><h2 class="toc-title">目次</h2><ol>{toc}</ol></nav></header>\n'
        f"<main>{body}</main>\n</body>\n</html>\n"
    )


def _section_overview(data: ReportData, tables: dict) -> str:
    corpus = data.corpus
    plans = tables["plans"]
    parts = [_key_points(data), 
        f"<p>このレポートは、{esc(corpus.name)} の計画 {len(corpus.plans)} 世代"
        f"（{esc('・'.join(_generation_label(g) for g in corpus.generations()))}）を分析したものです。"
        f"施策の方向 {sum(1 for _ in corpus.directions())} 件、テキスト単位 {len(data.units)} 件"
        f"（名称・取組内容・評価・方向性の説明）を対象にしました。</p>",
        _table(["世代", "計画名", "期間", "役割", "基本目標", "施策の方向", "重点取組", "テキスト単位"],
               [(r["世代"], r["計画名"], r["期間"], r["役割"], r["基本目標数"], r["施策の方向数"], r["重点取組数"],
                 r["テキスト単位数"]) for r in plans.to_dict("records")],
               widths=["8%", "30%", "18%", "10%", "8%", "9%", "8%", "9%"]),
    ]
    for plan in corpus.plans:
        parts.append(f'<h3>{esc(_generation_label(plan.generation))}：{esc(plan.title)}</h3>')
        if plan.philosophy:
            parts.append(f'<p class="philosophy">基本理念：{esc(plan.philosophy)}</p>')
        rows = []
        for goal in plan.goals:
            for d in goal.directions:
                rows.append((f"{goal.number if goal.number is not None else ''} {goal.label or goal.title}",
                             d.number if d.number is not None else "", d.title,
                             "★" + str(d.priority) if d.priority else "",
                             "、".join(str(n) for n in d.source_lines[:3])))
        parts.append(_table(["基本目標", "番号", "施策の方向", "重点", "出典行"], rows,
                            widths=["24%", "7%", "51%", "7%", "11%"]))
    if corpus.warnings:
        parts.append(f"<h3>取り込み時の注意（{len(corpus.warnings)} 件）</h3>"
                     "<p>原文の矛盾や推測した箇所です。原文の該当行を確認してください。</p>")
        parts.append(_table(["ファイル", "行", "内容"],
                            [(w.file, w.line, w.message) for w in corpus.warnings], widths=["22%", "8%", "70%"]))
    return "".join(parts)


def _direction_outcomes(findings: list[dict]) -> list[tuple[str, int]]:
    """How many past directions kept their title, were renamed, merged, split or ended."""
    past = [f for f in findings if f.get("side", "past") == "past" and f.get("status") != "new"]
    order = ("same_title", "renamed", "merged", "split", "no_successor")
    return [(k, sum(1 for f in past if f.get("status") == k)) for k in order]


def _key_points(data: ReportData) -> str:
    """The few numbers a committee reads first (from the findings); empty without them."""
    if data.graph is None or not data.findings:
        return ""
    generations = data.corpus.generations()
    old, new = _generation_label(generations[-2]), _generation_label(generations[-1])

    def of(kind, status=None):
        return [f for f in data.findings if f.get("kind") == kind and (status is None or f.get("status") == status)]

    def names(items, limit=8):
        subjects = [str(f.get("subject")) for f in items]
        return "、".join(subjects[:limit]) + (f" ほか {len(subjects) - limit} 件" if len(subjects) > limit else "")

    n_old = sum(1 for p in data.corpus.plans if p.generation == generations[-2] for _ in p.directions())
    n_new = sum(1 for p in data.corpus.plans if p.generation == generations[-1] for _ in p.directions())
    problems = of("problem")
    open_problems = of("problem", "not_taken_up")
    points = [
        f"施策の方向：{old} {n_old} 件 → {new} {n_new} 件（{old}の方向の行方："
        + "、".join(f"{STATUS_JA[k]} {n}" for k, n in _direction_outcomes(of("direction")))
        + f"／{new}で新規 {len(of('direction', 'new'))}）",
        f"テーマ：継続 {len(of('theme', 'continued'))}、新規 {len(of('theme', 'new'))}"
        + (f"（{names(of('theme', 'new'))}）" if of('theme', 'new') else "")
        + f"、消えた {len(of('theme', 'dropped'))}"
        + (f"（{names(of('theme', 'dropped'))}）" if of('theme', 'dropped') else ""),
        f"評価で挙がった課題・持ち越し {len(problems)} 件のうち、次期計画で取り上げられていないもの {len(open_problems)} 件",
    ]
    items = "".join(f"<li>{esc(p)}</li>" for p in points)
    return f'<div class="keypoints"><h3>要点</h3><ul>{items}</ul></div>'


def _section_themes(data: ReportData, tables: dict, figures: dict) -> str:
    if data.themes_by_generation is None:
        return _unavailable(data, "themes")
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
            parts.append(_figure(figures[name], name))
    parts.append("<h3>テーマの出現数（計画世代別）</h3>")
    parts.append(_frame_table(tables["themes_by_generation"]))
    return "".join(parts)


def _section_terms(data: ReportData, tables: dict, figures: dict) -> str:
    if data.terms is None:
        return _unavailable(data, "terms")
    top = data.settings.get("report", "terms")
    parts = [f"<p>名詞の連続から複合語を作り、重要度（{esc(data.settings.get('terms', 'method').upper())}）"
             f"で順位づけた上位 {top} 語です。</p>"]
    frame = tables["terms"]
    parts.append(_frame_table(frame, max_rows=top))
    if "keyness" in figures:
        parts.append(_figure(figures["keyness"], "keyness"))
    if "cooccurrence" in figures:
        parts.append(_figure(figures["cooccurrence"], "cooccurrence"))
    elif "cooccurrence" in data.unavailable:
        parts.append(_unavailable(data, "cooccurrence"))
    return "".join(parts)


def _section_stances(data: ReportData) -> str:
    if "stance" in data.unavailable:
        return _unavailable(data, "stance")
    corpus = data.corpus
    by_direction: dict[str, list[dict]] = {}
    for s in data.stances:
        by_direction.setdefault(s.get("direction"), []).append(s)
    parts = ["<p>評価の各文を、達成（〜できた）・取り組んだ（〜に取り組んだ）・課題（〜が課題）・"
             "持ち越し（次期へ持ち越し）に分類しました。太字は判定の手がかりになった語です。</p>"]
    rows = []
    for plan in corpus.plans:
        for d in plan.directions():
            items = by_direction.get(d.id, [])
            if not items and not d.evaluation:
                continue
            counts = [sum(1 for s in items if s.get("stance") == k) or "" for k in STANCE_ORDER]
            sentences = "".join(
                f'<li><span class="stance stance-{esc(s.get("stance"))}">'
                f'{esc(STANCE_JA.get(s.get("stance"), s.get("stance")))}</span> '
                f"{_highlight(s.get('sentence', ''), s.get('cues') or [])}"
                f'<span class="line">{esc(_line_text(s.get("line")))}</span></li>'
                for s in items)
            rows.append((d.id, _Raw(f"<strong>{esc(d.title)}</strong><ul class=\"sentences\">{sentences}</ul>"),
                         *counts))
    totals = "、".join(f"{STANCE_JA[k]} {sum(1 for s in data.stances if s.get('stance') == k)} 文"
                       for k in STANCE_ORDER)
    parts.append(f"<p>評価文 {len(data.stances)} 文のうち：{esc(totals)}。</p>")
    parts.append(_table(["ID", "施策の方向と評価文", *[STANCE_JA[k] for k in STANCE_ORDER]], rows,
                        classes="stances", widths=["9%", "63%", "7%", "7%", "7%", "7%"]))
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


def _section_continuity(data: ReportData, tables: dict, figures: dict) -> str:
    if data.graph is None:
        if "continuity" in data.unavailable:
            return _unavailable(data, "continuity")
        return "<p>比較できる計画世代が2つ以上ありません。</p>"
    parts = []
    if "continuity" in figures:
        parts.append(_figure(figures["continuity"], "continuity"))
    parts.append("<h3>つながりの一覧</h3>"
                 "<p>「文書が示す」は計画書の表の配置（再掲を含む）、「内容の類似」は本文の類似度から"
                 "計算したつながりです。</p>")
    titles = _titles(data.corpus)
    merged: dict[tuple[str, str], dict] = {}
    for link in data.links:  # one row per pair of directions, both kinds together
        row = merged.setdefault((link["from"], link["to"]), {"kinds": [], "relisted": False,
                                                             "score": link.get("score"),
                                                             "shared": link.get("shared_terms") or []})
        row["kinds"].append(LINK_KIND_JA.get(link.get("kind"), link.get("kind")))
        row["relisted"] = row["relisted"] or bool(link.get("relisted"))
    parts.append(_table(["前計画の施策の方向", "次期計画の方向性", "種類", "類似度", "共通する語"],
                        [(f"{a} {titles.get(a, '')}", f"{b} {titles.get(b, '')}",
                          "・".join(r["kinds"]) + ("（再掲）" if r["relisted"] else ""), r["score"],
                          "、".join(r["shared"])) for (a, b), r in merged.items()],
                        widths=["28%", "28%", "14%", "9%", "21%"]))
    return "".join(parts)


def _balanced(evidence: list[dict], past_ids: set[str], limit: int) -> list[dict]:
    """Up to ``limit`` pieces of evidence from each side (past plan, next plan), past first."""
    past = [e for e in evidence if e.get("direction") in past_ids]
    rest = [e for e in evidence if e.get("direction") not in past_ids]
    return past[:limit] + rest[:limit]


def _evidence_list(evidence: list[dict], titles: dict[str, str], limit: int = 4,
                   past_ids: set[str] | None = None) -> str:
    if not evidence:
        return ""
    shown = _balanced(evidence, past_ids, limit) if past_ids is not None else evidence[:limit]
    items = "".join(
        f"<li>{esc(e.get('sentence', ''))}"
        f'<span class="source">— {esc(e.get("direction", ""))} {esc(titles.get(e.get("direction", ""), ""))}'
        f"{esc(_line_text(e.get('line')))}</span></li>"
        for e in shown)
    more = f'<li class="more">ほか {len(evidence) - len(shown)} 件</li>' if len(evidence) > len(shown) else ""
    return f'<ul class="evidence">{items}{more}</ul>'


def _section_findings(data: ReportData) -> str:
    if data.graph is None:
        return _unavailable(data, "continuity") or "<p>比較できる計画世代が2つ以上ありません。</p>"
    titles = _titles(data.corpus)
    limit = data.settings.get("report", "evidence")
    generations = data.corpus.generations()
    past_ids = {d.id for p in data.corpus.plans if p.generation in generations[:-1] for d in p.directions()}
    parts = []

    def ids(values) -> str:
        return "、".join(f"{v} {titles.get(v, '')}".strip() for v in (values or []))

    groups = [
        ("theme", "テーマ", ("continued", "new", "dropped")),
        ("term", "重要語", ("continued", "new", "dropped")),
    ]
    for kind, label, statuses in groups:
        items = [f for f in data.findings if f.get("kind") == kind]
        parts.append(f"<h3>{esc(label)}：継続・新規・消えたもの</h3>")
        summary = "　".join(f"{STATUS_JA[s]} {sum(1 for f in items if f.get('status') == s)} 件" for s in statuses)
        parts.append(f"<p>{esc(summary)}</p>")
        rows = [(f.get("subject"), STATUS_JA.get(f.get("status"), f.get("status")),
                 f.get("past_count"), f.get("next_count"),
                 _Raw(_evidence_list(f.get("evidence") or [], titles, limit=limit, past_ids=past_ids)))
                for f in items]
        parts.append(_table([label, "判定", "前計画", "次期計画", "根拠となる文"], rows,
                            classes="findings", widths=["17%", "11%", "8%", "8%", "56%"]))
    problems = [f for f in data.findings if f.get("kind") == "problem"]
    taken = sum(1 for f in problems if f.get("status") == "taken_up")
    parts.append("<h3>評価で挙がった課題は次期計画で取り上げられたか</h3>")
    parts.append(f"<p>課題・持ち越しと判定した評価文 {len(problems)} 件のうち、取り上げられた {taken} 件、"
                 f"取り上げられていない {len(problems) - taken} 件。</p>")
    rows = [(_Raw(f'{esc(f.get("subject"))}{_evidence_source(f, titles)}'),
             STATUS_JA.get(f.get("status"), f.get("status")), ids(f.get("next")), "、".join(f.get("shared") or []))
            for f in problems]
    parts.append(_table(["課題（評価文）", "判定", "取り上げた次期の方向性", "共通する語"], rows,
                        classes="findings", widths=["44%", "14%", "26%", "16%"]))
    directions = [f for f in data.findings if f.get("kind") == "direction"]
    parts.append("<h3>施策の方向の行方</h3>")
    rows = [(f.get("subject"), STATUS_JA.get(f.get("status"), f.get("status")), ids(f.get("past")),
             ids(f.get("next"))) for f in directions]
    parts.append(_table(["施策の方向", "判定", "前計画", "次期計画"], rows, classes="findings",
                        widths=["30%", "12%", "29%", "29%"]))
    return "".join(parts)


def _evidence_source(finding: dict, titles: dict[str, str]) -> str:
    evidence = finding.get("evidence") or []
    if not evidence:
        return ""
    e = evidence[0]
    return (f'<span class="source">— {esc(e.get("direction", ""))} {esc(titles.get(e.get("direction", ""), ""))}'
            f"{esc(_line_text(e.get('line')))}</span>")


def _japanese_columns(frame):
    frame = frame.copy()
    if "status" in frame.columns:
        frame["status"] = frame["status"].map(lambda v: COMPARISON_STATUS_JA.get(v, v))
    return frame.rename(columns=COMPARISON_COLUMNS_JA)


def _section_comparison(data: ReportData, tables: dict) -> str:
    if "compare" in data.unavailable:
        return _unavailable(data, "compare")
    frames = comparison_frames(data.comparison)
    if not frames:
        return "<p>比較できる計画世代が2つ以上ありません。</p>"
    generations = data.corpus.generations()
    old, new = _generation_label(generations[-2]), _generation_label(generations[-1])
    parts = [f"<p>{esc(old)} と {esc(new)} を比較しました。基本目標と施策の方向は名称・番号・内容の類似度で"
             "一対一に対応づけ、テーマと重要語はそれを含む文の数の増減を G²（対数尤度比）で判定しています"
             "（|G²| が小さいものは「変化なし」）。</p>"]
    for name in ("goals", "directions"):
        frame = frames.get(name)
        if frame is None:
            continue
        parts.append(f"<h3>{esc(COMPARISON_JA[name])}</h3>")
        rows = [(f"{r.get('older') or ''} {r.get('older_title') or ''}".strip() or "—",
                 f"{r.get('newer') or ''} {r.get('newer_title') or ''}".strip() or "—",
                 COMPARISON_STATUS_JA.get(r.get("status"), r.get("status")), r.get("similarity"))
                for r in frame.to_dict("records")]
        parts.append(_table([old, new, "判定", "類似度"], rows, widths=["38%", "38%", "12%", "12%"]))
    for name in ("themes", "terms"):
        frame = frames.get(name)
        if frame is None:
            continue
        moved = frame[frame["status"] != "stable"] if "status" in frame.columns else frame
        parts.append(f"<h3>{esc(COMPARISON_JA[name])}</h3>")
        stable = len(frame) - len(moved)
        if stable:
            parts.append(f"<p>変化なし {stable} 件は表から省略（CSV・Excel にはすべて含みます）。</p>")
        rows = [(r.get("subject"), COMPARISON_STATUS_JA.get(r.get("status"), r.get("status")),
                 r.get("older_count"), r.get("newer_count"), r.get("g2")) for r in moved.to_dict("records")]
        parts.append(_table(["対象", "判定", f"{old}（文数）", f"{new}（文数）", "G²"], rows,
                            widths=["36%", "12%", "18%", "18%", "16%"]))
    frame = frames.get("priorities")
    if frame is not None:
        parts.append(f"<h3>{esc(COMPARISON_JA['priorities'])}</h3>")
        rows = [(f"{r.get('older') or '—'} → {r.get('newer') or '—'}", r.get("title"),
                 r.get("older_priority"), r.get("newer_priority"),
                 COMPARISON_STATUS_JA.get(r.get("status"), r.get("status"))) for r in frame.to_dict("records")]
        parts.append(_table(["施策の方向", "名称", f"{old}の重点", f"{new}の重点", "判定"], rows,
                            widths=["20%", "40%", "13%", "13%", "14%"]))
    return "".join(parts)


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


def _section_about(data: ReportData, generated_at: Any) -> str:
    from .tokens import dictionary_version

    corpus = data.corpus
    stamp = generated_at_text(generated_at)
    rows = [("keikaku", data.version), ("形態素解析", dictionary_version()),
            ("設定ファイル", data.settings.source or "既定の設定（analysis/data/settings.toml）")]
    parts = [_table(["項目", "内容"], rows, widths=["25%", "75%"])]
    if corpus.sources:
        parts.append("<h3>原資料</h3>")
        parts.append(_table(["ファイル", "形式", "SHA-256"],
                            [(s.get("file"), s.get("format"), s.get("sha256")) for s in corpus.sources],
                            classes="sources", widths=["35%", "12%", "53%"]))
    if data.unavailable:
        parts.append("<p class=\"note\">この版で利用できなかった分析："
                     f"{esc('、'.join(sorted(data.unavailable.values())))}</p>")
    parts.append("<h3>設定</h3><p>この結果を作った設定の全体です（keikaku --settings で変更できます）。</p>")
    parts.append(f'<pre class="settings">{esc(_settings_text(data.settings))}</pre>')
    if stamp:
        parts.append(f'<p class="generated">作成日時：{esc(stamp)}</p>')
    return "".join(parts)


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------

EXCEL_CELL_LIMIT = 32767  # characters a worksheet cell holds
EXCEL_CUT = "…（以下省略：全文は tables フォルダの CSV にあります）"


def write_workbook(path, tables: dict) -> None:
    """One Excel workbook, one sheet per table (Japanese sheet names), written atomically and with
    fixed document dates (so the same tables give the same workbook).

    What a worksheet cannot hold is marked, never dropped silently: control characters become
    U+FFFD and a text longer than a cell holds ends with a note pointing to the CSV (which keeps
    everything); a text starting with ``=`` is stored as text, never as a formula."""
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .outputs import atomic_write_bytes

    workbook = Workbook()
    workbook.remove(workbook.active)
    fixed = _dt.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "keikaku"
    used: set[str] = set()
    for name, frame in tables.items():
        sheet_name = _sheet_name(TABLES.get(name, (name, ""))[0], used)
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in row])
        for i, column in enumerate(frame.columns, 1):
            longest = max([len(str(column))] + [min(len(str(v)), 60) for v in frame[column].head(200)])
            sheet.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest * 1.8 + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(path, _fixed_zip(buffer.getvalue(), fixed))


def _fixed_zip(data: bytes, moment: _dt.datetime) -> bytes:
    """The same zip with every entry dated ``moment`` and openpyxl's save time in
    ``docProps/core.xml`` replaced, so equal workbooks are equal bytes."""
    import io
    import re
    import zipfile

    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(moment.year, moment.month, moment.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _sheet_name(base: str, used: set[str]) -> str:
    name = "".join("_" if ch in '[]:*?/\\' else ch for ch in base)[:31] or "表"
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name[:28]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def _cell(value):
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    value = plain_value(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # Control characters cannot be stored in a worksheet: shown as U+FFFD (the CSV keeps them).
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[:EXCEL_CELL_LIMIT - len(EXCEL_CUT)] + EXCEL_CUT
        if value.startswith(("=", "+", "-", "@")):
            return "'" + value  # never a formula from corpus text
    return value


def write_report(data: ReportData, directory="report", *, generated_at: Any = None,
                 progress: Progress | None = None) -> Path:
    """Write ``directory`` as a whole (atomically): ``index.html``, ``tables/*.csv`` (UTF-8 with
    BOM), ``keikaku.xlsx``, ``figures/*.svg`` (and ``*.png`` when ``[report] png``), and the continuity graph as GraphML,
    GEXF and node-link JSON (``graph/``).  On failure an existing ``directory`` is left untouched."""
    from . import plots
    from .outputs import atomic_directory, atomic_write_bytes, atomic_write_text, write_frame_csv

    report_progress = progress or (lambda step, done, total: None)
    directory = Path(directory)
    check_replaceable(directory)
    png = data.settings.get("report", "png")
    figures = report_figures(data)
    tables = report_tables(data)
    svgs = {}
    for i, (name, fig) in enumerate(figures.items(), 1):
        report_progress("図を作成中", i, len(figures))
        svgs[name] = plots.figure_svg(fig)
    with atomic_directory(directory) as staging:
        report_progress("レポートを書き出し中", 0, 1)
        atomic_write_text(staging / "index.html", render_html(data, generated_at=generated_at, figures=svgs))
        for name, frame in tables.items():
            write_frame_csv(staging / "tables" / f"{name}.csv", frame)
        write_workbook(staging / "keikaku.xlsx", tables)
        for name, fig in figures.items():
            atomic_write_bytes(staging / "figures" / f"{name}.svg", svgs[name])
            if png:
                atomic_write_bytes(staging / "figures" / f"{name}.png", plots.figure_png(fig))
        if data.graph is not None:
            _write_graphs(data.graph, staging / "graph")
    plots.figures_close(figures.values())
    return directory


GENERATOR_MARK = '<meta name="generator" content="keikaku'


def check_replaceable(directory) -> None:
    """The report replaces its directory as a whole: refuse a directory that holds anything but
    an earlier keikaku report (``-o ~/Documents`` must not delete someone's documents)."""
    from .errors import OutputError

    directory = Path(directory)
    if not directory.exists():
        return
    if not directory.is_dir():
        raise OutputError("exists and is not a directory", file=str(directory))
    if not any(directory.iterdir()):
        return
    index = directory / "index.html"
    try:
        head = index.read_text(encoding="utf-8", errors="replace")[:4000] if index.is_file() else ""
    except OSError:
        head = ""
    if GENERATOR_MARK not in head:
        raise OutputError(
            "既存のディレクトリで、keikaku のレポートではないため置き換えません。別の出力先を -o で指定してください"
            " (not a keikaku report directory; refusing to replace it)", file=str(directory))


def _write_graphs(graph, directory: Path) -> None:
    """The continuity graph for Gephi and Cytoscape (GraphML, GEXF) and as node-link JSON."""
    from .graphio import write_graph

    for suffix in ("graphml", "gexf", "json"):
        write_graph(graph, directory / f"continuity.{suffix}")


def build_report(path=None, directory="report", *, settings=None, generated_at: Any = None,
                 progress: Progress | None = None) -> Path:
    """Load the corpus at ``path`` (``None``: the bundled corpus), analyse it and write the report
    directory.  Returns the directory."""
    from .corpus_io import load_corpus

    corpus = load_corpus(path)
    data = report_data(corpus, settings=settings, progress=progress)
    return write_report(data, directory, generated_at=generated_at, progress=progress)
