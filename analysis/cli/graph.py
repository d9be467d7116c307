"""``keikaku graph``, ``keikaku gaps`` and ``keikaku compare``: the continuity graph, its findings
and the comparison of two generations.  Thin wrappers over :mod:`analysis.continuity`,
:mod:`analysis.compare` and :mod:`analysis.graphio` (nothing heavy is imported at start-up).
"""

from __future__ import annotations

import sys
from pathlib import Path

GRAPH_FILES = ("continuity.graphml", "continuity.gexf", "continuity.json")
CSV_FILES = ("findings.csv", "links.csv", "agreement.csv")  # + nodes.csv, edges.csv from `graph`
FOLDER_RULE = "（新しいか空のフォルダ、または graph・gaps・compare が前に書いたフォルダ。コーパスのフォルダには書かない）"


def register(subparsers, parent) -> None:
    graph = subparsers.add_parser(
        "graph", parents=[parent], help="継続性グラフを GraphML・GEXF・JSON で書き出す",
        description="前期計画の施策の方向・評価と次期計画の方向性を結ぶグラフを書き出します"
                    "（continuity.graphml / .gexf / .json と、所見・リンク・ノード・エッジの CSV）。")
    _corpus_argument(graph)
    graph.add_argument("-o", "--output", required=True, metavar="DIR", help="出力先ディレクトリ" + FOLDER_RULE)
    graph.set_defaults(handler=run_graph)

    gaps = subparsers.add_parser(
        "gaps", parents=[parent], help="継続・新規・消えたテーマと、評価の課題が次期計画で取り上げられたか",
        description="テーマ・語・課題・施策の方向ごとの所見（継続／新規／消えた、取り上げられた／いない、"
                    "同じ名称／名称変更／統合／分割／再編／後継なし）を根拠の文とともに表示します。")
    _corpus_argument(gaps)
    gaps.add_argument("--json", action="store_true", help="JSON で出力（links, findings, agreement, settings）")
    gaps.add_argument("--csv", metavar="DIR", help="所見・リンク・一致表を CSV（UTF-8 BOM）で書き出す" + FOLDER_RULE)
    gaps.set_defaults(handler=run_gaps)
    gaps.add_argument("--by", action="append", metavar="HEADER",
                      help="単年度の評価で、テーマ×この属性（対応づけていない列、例: 担当課）のクロス表も示す（繰り返し可）")

    compare = subparsers.add_parser(
        "compare", parents=[parent], help="二つの世代の計画を比べる（構成・テーマの増減・重点取組）",
        description="二つの世代の計画の基本目標・施策の方向の対応、テーマと語の増減（G²）、重点取組の変化を示します。")
    _corpus_argument(compare)
    compare.add_argument("--from", dest="older", type=int, metavar="G", help="古い世代（既定: 最後から二つ目）")
    compare.add_argument("--to", dest="newer", type=int, metavar="G", help="新しい世代（既定: 最後）")
    compare.add_argument("--owner", metavar="NAME", help="比べる策定主体（複数の策定主体の計画を含むコーパスで指定）")
    compare.add_argument("--json", action="store_true", help="JSON で出力")
    compare.add_argument("--csv", metavar="DIR", help="各表を CSV（UTF-8 BOM）で書き出す" + FOLDER_RULE)
    compare.set_defaults(handler=run_compare)


def check_files_target(directory) -> None:
    """Before the work, not after it: ``directory`` can be written, and keikaku may write files
    into it (new, empty, or written by graph/gaps/compare before; never a corpus folder)."""
    from ..outputs import check_output_directory, check_owned_directory

    check_output_directory(directory)
    check_owned_directory(directory)


def _corpus_argument(parser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="コーパス（ディレクトリ、またはコーパス JSON）。省略時は同梱のコーパス")


# ---------------------------------------------------------------------------------------------
def load_inputs(args):
    """The shared inputs (``analysis.cli.text.Inputs``: settings, corpus, units, tokens, path) for
    a sub-command.  PATH may also be a corpus JSON as ``keikaku corpus --json`` prints it."""
    from .text import Inputs, load_settings
    from .text import load_inputs as shared_load_inputs

    path = getattr(args, "path", None)
    if path is None or not (Path(path).is_file() and Path(path).suffix.lower() == ".json"):
        return shared_load_inputs(args)
    from ..tokens import tokenize_corpus

    settings = load_settings(args)
    corpus = _corpus_from_json(Path(path))
    tokens = tokenize_corpus(corpus, settings=settings)
    units = tokens.units
    return Inputs(settings=settings, corpus=corpus, units=units, tokens=tokens, path=path)


def _corpus_from_json(path: Path):
    from ..corpus_io import load_corpus

    return load_corpus(path)  # a corpus JSON, its field types checked


def _analysis(args):
    from ..continuity import build_continuity_graph

    inputs = load_inputs(args)
    graph = build_continuity_graph(inputs.corpus, tokens=inputs.tokens, settings=inputs.settings)
    return inputs, graph


def _write_csvs(directory: Path, graph, items, *, with_graph: bool = False) -> list[Path]:
    from ..continuity import agreement_frame, edges_frame, findings_frame, links_frame, nodes_frame
    from ..outputs import write_frame_csv

    frames = {"findings.csv": findings_frame(items), "links.csv": links_frame(graph),
              "agreement.csv": agreement_frame(graph)}
    if with_graph:
        frames["nodes.csv"] = nodes_frame(graph)
        frames["edges.csv"] = edges_frame(graph)
    written = []
    for name, frame in frames.items():
        write_frame_csv(directory / name, frame)
        written.append(directory / name)
    return written


def run_graph(args) -> int:
    from ..continuity import findings
    from ..graphio import gexf_omitted, write_graph
    out = Path(args.output)
    check_files_target(out)
    _, graph = _analysis(args)
    items = findings(graph)
    from ..outputs import atomic_files

    omitted = gexf_omitted(graph)
    files = [name for name in GRAPH_FILES if not (omitted and name.endswith(".gexf"))]
    with atomic_files(out) as staging:  # all files or none: a failure keeps the previous ones
        for name in files:
            write_graph(graph, staging / name)
        names = [p.name for p in _write_csvs(staging, graph, items, with_graph=True)]
    written = [out / name for name in (*files, *names)]
    if omitted:
        print(f"※ {omitted}")
    kinds: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        kinds[attrs["kind"]] = kinds.get(attrs["kind"], 0) + 1
    from ..continuity import continuity_state

    for note in continuity_state(graph).notes:
        print(f"※ {note.message}")
    print(f"継続性グラフ: ノード {graph.number_of_nodes()}（" +
          "、".join(f"{k} {v}" for k, v in sorted(kinds.items())) + f"）、エッジ {graph.number_of_edges()}")
    for path in written:
        print(f"  {path}")
    return 0


def gaps_json(graph, items, settings: dict) -> dict:
    from ..continuity import agreement_frame, continuity_state, links
    from ..outputs import plain_value

    agreement = [{k: plain_value(v) for k, v in row.items()}
                 for row in agreement_frame(graph).to_dict(orient="records")]
    return {"notes": [n.to_dict() for n in continuity_state(graph).notes], "links": links(graph),
            "findings": [f.to_dict() for f in items], "agreement": agreement, "settings": settings}


def run_gaps(args) -> int:
    from ..continuity import findings
    from ..outputs import json_dumps

    from .text import settings_record

    if args.csv:
        check_files_target(args.csv)
    inputs, graph = _analysis(args)
    items = findings(graph)
    period = period_findings_for(inputs, by=args.by)
    if args.csv:
        from ..outputs import atomic_files, write_frame_csv

        with atomic_files(args.csv) as staging:
            _write_csvs(staging, graph, items)
            for name, frame in (period.frames().items() if period is not None else ()):
                write_frame_csv(staging / f"period_{name}.csv", frame)
    if args.json:
        data = gaps_json(graph, items, settings_record(inputs))
        if period is not None:
            data["period_findings"] = period.to_dict()
        sys.stdout.write(json_dumps(data))
    else:
        text = gaps_text(graph, items)
        sys.stdout.write(text)
        if period is not None:  # after the notes (and any comparison), one blank line apart
            from ..evaluations import period_summary

            sys.stdout.write(("\n" if text.strip() else "") + period_summary(period))
    return 0


def period_findings_for(inputs, *, by: list[str] | None = None):
    """The one-period findings (:func:`analysis.evaluations.period_findings`) that ``gaps`` shows
    after its notes: for a corpus of one period, one holding decisions or ratings, or when
    ``--by`` asks for them; None otherwise."""
    from ..evaluations import holds_period_data, period_findings
    from ..pipeline import analyze

    corpus = inputs.corpus
    if not (by or len(corpus.generations()) < 2 or holds_period_data(corpus)):
        return None
    analysis = analyze(corpus, settings=inputs.settings, tokens=inputs.tokens)
    return period_findings(analysis, by=tuple(by or ()))


def gaps_text(graph, items) -> str:
    """The findings as a readable Japanese listing, after one line per note (what the corpus
    cannot support)."""
    from ..continuity import STATUS_JA, agreement_frame, continuity_state

    label = lambda did: f"{did} {graph.nodes[did]['label']}" if did in graph else did  # noqa: E731
    state = continuity_state(graph)
    place = lambda line: state.corpus.place(line) or "?行"  # noqa: E731 - 「p.3 表2 5行」 for a PDF row
    lines: list[str] = [f"※ {n.message}" for n in state.notes]
    if lines:
        lines.append("")
    by_pair: dict[str, list] = {}
    for f in items:
        by_pair.setdefault(f.plans, []).append(f)
    agreement_by_pair: dict[str, list[dict]] = {}  # grouped once: a corpus may hold thousands of pairs
    for r in agreement_frame(graph).to_dict("records"):
        agreement_by_pair.setdefault(r["plans"], []).append(r)
    owners = ({p.id: p.owner for p in state.corpus.plans} if len(state.corpus.chains()) > 1 else {})
    for pair, group in by_pair.items():
        owner = owners.get(pair.split("→")[0], "")
        lines.append(f"# 継続性: {owner + ' ' if owner else ''}{pair}")
        lines.append("")
        lines.append("## 前期の施策の方向はどこへ行ったか")
        past_side = [f for f in group if f.kind == "direction" and f.side == "past"]
        next_side = [f for f in group if f.kind == "direction" and f.side == "next"]
        nearest = {r["past"]: (r["best"], r["best_score"]) for r in agreement_by_pair.get(pair, [])
                   if r["best"] and (r["best_score"] or 0) > 0}
        threshold = state.options["min_content_score"]
        for f in past_side:
            target = "、".join(label(n) for n in f.next) or "—"
            basis = {"decision": "（今後の方向性による）",
                     "decision_contradicted": "（今後の方向性は終了・廃止だが、次期にも同じ名称の施策・事業がある）"
                     }.get(f.basis, "")
            if f.status == "no_successor" and f.basis != "decision" and f.past[0] in nearest:
                # "no successor" is a threshold's verdict: show how near the nearest one came
                best, score = nearest[f.past[0]]
                basis = f"（本文で最も近いのは {label(best)}、類似度 {score:.3f}（{threshold:g} 未満））"
            lines.append(f"- [{STATUS_JA[f.status]}] {label(f.past[0])} → {target}{basis}")
        groups = list(dict.fromkeys(tuple(f.group) for f in past_side if f.group))
        for k, members in enumerate(groups, 1):
            past_ids = [d for d in members if d in {x for f in past_side for x in f.past}]
            next_ids = [d for d in members if d not in past_ids]
            lines.append(f"  再編 {k}: {'、'.join(past_ids)}（{len(past_ids)} 件）→ "
                         f"{'、'.join(next_ids)}（{len(next_ids)} 件）")
        lines.append("")
        lines.append("## 次期の施策の方向はどこから来たか")
        for f in next_side:
            source = "、".join(label(p) for p in f.past) or "（新規）"
            lines.append(f"- [{STATUS_JA[f.status]}] {label(f.next[0])} ← {source}")
        lines.append("")
        lines.append("## 評価で挙げられた課題は取り上げられたか")
        problems = [f for f in group if f.kind == "problem"]
        if not problems:
            lines.append("- 課題を述べた評価の文はありません")
        for f in problems:
            where = f.evidence[0]
            lines.append(f"- [{STATUS_JA[f.status]}] {where['direction']}（{place(where['line'])}）「{f.subject}」")
            for n in f.next:
                lines.append(f"    → {label(n)}")
            if f.shared:
                lines.append(f"    共通の語・テーマ: {'、'.join(f.shared)}")
        for kind, title in (("theme", "テーマ"), ("term", "複合語")):
            lines.append("")
            lines.append(f"## {title}（前期の評価 → 次期の方向性、文の数）")
            for f in (x for x in group if x.kind == kind):
                note = (f"（前期計画の施策名・取組内容には {f.past_titles_count} 件）"
                        if f.status == "new" and f.past_titles_count else "")
                lines.append(f"- [{STATUS_JA[f.status]}] {f.subject}: {f.past_count} → {f.next_count}{note}")
                if kind == "theme" and f.status in ("new", "dropped") and f.evidence:
                    e = f.evidence[0]
                    lines.append(f"    例: {e['direction']}（{place(e['line'])}）「{_short(e['sentence'])}」")
        lines.append("")
        lines.append("## 計画書が示すつながりと本文から計算したつながり")
        ja = {"agree": "一致", "disagree": "不一致", "stated_only": "計画書のみ", "content_only": "本文のみ",
              "none": "どちらもなし"}
        rows = agreement_by_pair.get(pair, [])
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["agreement"]] = counts.get(r["agreement"], 0) + 1
        lines.append("  " + "、".join(f"{ja[k]} {counts[k]}" for k in ja if k in counts))
        for r in rows:
            if r["agreement"] in ("disagree", "content_only", "stated_only"):
                stated = "、".join(r["stated"].split("、")) if r["stated"] else "—"
                lines.append(f"- [{ja[r['agreement']]}] {label(r['past'])}")
                lines.append(f"    計画書: {stated} ／ 本文で最も近い: {label(r['best'])}（{r['best_score']:.2f}）")
        lines.append("")
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _owner_option(args) -> dict:
    """``--owner`` in the JSON's options only when given (the record of a one-owner run is unchanged)."""
    return {"owner": args.owner} if args.owner is not None else {}


def run_compare(args) -> int:
    from ..compare import compare_generations, comparison_summary, notes_summary
    from ..continuity import comparison_note
    from ..outputs import json_dumps, write_frame_csv
    from .text import settings_record

    if args.csv:
        check_files_target(args.csv)
    inputs = load_inputs(args)
    note = comparison_note(inputs.corpus, args.older, args.newer, owner=args.owner)
    if note is not None:  # nothing to compare: say why in one line, write no table, and succeed
        if args.json:
            sys.stdout.write(json_dumps({"notes": [note.to_dict()],
                                         "settings": settings_record(inputs, older=args.older, newer=args.newer, **_owner_option(args))}))
        else:
            sys.stdout.write(notes_summary([note]))
        return 0
    comparison = compare_generations(inputs.corpus, args.older, args.newer, tokens=inputs.tokens,
                                     settings=inputs.settings, owner=args.owner)
    if args.csv:
        from ..outputs import atomic_files

        with atomic_files(args.csv) as staging:
            for name, frame in comparison.frames().items():
                write_frame_csv(staging / f"{name}.csv", frame)
    if args.json:
        data = comparison.to_dict()
        data["settings"] = settings_record(inputs, older=args.older, newer=args.newer, **_owner_option(args))
        sys.stdout.write(json_dumps(data))
    else:
        sys.stdout.write(comparison_summary(comparison))
    return 0

