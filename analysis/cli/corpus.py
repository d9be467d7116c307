"""``keikaku corpus [PATH] [--json]``, ``keikaku import SOURCE… -o DIR`` and
``keikaku mapping FILE [--sheet S]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers, parent: argparse.ArgumentParser) -> None:
    corpus = subparsers.add_parser(
        "corpus", parents=[parent], help="計画コーパスの要約（--json で全体をJSON）",
        description="計画コーパスを読み込み、計画・基本目標・施策の方向・つながり・警告を日本語で要約します。"
                    "PATH を省くと同梱のコーパスを使います。")
    corpus.add_argument("path", nargs="?", metavar="PATH",
                        help="corpus directory or source file (.txt/.tsv/.csv/.xlsx); default: bundled")
    corpus.add_argument("--json", action="store_true", help="print the whole corpus as JSON")
    corpus.set_defaults(handler=run_corpus)

    imp = subparsers.add_parser(
        "import", parents=[parent], help="元の表（評価表テキスト・PDF・Word・CSV・Excel）からコーパスを作る",
        description="Import a source file into a corpus directory (CSV tables + manifest + the "
                    "source verbatim).  The directory is replaced as a whole, atomically.")
    imp.add_argument("source", metavar="SOURCE", nargs="+",
                     help="source file(s) (.txt/.tsv, .pdf or .docx evaluation table, .csv, .xlsx), in generation "
                          "order; a table may carry its mapping beside it as NAME.mapping.toml")
    imp.add_argument("-o", "--output", required=True, metavar="DIR", help="corpus directory to write")
    imp.add_argument("--format", choices=("evaluation-table", "csv", "xlsx", "pdf", "docx"),
                     help="source format (default: from the file name)")
    imp.add_argument("--mapping", metavar="TOML", help="column mapping for a CSV/Excel table")
    imp.add_argument("--column", action="append", default=[], metavar="ROLE=HEADER",
                     help="map one column (added to --mapping): goal, direction or unit, "
                          "initiatives, evaluation, next, philosophy, priority, next_description, "
                          "description, decision, period, and the repeatable level, text "
                          "(HEADER:LABEL), rating, rating_reason, attribute")
    imp.add_argument("--owner", help="plan owner (default: as recorded in DIR's manifest for the "
                                      "same source, else guessed from the plan title)")
    imp.add_argument("--name", help="corpus name (default: the output directory's name)")
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.set_defaults(handler=run_import)

    guess = subparsers.add_parser(
        "mapping", parents=[parent], help="表の見出しを調べ、列の対応（mapping TOML）の案を出す",
        description="Print the headers found in a CSV/Excel table (sheet, header row, repeated "
                    "headers) and a column mapping TOML guessed from common header words, to edit "
                    "and pass to keikaku import --mapping.")
    guess.add_argument("file", metavar="FILE", help="a .csv, .tsv or .xlsx table")
    guess.add_argument("--sheet", help="Excel sheet (default: the first)")
    guess.add_argument("--header-line", type=int, metavar="N",
                       help="the header row (default: the first row filled at least half as wide "
                            "as the widest)")
    guess.set_defaults(handler=run_mapping)


def run_corpus(args: argparse.Namespace) -> int:
    from ..corpus_io import load_corpus
    from ..outputs import json_dumps

    _check_settings(args)
    corpus = load_corpus(args.path)
    if args.json:
        sys.stdout.write(json_dumps(corpus.to_dict()))
    else:
        sys.stdout.write(summary(corpus))
    return 0


def run_import(args: argparse.Namespace) -> int:

    from ..corpus_io import write_corpus
    from ..importers import add_columns, import_source, import_sources, read_mapping, sibling_mapping

    _check_settings(args)
    output = Path(args.output)
    from ..outputs import check_output_directory

    check_output_directory(output, replaced=True)
    name = args.name or output.resolve().name
    if len(args.source) > 1:
        mapping = read_mapping(args.mapping) if args.mapping else None
        recorded = {Path(s).name: _recorded_source(output, Path(s).name).get("options", {}).get("mapping")
                    for s in args.source}
        corpus = import_sources(args.source, format=args.format, mapping=mapping, columns=args.column,
                                owner=args.owner, name=name, sheet=args.sheet,
                                recorded={k: v for k, v in recorded.items() if v})
    else:
        source = args.source[0]
        given = args.mapping or sibling_mapping(source)
        mapping = None
        if given or args.column:
            mapping = read_mapping(add_columns(read_mapping(given) if given else None, args.column))
        # Re-importing into a corpus made from the same file reuses the options recorded in its
        # manifest (owner, mapping, sheet, format) unless the command line gives new ones.
        previous = _recorded_source(output, Path(source).name)
        options = previous.get("options", {})
        if mapping is None and "mapping" in options:
            mapping = read_mapping(options["mapping"])
        corpus = import_source(
            source, format=args.format or previous.get("format"), mapping=mapping,
            owner=args.owner if args.owner is not None else options.get("owner"), name=name,
            sheet=args.sheet if args.sheet is not None else options.get("sheet"))
    write_corpus(corpus, output, sources=args.source)
    n_dirs = sum(1 for _ in corpus.directions())
    print(f"{output}: 計画{len(corpus.plans)}件、施策の方向{n_dirs}件、つながり{len(corpus.links)}件、"
          f"警告{len(corpus.warnings)}件を書き出しました")
    return 0


def run_mapping(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..errors import InputError
    from ..importers.headers import column_names, fold_header, header_row, likely_header_row
    from ..importers.mapping import guess_mapping
    from ..importers.table import read_table

    _check_settings(args)
    path = Path(args.file)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx"):
        raise InputError("expected a .csv, .tsv or .xlsx table", file=str(path))
    source = read_table(path, sheet=args.sheet)
    if args.header_line is not None:
        found = [cells for n, cells in source.rows if n == args.header_line]
        if not found or not any(c.strip() for c in found[0]):
            raise InputError("expected the header row here (--header-line)", file=str(path),
                             line=args.header_line)
        header = header_row(source.rows, args.header_line)
    else:
        header = likely_header_row(source.rows)
        if header is None:
            raise InputError("empty table, expected a header row", file=str(path), line=1)
    line, cells = header.line, header.cells
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    names = column_names(cells[:width])
    counts: dict[str, int] = {}
    for name in names:
        if "#" in name:
            base = name.rsplit("#", 1)[0]
            counts[base] = counts.get(base, 0) + 1
    where = f"シート「{source.sheet}」、" if source.sheet else ""
    rows = f"{line}〜{header.sub_line}行目（2行の見出し）" if header.sub_line else f"{line}行目"
    out = [f"# {path.name}: {where}見出し行 {rows}、{len(names)}列"]
    if counts:
        out.append("# 同じ見出しが繰り返される列（HEADER#n で指定します）: "
                   + "、".join(f"{h} ×{n}" for h, n in counts.items()))
    for i, name in enumerate(names):
        raw = cells[i]
        shown = f"（元の見出し: {raw!r}）" if fold_header(raw) and raw != name.split("#")[0] and "\n" in raw else ""
        out.append(f"#   {i + 1}列目 {name}{shown}")
    out.append("")
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.write(guess_mapping(names, file=path.name, sheet=source.sheet, header_line=line,
                                   duplicates=counts, sub_line=header.sub_line,
                                   subs=header.subs[:width]))
    return 0


def _recorded_source(output, file_name: str) -> dict:
    """The manifest entry of ``file_name`` in an existing corpus directory, else {}."""
    import json

    manifest = output / "manifest.json"
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # the import replaces it anyway
    for source in data.get("sources", []) if isinstance(data, dict) else []:
        if isinstance(source, dict) and source.get("file") == file_name:
            return source
    return {}


def _check_settings(args: argparse.Namespace) -> None:
    """A --settings file these commands do not use is still read: a broken one is an error,
    never silently ignored."""
    if getattr(args, "settings", None):
        from ..settings import Settings

        Settings.load(args.settings)


# How many warnings, skipped lines and units per goal the summary lists before a count.
MAX_WARNINGS = 20
MAX_SKIPPED = 10
MAX_UNITS = 30


def _unit_summary(directions: list) -> list[str]:
    """What the units of one plan hold beyond titles: text labels, decisions, ratings, attributes."""
    from collections import Counter

    from ..importers.decisions import CLASS_NAMES

    out = []
    labels = Counter(t.label for d in directions for t in d.texts)
    if labels:
        out.append("  評価の文章: " + "、".join(f"{k} {v}件" for k, v in labels.items()))
    decisions = Counter(d.decision.class_ for d in directions if d.decision is not None)
    if decisions:
        out.append("  今後の方向性: " + "、".join(f"{CLASS_NAMES.get(k, k)} {v}件"
                                             for k, v in decisions.most_common()))
    questions = Counter(r.question for d in directions for r in d.ratings)
    if questions:
        out.append(f"  評定: {len(questions)}問（" + "、".join(list(questions)[:5])
                   + ("ほか" if len(questions) > 5 else "") + "）")
    attributes = Counter(k for d in directions for k in d.attributes)
    if attributes:
        out.append(f"  属性（対応づけのない列）: {len(attributes)}列（"
                   + "、".join(list(attributes)[:5]) + ("ほか" if len(attributes) > 5 else "") + "）")
    return out


def summary(corpus) -> str:
    """The corpus as a few lines of Japanese for a terminal (long lists cut to a few and a count)."""
    out: list[str] = [f"コーパス: {corpus.name}"]
    for source in corpus.sources:
        out.append(f"  元の資料: {source.get('file', '')}（{source.get('format', '')}）")
    for plan in corpus.plans:
        role = "点検・評価の対象" if plan.role == "evaluated" else "次期計画"
        out.append("")
        head = f"■ {plan.title}（第{plan.generation}次・{role}）"
        out.append(head)
        if plan.period:
            out.append(f"  期間: {plan.period}")
        if plan.owner:
            out.append(f"  策定: {plan.owner}")
        if plan.philosophy:
            out.append(f"  基本理念: {plan.philosophy}")
        out += _unit_summary(list(plan.directions()))
        for goal in plan.goals:
            label = f"（{goal.label}）" if goal.label and goal.label != goal.title else ""
            name = f" {goal.title}" if goal.title else ""
            top = goal.directions[0].levels[0].label if goal.directions and goal.directions[0].levels else ""
            if top:  # units grouped by the top of their hierarchy (政策名 …), not by a 基本目標
                out.append(f"  {top}「{goal.title}」: 評価の対象 {len(goal.directions)}件")
            else:
                out.append(f"  基本目標{goal.number}{name}{label}: 施策の方向 {len(goal.directions)}件")
            for d in goal.directions[:MAX_UNITS]:
                marks = []
                if d.priority is not None:
                    marks.append(f"重点取組{d.priority}" if d.priority else "重点取組")
                if d.relisted_lines:
                    marks.append("再掲 " + "・".join(f"{n}行目" for n in d.relisted_lines))
                mark = f"［{'、'.join(marks)}］" if marks else ""
                lines = "・".join(str(n) for n in d.source_lines)
                out.append(f"    {d.id} {d.title}{mark}（{lines}行目）")
            if len(goal.directions) > MAX_UNITS:
                out.append(f"    ほか{len(goal.directions) - MAX_UNITS}件（keikaku corpus --json）")
    out.append("")
    stated = [link for link in corpus.links if link.kind == "stated"]
    out.append(f"つながり: {len(corpus.links)}件（資料に書かれたもの {len(stated)}件、"
               f"うち再掲 {sum(1 for link in stated if link.relisted)}件）")
    if corpus.skipped:
        out.append(f"読み込まなかった行: {len(corpus.skipped)}行")
        for s in corpus.skipped[:MAX_SKIPPED]:
            whose = f"{Path(s['file']).name} " if len(corpus.sources) > 1 and s.get("file") else ""  # whose line
            out.append(f"  {whose}{s.get('line')}行目 {s.get('reason', '')}")
        if len(corpus.skipped) > MAX_SKIPPED:
            out.append(f"  ほか{len(corpus.skipped) - MAX_SKIPPED}行（skipped.csv）")
    if corpus.warnings:
        from ..importers.table import UNMAPPED

        out.append(f"警告: {len(corpus.warnings)}件")
        # the columns kept as attributes are one line, so the other warnings are not hidden
        unmapped = [w for w in corpus.warnings if w.message.startswith(UNMAPPED)]
        others = [w for w in corpus.warnings if not w.message.startswith(UNMAPPED)]
        if len(unmapped) > 1:
            names = "、".join(w.field for w in unmapped[:5]) + ("ほか" if len(unmapped) > 5 else "")
            out.append(f"  {UNMAPPED}{len(unmapped)}列（{names}）の値は、各行の属性として読み込みました")
        else:
            others = corpus.warnings
        for w in others[:MAX_WARNINGS]:
            where = f"{w.line}行目" if w.line is not None else ""  # a page or the whole file: said in the message
            if len(corpus.sources) > 1 and w.file:  # several sources: whose line it is
                where = f"{Path(w.file).name} {where}".strip()
            field = f"［{w.field}］" if w.field else ""
            out.append("  " + " ".join(part for part in (where + field, w.message) if part))
        if len(others) > MAX_WARNINGS:
            out.append(f"  ほか{len(others) - MAX_WARNINGS}件（warnings.csv、keikaku corpus --json）")
    else:
        out.append("警告: なし")
    return "\n".join(out) + "\n"
