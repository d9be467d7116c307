"""Write the outputs that a behaviour-preserving change must keep byte for byte.

``python tests/golden/make.py DIR`` runs every printing command with ``--json`` (and the text
forms of ``gaps`` and ``compare``), ``graph -o`` and ``report --no-timestamp`` on the bundled
corpus and on the imported example table, and writes them under ``DIR``.  Text outputs are kept
whole; every file of the graph and report folders is kept as its SHA-256 in ``digests.txt`` (the
report's ``index.html`` and tables are also kept whole, so a difference can be read).

``tests/test_golden.py`` compares a fresh run with ``tests/golden/expected/``, which was written
by the code *before* a refactor.  Regenerate it only in a commit that changes behaviour on
purpose, and say so in that commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: object) -> str:
    from analysis.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"keikaku {' '.join(map(str, args))}: exit {code}")
    return out.getvalue()


def make(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    work = target / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    old = Path.cwd()
    os.chdir(work)  # results record relative input paths: make them the same in every run
    try:
        shutil.copy(ROOT / "corpus/examples/plan.csv", "plan.csv")
        shutil.copy(ROOT / "corpus/examples/mapping.toml", "mapping.toml")
        run("import", "plan.csv", "--mapping", "mapping.toml", "-o", "example", "--name", "example")
        texts: dict[str, str] = {}
        digests: list[str] = []
        for name, corpus in (("bundled", None), ("example", "example")):
            at = [corpus] if corpus else []
            texts[f"{name}/corpus.json"] = run("corpus", *at, "--json")
            texts[f"{name}/corpus.txt"] = run("corpus", *at)
            texts[f"{name}/themes.json"] = run("themes", *at, "--json")
            texts[f"{name}/terms.json"] = run("terms", *at, "--json")
            texts[f"{name}/terms_cvalue.json"] = run("terms", *at, "--json", "--method", "cvalue")
            texts[f"{name}/kwic.json"] = run("kwic", "担い手", *at, "--json")
            texts[f"{name}/gaps.json"] = run("gaps", *at, "--json")
            texts[f"{name}/gaps.txt"] = run("gaps", *at)
            texts[f"{name}/compare.json"] = run("compare", *at, "--json")
            texts[f"{name}/compare.txt"] = run("compare", *at)
            run("graph", *at, "-o", f"graph-{name}")
            run("report", *at, "-o", f"report-{name}", "--no-timestamp", "--quiet")
            for folder in (f"graph-{name}", f"report-{name}"):
                for path in sorted(Path(folder).rglob("*")):
                    if path.is_file():
                        rel = path.as_posix()
                        digests.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}")
                        if path.suffix in (".html", ".csv"):
                            texts[rel] = path.read_text(encoding="utf-8-sig")
        texts["digests.txt"] = "\n".join(digests) + "\n"
    finally:
        os.chdir(old)
        shutil.rmtree(work, ignore_errors=True)
    for rel, text in texts.items():
        text = text.replace(str(ROOT), "<ROOT>")  # the checkout's own path is not behaviour
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("KEIKAKU_CACHE_DIR", str(Path(sys.argv[1]).resolve() / ".cache"))
    make(Path(sys.argv[1]))
    shutil.rmtree(Path(sys.argv[1]) / ".cache", ignore_errors=True)
