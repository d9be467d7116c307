"""``keikaku explore``: the point-and-click explorer in the browser (:mod:`analysis.explore`).

Binds 127.0.0.1 (another host only with ``--host``, with a warning), a free port unless
``--port``, prints the URL and opens the default browser unless ``--no-browser``.  Ctrl-C stops
the server (exit 130, as every command).
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers, parent) -> None:
    explore = subparsers.add_parser(
        "explore", parents=[parent], help="ブラウザで結果を見る（クリックで原文まで。プログラム不要）",
        description="コーパスを読み込み、ブラウザで概要・テーマ・語とKWIC・つながり・所見・辞書の編集・"
                    "書き出しを表示する小さなサーバーを、この計算機の中だけで起動します。")
    explore.add_argument("path", nargs="?", metavar="PATH",
                         help="コーパスのフォルダ（省略時は同梱のコーパス）。このフォルダと今のフォルダの中が開けます")
    explore.add_argument("--port", type=int, default=0, metavar="N", help="ポート番号（既定: 空いている番号）")
    explore.add_argument("--host", default="127.0.0.1", metavar="H",
                         help="待ち受けるアドレス（既定: 127.0.0.1。ほかの値では同じネットワークから見えます）")
    explore.add_argument("--no-browser", dest="browser", action="store_false", help="ブラウザを開かない")
    explore.set_defaults(handler=run_explore)


def run_explore(args: argparse.Namespace) -> int:
    import time
    import webbrowser
    from pathlib import Path

    from ..errors import InputError
    from ..explore.app import create_app
    from ..explore.security import allowed_hosts
    from ..explore.server import LOCAL, bind, make_server

    started = time.perf_counter()
    path = Path(args.path) if args.path else None
    if path is not None and not path.exists():
        raise InputError("no such corpus folder", file=str(path))
    roots = [Path.cwd()]
    if path is not None:
        folder = (path if path.is_dir() else path.parent).resolve()
        roots.insert(0, folder.parent if (folder / "manifest.json").is_file() else folder)
    if args.host != LOCAL:
        print(f"keikaku: warning: {args.host} で待ち受けます。同じネットワークの誰もがこのサーバーを開けます",
              file=sys.stderr)
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", field="--port") from exc
    port = sock.getsockname()[1]
    app = create_app(corpus_path=path, roots=roots, port=port, host=args.host, debug=args.debug)
    app.state.explore.current()  # the first screen is ready when the URL is printed
    shown = "127.0.0.1" if args.host in (LOCAL, "0.0.0.0") else args.host
    url = f"http://{shown}:{port}/"
    app.state.explore.hosts = allowed_hosts(port, host=args.host)
    print(f"keikaku explore: {url} （{time.perf_counter() - started:.1f} 秒で準備。Ctrl-C で終了）", flush=True)
    if args.browser:
        webbrowser.open(url)
    server = make_server(app, sock, debug=args.debug)
    try:
        server.run(sockets=[sock])  # uvicorn re-raises Ctrl-C once stopped: exit 130
    finally:
        sock.close()
        app.state.explore.close()
    return 0
