"""National scale: the generated plans of many owners through keikaku's own commands.

For each size (plans, three generations per owner: ``generate_plans.py``) the plans are written
as the CSV tables (with sibling mappings) a planner would import, then each command runs as its
own process, one after the other, as a planner would run them, with a token and stage cache
that starts empty for each size:

    keikaku import TABLES… -o CORPUS        (import)
    keikaku tokens CORPUS > /dev/null       (tokens: tokenizes every text, fills the token cache)
    keikaku graph CORPUS -o GRAPH           (graph)
    keikaku gaps CORPUS > /dev/null         (gaps)
    keikaku report CORPUS -o REPORT         (report)

Each command's wall seconds, CPU seconds (user + system) and peak RSS (``ru_maxrss`` of that
process, from ``os.wait4``) are reported; nothing else runs in the measured processes.

    python benchmarks/scale.py 1000 5000          # the sizes, one JSON line per size
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

STAGES = ("import", "tokens", "graph", "gaps", "report")


def keikaku() -> list[str]:
    return [sys.executable, "-m", "analysis"]


def run_measured(argv: list[str], *, env: dict, stdout=None) -> dict:
    """Run one command; its wall and CPU seconds and peak RSS (MiB).  A failure raises with its
    last lines of stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, env=env, stdout=stdout or subprocess.DEVNULL, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{' '.join(argv[3:5])} exited {process.returncode}: {' / '.join(tail)}")
    return {"s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def measure(plans: int, *, seed: int = 0, keep: Path | None = None) -> dict:
    """Every stage at one size: ``{"plans", "owners", "directions", "chars", STAGE: {s, cpu_s, rss_mib}}``."""
    from generate_plans import generate_corpus, write_tables

    work = Path(tempfile.mkdtemp(prefix=f"keikaku-scale-{plans}-"))
    try:
        corpus = generate_corpus(plans, seed=seed)
        tables = write_tables(corpus, work / "tables")
        row = {"plans": plans, "owners": len(corpus.chains()),
               "directions": sum(1 for _ in corpus.directions()),
               "chars": sum(len(t) for d in corpus.directions()
                            for t in (d.title, d.evaluation, d.text, *d.initiatives))}
        del corpus
        env = dict(os.environ, KEIKAKU_CACHE_DIR=str(work / "cache"), PYTHONHASHSEED="0")
        out = work / "corpus"
        commands = {
            "import": ["import", *map(str, tables), "-o", str(out)],
            "tokens": ["tokens", str(out)],
            "graph": ["graph", str(out), "-o", str(work / "graph")],
            "gaps": ["gaps", str(out)],
            "report": ["report", str(out), "-o", str(work / "report"), "--no-timestamp"],
        }
        for stage in STAGES:
            row[stage] = run_measured(keikaku() + commands[stage], env=env)
        row["report_mib"] = sum(p.stat().st_size for p in (work / "report").rglob("*") if p.is_file()) / 2**20
        if keep is not None:
            shutil.copytree(work, keep / f"plans-{plans}", dirs_exist_ok=True)
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def growth_per_doubling(a: dict, b: dict, stage: str, key: str = "s") -> float:
    """How much ``stage`` grows per ×2 plans between sizes ``a`` and ``b``: (tb / ta) ** (log 2 /
    log(nb / na)); 2.0 is linear."""
    import math

    return (b[stage][key] / a[stage][key]) ** (math.log(2) / math.log(b["plans"] / a["plans"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+", help="numbers of plans")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", metavar="DIR", help="copy each size's tables, corpus and outputs here")
    args = parser.parse_args(argv)
    for n in args.sizes:
        print(json.dumps(measure(n, seed=args.seed, keep=Path(args.keep) if args.keep else None),
                         sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
