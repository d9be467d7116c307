"""``keikaku report [PATH] -o DIR``: the HTML report, tables, workbook, figures and graph files.

Without PATH it reports on the bundled corpus; without ``-o`` it writes ``./report``.  Progress
goes to stderr; the last line on stdout says where the report is.  Nothing heavy is imported at
module level.
"""

from __future__ import annotations

import argparse
import sys

DEFAULT_OUTPUT = "report"


def register(subparsers, parent: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "report", parents=[parent], help="分析レポート（HTML・CSV・Excel・図・グラフ）を作る",
        description="コーパスを分析し、印刷できる HTML レポート DIR/index.html と、表（CSV・Excel）、"
                    "図（SVG・PNG）、継続性グラフ（GraphML・GEXF・JSON）を DIR に書き出す。"
                    "DIR は丸ごと置き換える（失敗したときは元のまま）。"
                    "DIR が keikaku のレポート以外のものを含むときは置き換えずにエラーにする。")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="コーパスのディレクトリまたはファイル（省略時は同梱のコーパス）")
    p.add_argument("-o", "--output", metavar="DIR", default=DEFAULT_OUTPUT,
                   help=f"出力先のディレクトリ（既定: ./{DEFAULT_OUTPUT}）")
    p.add_argument("--no-timestamp", action="store_true",
                   help="作成日時の行を省く（同じ入力から同じバイト列を得るため。"
                        "環境変数 SOURCE_DATE_EPOCH でも日時を固定できる）")
    p.add_argument("--quiet", "-q", action="store_true", help="進行状況を表示しない")
    p.set_defaults(handler=run_report)


class StderrProgress:
    """Progress lines on stderr: each step once when it starts, long steps every 10 %."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.step = None
        self.shown = -1

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.step:
            self.step, self.shown = step, -1
            if total <= 1 or done == 0:
                print(f"{step}…", file=self.stream, flush=True)
                if total <= 1:
                    return
        if total > 1:
            tenth = done * 10 // total
            if tenth != self.shown:
                self.shown = tenth
                print(f"{step}… {done}/{total}", file=self.stream, flush=True)


def run_report(args: argparse.Namespace) -> int:
    from ..corpus_io import load_corpus
    from ..report import check_replaceable, report_data, write_report
    from .text import load_settings

    from ..outputs import check_output_directory

    check_output_directory(args.output, replaced=True)  # before the work, not after it
    check_replaceable(args.output)
    progress = None if args.quiet else StderrProgress()
    settings = load_settings(args)
    corpus = load_corpus(args.path)
    data = report_data(corpus, settings=settings, progress=progress)
    directory = write_report(data, args.output, generated_at=False if args.no_timestamp else None,
                             progress=progress)
    index = (directory / "index.html").resolve()
    print(f"レポートを作成しました: {index}")
    print(f"表（CSV・Excel）・図・グラフ: {directory.resolve()}")
    return 0
