"""``keikaku corpus [PATH] [--json]`` and ``keikaku import SOURCE -o DIR``."""

from __future__ import annotations

import argparse
import sys


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
        "import", parents=[parent], help="元の表（評価表テキスト・CSV・Excel）からコーパスを作る",
        description="Import a source file into a corpus directory (CSV tables + manifest + the "
                    "source verbatim).  The directory is replaced as a whole, atomically.")
    imp.add_argument("source", metavar="SOURCE", help="source file (.txt/.tsv evaluation table, .csv, .xlsx)")
    imp.add_argument("-o", "--output", required=True, metavar="DIR", help="corpus directory to write")
    imp.add_argument("--format", choices=("evaluation-table", "csv", "xlsx"),
                     help="source format (default: from the file name)")
    imp.add_argument("--mapping", metavar="TOML", help="column mapping for a CSV/Excel table")
    imp.add_argument("--column", action="append", default=[], metavar="ROLE=HEADER",
                     help="map one column without a TOML file (goal, direction, initiatives, "
                          "evaluation, next, philosophy, priority, next_description); repeatable")
    imp.add_argument("--owner", help="plan owner (default: as recorded in DIR's manifest for the "
                                      "same source, else guessed from the plan title)")
    imp.add_argument("--name", help="corpus name (default: the output directory's name)")
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.set_defaults(handler=run_import)


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
    from pathlib import Path

    from ..corpus_io import write_corpus
    from ..errors import SettingsError
    from ..importers import import_source, read_mapping

    _check_settings(args)
    mapping = None
    if args.mapping or args.column:
        data = read_mapping(args.mapping) if args.mapping else {"columns": {}, "plan": {}, "table": {}}
        for item in args.column:
            role, sep, header = item.partition("=")
            if not sep or not role.strip() or not header.strip():
                raise SettingsError(f"expected ROLE=HEADER, found {item!r}", field="--column")
            data["columns"][role.strip()] = header.strip()
        mapping = read_mapping(data)
    output = Path(args.output)
    from ..outputs import check_output_directory

    check_output_directory(output, replaced=True)
    # Re-importing into a corpus made from the same file reuses the options recorded in its
    # manifest (owner, mapping, sheet, format) unless the command line gives new ones.
    previous = _recorded_source(output, Path(args.source).name)
    options = previous.get("options", {})
    if mapping is None and "mapping" in options:
        mapping = read_mapping(options["mapping"])
    corpus = import_source(
        args.source, format=args.format or previous.get("format"), mapping=mapping,
        owner=args.owner if args.owner is not None else options.get("owner"),
        name=args.name or output.resolve().name,
        sheet=args.sheet if args.sheet is not None else options.get("sheet"))
    write_corpus(corpus, output, sources=[args.source])
    n_dirs = sum(1 for _ in corpus.directions())
    print(f"{output}: 計画{len(corpus.plans)}件、施策の方向{n_dirs}件、つながり{len(corpus.links)}件、"
          f"警告{len(corpus.warnings)}件を書き出しました")
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


def summary(corpus) -> str:
    """The corpus as a few lines of Japanese for a terminal."""
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
        for goal in plan.goals:
            label = f"（{goal.label}）" if goal.label and goal.label != goal.title else ""
            name = f" {goal.title}" if goal.title else ""
            out.append(f"  基本目標{goal.number}{name}{label}: 施策の方向 {len(goal.directions)}件")
            for d in goal.directions:
                marks = []
                if d.priority is not None:
                    marks.append(f"重点取組{d.priority}" if d.priority else "重点取組")
                if d.relisted_lines:
                    marks.append("再掲 " + "・".join(f"{n}行目" for n in d.relisted_lines))
                mark = f"［{'、'.join(marks)}］" if marks else ""
                lines = "・".join(str(n) for n in d.source_lines)
                out.append(f"    {d.id} {d.title}{mark}（{lines}行目）")
    out.append("")
    stated = [link for link in corpus.links if link.kind == "stated"]
    out.append(f"つながり: {len(corpus.links)}件（資料に書かれたもの {len(stated)}件、"
               f"うち再掲 {sum(1 for link in stated if link.relisted)}件）")
    if corpus.skipped:
        out.append(f"読み込まなかった行: {len(corpus.skipped)}行")
        for s in corpus.skipped:
            out.append(f"  {s.get('line')}行目 {s.get('reason', '')}")
    if corpus.warnings:
        out.append(f"警告: {len(corpus.warnings)}件")
        for w in corpus.warnings:
            where = f"{w.line}行目" if w.line is not None else "行不明"
            field = f"［{w.field}］" if w.field else ""
            out.append(f"  {where}{field} {w.message}")
    else:
        out.append("警告: なし")
    return "\n".join(out) + "\n"
