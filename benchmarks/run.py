"""keikaku benchmarks: tokenization against raw SudachiPy, workers, the theme pipeline, memory,
cold start, the token cache, national scale (import, tokens, graph, gaps, report on generated
plans of many owners: benchmarks/scale.py), and peers (GiNZA, fugashi: benchmarks/peers.py, in a
venv of their own).

    .venv/bin/python benchmarks/run.py            # the full run (20 MB text; several minutes)
    .venv/bin/python benchmarks/run.py --quick    # about a minute

Everything is measured in one run on one machine and reported as ratios, because the machines are
shared and noisy: configurations that are compared run interleaved, several rounds, best of each.
The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import lzma
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DEFAULT_TEXT = REPO / ".." / "shared" / "bench" / "aozora_pd_mix.txt.xz"

# ratio_*: raw vs project, many short interleaved rounds (CPU time); workers_*: one vs two workers
# (wall clock); pipeline_chars: the theme pipeline and the cache (None = the whole text).
FULL = {"ratio_chars": 300_000, "ratio_rounds": 15, "workers_chars": 2_000_000, "workers_rounds": 3,
        "pipeline_chars": 1_000_000, "pipeline_rounds": 7, "memory_chars": (250_000, 500_000, 1_000_000),
        "plans": (1000, 2000, 5000), "cold_runs": 7,
        "peers_chars": 300_000, "peers_rounds": 7, "peers_pipeline_chars": 20_000, "peers_pipeline_rounds": 3}
QUICK = {"ratio_chars": 80_000, "ratio_rounds": 7, "workers_chars": 300_000, "workers_rounds": 1,
         "pipeline_chars": 80_000, "pipeline_rounds": 1, "memory_chars": (25_000, 50_000, 100_000),
         "plans": (6, 12), "cold_runs": 5,
         "peers_chars": 80_000, "peers_rounds": 5, "peers_pipeline_chars": 5_000, "peers_pipeline_rounds": 2}


def read_text(path: Path) -> str:
    if path.suffix == ".xz":
        with lzma.open(path, "rt", encoding="utf-8") as f:
            return f.read()
    return path.read_text(encoding="utf-8")


def head(text: str, chars: int | None) -> str:
    """The first ``chars`` characters, ending at a line break (whole paragraphs)."""
    if chars is None or chars >= len(text):
        return text
    cut = text.rfind("\n", 0, chars)
    return text[:cut if cut > 0 else chars]


def make_units(text: str):
    """One text unit per paragraph; 50 paragraphs make a "direction", two alternating generations."""
    from analysis.units import TextUnit

    units = []
    for i, line in enumerate(p for p in text.split("\n") if p.strip()):
        block = i // 50
        units.append(TextUnit(id=f"B-{block}:{i}", plan_id=f"B{1 + block % 2}", generation=1 + block % 2,
                              goal_number=1 + block % 4, direction_id=f"B-{block}", field="evaluation",
                              text=line, line=i + 1))
    return units


LAST_CPU: list[float] = [0.0]  # CPU seconds of this process in the last clock() call


def scratch_dir() -> str:
    """A fresh cache folder for one run or probe, removed when this process exits."""
    import atexit
    import shutil

    path = tempfile.mkdtemp(prefix="keikaku-bench-cache-")
    atexit.register(shutil.rmtree, path, True)
    return path


def clock(fn, *args, **kwargs):
    """Wall-clock seconds of one call, and its value (its CPU seconds go to ``LAST_CPU``)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    LAST_CPU[0] = time.process_time() - start_cpu
    return time.perf_counter() - start, value


def cpu_clock(fn, *args, **kwargs) -> float:
    """CPU seconds of this process for one call (less disturbed by other loads than wall clock)."""
    gc.collect()
    start = time.process_time()
    fn(*args, **kwargs)
    return time.process_time() - start


# --- tokenization ---------------------------------------------------------------------------

def raw_sudachi(sentences: list[str], mode: str = "C") -> int:
    """The floor: SudachiPy alone, one sentence per call, reading the fields the project reads
    (normalized form, POS id, end offset)."""
    from analysis.tokens import dictionary

    tok = dictionary().tokenizer(mode=mode)
    n = 0
    for s in sentences:
        for m in tok.tokenize(s):
            m.normalized_form()
            m.part_of_speech_id()
            m.end()
            n += 1
    return n


_RAW_SHARED: list[str] = []


def _raw_slice(bounds: tuple[int, int]) -> int:
    return raw_sudachi(_RAW_SHARED[bounds[0]:bounds[1]])


def raw_sudachi_parallel(sentences: list[str], workers: int = 2) -> int:
    """Raw SudachiPy in ``workers`` forked processes (a tokenizer each, only a count sent back):
    what this machine's cores give to Sudachi itself (forked, as a reference)."""
    import multiprocessing

    _RAW_SHARED[:] = sentences
    step = -(-len(sentences) // workers)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(_raw_slice, [(i, i + step) for i in range(0, len(sentences), step)]))


_PROJECT_SHARED: list[str] = []


def _project_slice(bounds: tuple[int, int]) -> int:
    from analysis.tokens import tokenize_columns

    return sum(len(tokenize_columns(t).norms) for t in _PROJECT_SHARED[bounds[0]:bounds[1]])


def project_parallel(texts: list[str], workers: int = 2) -> int:
    """keikaku's own tokenizing (``tokenize_columns``, what each worker process runs) in
    ``workers`` forked processes, equal shares of the characters, only a count sent back: the
    per-process work split with nothing else (no sending, no decoding, no balancing; but forked,
    so paying for the fork and its copied pages, which keikaku's fresh workers do not)."""
    import multiprocessing

    _PROJECT_SHARED[:] = texts
    total, cuts, filled = sum(map(len, texts)), [0], 0
    for i, t in enumerate(texts):
        filled += len(t)
        if filled >= total * len(cuts) / workers and len(cuts) < workers:
            cuts.append(i + 1)
    cuts.append(len(texts))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(_project_slice, list(zip(cuts, cuts[1:]))))


def reap_children() -> None:
    """Wait for every child process of this one to exit."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def project_sentences(units) -> list[str]:
    """The sentences the project sends to Sudachi (split outside the raw timing)."""
    from analysis.textnorm import sentences

    return [s for u in units for s, _, _ in sentences(u.text)]


def project_tokenize(units, *, workers: int = 1, cache: bool = False):
    from analysis.tokens import tokenize_units

    return tokenize_units(units, workers=workers, cache=cache)


# --- the theme pipeline ---------------------------------------------------------------------

def _stage(name: str, module: str, attr: str):
    """The function ``module.attr`` (``attr`` may list alternatives: "a|b"), or None with a note."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        NOTES.append(f"stage {name} skipped: {module} not available ({exc})")
        return None
    for candidate in attr.split("|"):
        if hasattr(mod, candidate):
            return getattr(mod, candidate)
    NOTES.append(f"stage {name} skipped: {module} has no {' or '.join(attr.split('|'))}")
    return None


NOTES: list[str] = []


def warm_imports() -> None:
    import importlib

    for name in ("analysis.terms", "analysis.themes", "analysis.textstat", "sklearn.feature_extraction.text",
                 "networkx", "pandas"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def pipeline(units, *, cache: bool, cpu: dict[str, float] | None = None) -> dict[str, float]:
    """tokens → compound terms → TF-IDF → themes → co-occurrence; seconds per stage.  ``cache``:
    the token cache and the stage cache (the terms pass, TF-IDF, themes: ``cache=`` of the stage
    functions, as :class:`analysis.pipeline.Analysis` calls them; co-occurrence reads the cached
    terms pass).
    ``cpu``, when given, receives the CPU seconds of each stage."""
    times: dict[str, float] = {}
    cpu = {} if cpu is None else cpu
    times["tokens"], tokens = clock(project_tokenize, units, cache=cache)
    cpu["tokens"] = LAST_CPU[0]
    steps = [
        ("terms", "analysis.terms", "term_table", lambda f: f(tokens, top=50, cache=cache)),
        ("tfidf", "analysis.terms", "tfidf_by_direction", lambda f: f(tokens, top=10, cache=cache)),
        ("themes", "analysis.themes", "code_units", lambda f: f(tokens, cache=cache)),
        ("cooccurrence", "analysis.textstat", "cooccurrence_graph", lambda f: f(tokens)),
    ]
    for name, module, attr, call in steps:
        fn = _stage(name, module, attr)
        if fn is not None:
            times[name], _ = clock(call, fn)
            cpu[name] = LAST_CPU[0]
    return times


def pipeline_probe(text_path: Path, chars: int) -> None:
    """Child mode: raw SudachiPy, then the pipeline (caches off), on the first ``chars`` characters
    (0: all) in a fresh process; prints the seconds as JSON."""
    from analysis.tokens import dictionary, tokenize

    dictionary()
    tokenize("準備。")
    warm_imports()
    units = make_units(head(read_text(text_path), chars or None))
    raw_s = clock(raw_sudachi, project_sentences(units))[0]
    raw_cpu = LAST_CPU[0]
    cpu: dict[str, float] = {}
    wall = pipeline(units, cache=False, cpu=cpu)
    print(json.dumps({"raw_s": raw_s, "raw_cpu": raw_cpu, "wall": wall, "cpu": cpu}))


def pipeline_rounds(text_path: Path, chars: int | None, rounds: int) -> list[dict]:
    """:func:`pipeline_probe` in ``rounds`` fresh processes, one after the other: each round starts
    as a planner's command does (no memo of an earlier run), and one slow moment of a shared
    machine moves one round, not the figure (the median)."""
    rows = (probe("--pipeline-probe", text_path, chars or 0) for _ in range(rounds))
    return [row for row in rows if row is not None]


def probe(option: str, text_path: Path, chars: int) -> dict | None:
    """This script run again as a child (``--memory-probe`` or ``--pipeline-probe``) with a cache
    folder of its own: its JSON line, or None with a note when it fails."""
    out = subprocess.run([sys.executable, __file__, option, str(chars), "--text", str(text_path)],
                         capture_output=True, text=True, env={**os.environ, "KEIKAKU_CACHE_DIR": scratch_dir()})
    if out.returncode != 0:
        NOTES.append(f"{option[2:].replace('-', ' ')} at {chars} chars failed: {out.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- memory ---------------------------------------------------------------------------------

def rss_mib() -> float:
    """Peak resident set size of this process so far (MiB): VmHWM (ru_maxrss survives exec on
    Linux, so a child would report its parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def memory_probe(text_path: Path, chars: int) -> None:
    """Child mode: the pipeline on the first ``chars`` characters; prints peak RSS (MiB)."""
    from analysis.tokens import dictionary, tokenize

    dictionary()
    tokenize("準備。")
    warm_imports()
    before = rss_mib()
    if chars:
        units = make_units(head(read_text(text_path), chars))
        pipeline(units, cache=False)
    print(json.dumps({"chars": chars, "baseline_mib": before, "peak_mib": rss_mib()}))


def memory_growth(text_path: Path, sizes) -> list[dict]:
    rows = (probe("--memory-probe", text_path, chars) for chars in (0, *sizes))
    return [row for row in rows if row is not None]


# --- cold start -----------------------------------------------------------------------------

def cold_start(runs: int) -> dict:
    script = Path(sys.executable).with_name("keikaku")
    command = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "analysis", "--help"]
    bare, cli = [], []
    # one untimed run that may write bytecode, as a planner's first command does: with
    # PYTHONDONTWRITEBYTECODE set in the environment (and no __pycache__ yet), every timed run
    # would compile the CLI's sources again (~20 ms, measured 2026-12-02: ratio 3.4 against 2.2)
    subprocess.run(command, capture_output=True, env={k: v for k, v in os.environ.items()
                                                     if k != "PYTHONDONTWRITEBYTECODE"}, check=False)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        for target, cmd in ((bare, [sys.executable, "-c", "pass"]), (cli, command)):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=False)
            target.append(time.perf_counter() - start)
    imports = subprocess.run([sys.executable, "-X", "importtime", *command[-2:]] if script.exists()
                             else [sys.executable, "-X", "importtime", *command[1:]], capture_output=True, text=True)
    heavy = []
    for line in imports.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if len(name) - len(name.lstrip()) <= 1:  # top-level imports only
                heavy.append((int(parts[1]), name.strip()))
    heavy.sort(reverse=True)
    return {"bare_s": statistics.median(bare), "cli_s": statistics.median(cli),
            "ratio": statistics.median(cli) / statistics.median(bare), "heaviest_imports": heavy[:8]}


# --- generated plans: national scale ---------------------------------------------------------

def plan_scaling(sizes) -> list[dict]:
    """``benchmarks/scale.py`` at each size, each in a fresh process (its commands, each a process
    of its own, time import, tokens, graph, gaps and report); one row per size, or a note."""
    rows = []
    for n in sizes:
        result = subprocess.run([sys.executable, str(Path(__file__).with_name("scale.py")), str(n)],
                                capture_output=True, text=True, cwd=REPO)
        if result.returncode != 0:
            tail = " / ".join(result.stderr.strip().splitlines()[-2:])
            NOTES.append(f"generated plans at {n} failed: {tail}; larger sizes skipped")
            break
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return rows


def plan_figures(rows: list[dict]) -> dict[str, float]:
    """The JSON keys of the plan sizes: ``plans_N_STAGE_s``, ``plans_N_peak_rss_mib`` (the largest
    of the stages' processes) and, between the two largest sizes, ``plans_growth_STAGE`` (growth
    per ×2 plans; 2.0 is linear)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale import STAGES, growth_per_doubling

    out: dict[str, float] = {}
    for r in rows:
        for stage in STAGES:
            out[f"plans_{r['plans']}_{stage}_s"] = round(r[stage]["s"], 2)
        out[f"plans_{r['plans']}_peak_rss_mib"] = round(max(r[stage]["rss_mib"] for stage in STAGES), 1)
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        for stage in STAGES:
            out[f"plans_growth_{stage}"] = round(growth_per_doubling(a, b, stage), 2)
    return out


# --- peers: GiNZA and fugashi in their own environment ---------------------------------------

def peers_part(text: str, conf: dict) -> dict[str, float]:
    """GiNZA and fugashi against keikaku's tokens stage (benchmarks/peers.py); their figures, or
    none with one line saying why when the peer environment cannot be had."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import peers

    units = make_units(head(text, conf["peers_chars"]))
    try:
        result = peers.measure(units, lambda us: cpu_clock(project_tokenize, us, workers=1),
                               rounds=conf["peers_rounds"], pipeline_chars=conf["peers_pipeline_chars"],
                               pipeline_rounds=conf["peers_pipeline_rounds"])
    except peers.PeerUnavailable as exc:
        print(f"\npeers skipped: {exc}")
        return {}
    table("Peers in the same run vs keikaku's tokens stage, CPU s (median of interleaved rounds; > 1: keikaku "
          f"faster), the peers in their own venv (benchmarks/.peers/):\n  {peers.versions(result)}",
          peers.table_rows(result))
    return result["figures"]


# --- report ---------------------------------------------------------------------------------

def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    return {"nproc": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version(),
            "sudachipy": metadata.version("sudachipy"), "sudachidict_core": metadata.version("sudachidict-core"),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def table(title: str, rows: list[tuple]) -> None:
    print(f"\n{title}")
    width = max(len(str(r[0])) for r in rows) if rows else 0
    for r in rows:
        print(f"  {str(r[0]):<{width}}  " + "  ".join(str(x) for x in r[1:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="keikaku benchmarks")
    parser.add_argument("--quick", action="store_true", help="a smaller version that takes about a minute")
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT, help="benchmark text (.txt or .txt.xz)")
    parser.add_argument("--memory-probe", type=int, metavar="CHARS", help=argparse.SUPPRESS)
    parser.add_argument("--pipeline-probe", type=int, metavar="CHARS", help=argparse.SUPPRESS)
    parser.add_argument("--pipeline-chars", type=int, metavar="N",
                        help="characters for the theme pipeline and cache runs (0 = the whole text)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: memory,cold,plans,cache,peers")
    args = parser.parse_args(argv)
    if args.memory_probe is not None:
        memory_probe(args.text, args.memory_probe)
        return 0
    if args.pipeline_probe is not None:
        pipeline_probe(args.text, args.pipeline_probe)
        return 0
    conf = dict(QUICK if args.quick else FULL)
    if args.pipeline_chars is not None:
        conf["pipeline_chars"] = args.pipeline_chars or None
    skip = set(filter(None, args.skip.split(",")))
    os.environ["KEIKAKU_CACHE_DIR"] = scratch_dir()
    started = time.perf_counter()
    info = machine()
    print(f"keikaku benchmark ({'quick' if args.quick else 'full'}): {info['cpu']}, {info['nproc']} CPUs, "
          f"Python {info['python']}, sudachipy {info['sudachipy']}, sudachidict-core {info['sudachidict_core']}")
    if not args.text.exists():
        print(f"benchmark text not found: {args.text} (pass --text PATH)", file=sys.stderr)
        return 2
    text = read_text(args.text)
    from analysis.tokens import dictionary, tokenize

    dictionary()
    tokenize("準備。")  # warm: dictionary pages, tokenizer, settings, variant table
    # Libraries the stages import (scikit-learn, networkx, ...) are imported once per session: paid
    # here, reported apart, so that stage times compare steady-state work.
    import_s, _ = clock(warm_imports)

    # 1. raw SudachiPy vs the project (CPU time), one vs two workers (wall clock), interleaved
    ratio_units = make_units(head(text, conf["ratio_chars"]))
    ratio_chars = sum(len(u.text) for u in ratio_units)
    sentences = project_sentences(ratio_units)
    raw, one = [], []
    for _ in range(conf["ratio_rounds"]):
        raw.append(cpu_clock(raw_sudachi, sentences))
        one.append(cpu_clock(project_tokenize, ratio_units, workers=1))
    paired = [r / o for r, o in zip(raw, one)]
    tokenize_ratio = statistics.median(paired)
    table(f"Tokenization vs raw SudachiPy, {ratio_chars:,} characters, {len(sentences):,} sentences, "
          f"{conf['ratio_rounds']} interleaved rounds, CPU s (median; M chars/s)", [
              ("raw SudachiPy (a sentence per call; norm, POS id, end)", f"{statistics.median(raw):.3f}",
               f"{ratio_chars / statistics.median(raw) / 1e6:.3f}"),
              ("keikaku tokenize_units (1 worker, no cache)", f"{statistics.median(one):.3f}",
               f"{ratio_chars / statistics.median(one) / 1e6:.3f}"),
              ("ratio raw / project, median of rounds (target ≥ 0.85)", f"{tokenize_ratio:.3f}",
               f"range {min(paired):.3f}–{max(paired):.3f}"),
              ("  (ratio of the medians above; best round of each)",
               f"{statistics.median(raw) / statistics.median(one):.3f}", f"{min(raw) / min(one):.3f}"),
          ])
    work_units = make_units(head(text, conf["workers_chars"]))
    work_chars = sum(len(u.text) for u in work_units)
    one_w, two_w, cpu, one_cpu, raw1, raw2, own2 = [], [], [], [], [], [], []
    work_sentences = project_sentences(work_units)
    for _ in range(conf["workers_rounds"]):
        raw1.append(clock(raw_sudachi, work_sentences)[0])
        raw2.append(clock(raw_sudachi_parallel, work_sentences)[0])
        own2.append(clock(project_parallel, [u.text for u in work_units])[0])
        start = resource.getrusage(resource.RUSAGE_SELF)
        one_w.append(clock(project_tokenize, work_units, workers=1)[0])
        end = resource.getrusage(resource.RUSAGE_SELF)
        one_cpu.append(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime)
        before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        two_w.append(clock(project_tokenize, work_units, workers=2)[0])
        reap_children()  # the workers exit after the call returns: their CPU time is counted once reaped
        after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        used = [a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before)]
        cpu.append(used)  # [this process, the workers] CPU seconds
    two_worker_speedup = statistics.median(o / t for o, t in zip(one_w, two_w))
    two_forked_speedup = statistics.median(o / t for o, t in zip(one_w, own2))
    main_cpu = statistics.median(c[0] for c in cpu)
    worker_cpu = statistics.median(c[1] for c in cpu)
    # What two free cores would give: with 2 workers this process tokenizes a share itself (and
    # decodes what the worker process sends) while the worker process tokenizes the rest, so the
    # slower of the two decides, against the one-worker time.
    cpu_bound = statistics.median(one_cpu) / max(worker_cpu, main_cpu) if worker_cpu else float("nan")
    table(f"Workers, {work_chars:,} characters, {conf['workers_rounds']} interleaved rounds, wall s", [
        ("1 worker", " ".join(f"{x:.2f}" for x in one_w), f"{work_chars / min(one_w) / 1e6:.3f} M chars/s best"),
        ("2 workers (processes)", " ".join(f"{x:.2f}" for x in two_w), f"{work_chars / min(two_w) / 1e6:.3f} M chars/s best"),
        ("two-worker speedup, median of rounds (target ≥ 1.8)", f"{two_worker_speedup:.3f}"),
        ("  CPU s with 2 workers: this process / the workers", f"{main_cpu:.2f} / {worker_cpu:.2f}"),
        ("  speedup if both cores were free (1-worker CPU / max(this process CPU, worker CPU))",
         f"{cpu_bound:.3f}"),
        ("raw SudachiPy, 1 process", " ".join(f"{x:.2f}" for x in raw1)),
        ("raw SudachiPy, 2 processes", " ".join(f"{x:.2f}" for x in raw2)),
        ("  raw two-process speedup: what this machine gives Sudachi itself (forked; a reference)",
         f"{statistics.median(a / b for a, b in zip(raw1, raw2)):.3f}"),
        ("keikaku's tokenizing (tokenize_columns) in 2 forked processes, nothing sent back",
         " ".join(f"{x:.2f}" for x in own2)),
        ("  its speedup over 1 worker (a reference: forked, it pays what a fork costs, which the workers do not)",
         f"{two_forked_speedup:.3f}"),
        ("  load average (others share the cores)", " ".join(f"{x:.2f}" for x in os.getloadavg())),
    ])
    del ratio_units, sentences, work_units, work_sentences
    _RAW_SHARED.clear()

    # 2. the theme pipeline vs raw tokenization of the same text
    units = make_units(head(text, conf["pipeline_chars"]))
    chars = sum(len(u.text) for u in units)
    raw_time = clock(raw_sudachi, project_sentences(units))[0]
    raw_cpu = LAST_CPU[0]
    stages_cpu: dict[str, float] = {}
    stages = pipeline(units, cache=False, cpu=stages_cpu)
    total = sum(stages.values())
    here = total / raw_time
    rounds = pipeline_rounds(args.text, conf["pipeline_chars"], conf["pipeline_rounds"])
    if rounds:  # the figure: fresh processes (the run in this process is shown beside them)
        ratios = [sum(r["wall"].values()) / r["raw_s"] for r in rounds]
        pipeline_over_tokenize = statistics.median(ratios)
        raw_time = statistics.median(r["raw_s"] for r in rounds)
        raw_cpu = statistics.median(r["raw_cpu"] for r in rounds)
        stages = {k: statistics.median(r["wall"][k] for r in rounds) for k in rounds[0]["wall"]}
        stages_cpu = {k: statistics.median(r["cpu"][k] for r in rounds) for k in rounds[0]["cpu"]}
        cpu_ratio = statistics.median(sum(r["cpu"].values()) / r["raw_cpu"] for r in rounds)
        where = f"median of {len(rounds)} fresh processes"
    else:
        ratios, pipeline_over_tokenize, where = [], here, "this process"
        cpu_ratio = sum(stages_cpu.values()) / raw_cpu
    total = sum(stages.values())
    table(f"Theme pipeline, {chars:,} characters, {len(units):,} units ({where}; wall s, CPU s)", [
        ("raw SudachiPy tokenization", f"{raw_time:.2f}", f"{raw_cpu:.2f}"),
        *((f"  {k}", f"{v:.2f}", f"{stages_cpu[k]:.2f}") for k, v in stages.items()),
        ("pipeline total", f"{total:.2f}", f"{sum(stages_cpu.values()):.2f}"),
        ("(not counted: importing the stages' libraries once per session)", f"{import_s:.2f}"),
        ("pipeline / raw tokenization (target ≤ 2; wall, the figure; CPU)", f"{pipeline_over_tokenize:.3f}",
         f"{cpu_ratio:.3f}"),
        ("  per fresh process (wall)", " ".join(f"{x:.3f}" for x in ratios) or "-"),
        ("  in this process, once (wall)", f"{here:.3f}"),
    ])

    # 3. token cache: the same pipeline twice with the cache on (empty cache at first)
    cache_speedup = None
    if "cache" not in skip:
        first_cpu: dict[str, float] = {}
        second_cpu: dict[str, float] = {}
        first = pipeline(units, cache=True, cpu=first_cpu)
        second = pipeline(units, cache=True, cpu=second_cpu)
        cache_speedup = sum(first.values()) / sum(second.values())
        table("Token and stage cache: theme pipeline, cache on, first (empty cache) and second run "
              "(wall s; CPU s)", [
            *((name, f"{first[name]:.2f}", f"{second[name]:.2f}", f"×{first[name] / max(second[name], 1e-9):.1f}",
               f"{first_cpu[name]:.2f}", f"{second_cpu[name]:.2f}") for name in first),
            ("whole pipeline", f"{sum(first.values()):.2f}", f"{sum(second.values()):.2f}",
             f"×{cache_speedup:.2f} (target ≥ 5)", f"{sum(first_cpu.values()):.2f}",
             f"{sum(second_cpu.values()):.2f}",
             f"×{sum(first_cpu.values()) / max(sum(second_cpu.values()), 1e-9):.2f} (CPU)"),
            ("cache files", f"{sum(p.stat().st_size for p in Path(os.environ['KEIKAKU_CACHE_DIR']).rglob('*') if p.is_file()) / 2**20:.1f} MiB"),
        ])
    peak_rss = rss_mib()
    del units

    # 4. memory growth vs corpus size (each size in a fresh process)
    if "memory" not in skip:
        rows = memory_growth(args.text, conf["memory_chars"])
        base = next((r["peak_mib"] for r in rows if r["chars"] == 0), None)
        out = [("characters", "peak RSS MiB", "growth MiB", "MiB per M chars", "marginal MiB per M chars")]
        previous = None
        for r in rows:
            growth = r["peak_mib"] - base if base is not None else float("nan")
            per = f"{growth / (r['chars'] / 1e6):.0f}" if r["chars"] else "-"
            marginal = "-"
            if previous is not None and r["chars"] > previous["chars"]:
                marginal = f"{(r['peak_mib'] - previous['peak_mib']) / ((r['chars'] - previous['chars']) / 1e6):.0f}"
            out.append((f"{r['chars']:,}", f"{r['peak_mib']:.0f}", f"{growth:.0f}", per, marginal))
            previous = r
        table("Memory: pipeline peak RSS by corpus size (fresh process each; base = libraries and dictionary loaded)",
              out)

    # 5. cold start
    cold = None
    if "cold" not in skip:
        cold = cold_start(conf["cold_runs"])
        table(f"Cold start, median of {conf['cold_runs']} (s)", [
            ("python -c pass", f"{cold['bare_s']:.3f}"),
            ("keikaku --help", f"{cold['cli_s']:.3f}"),
            ("ratio (target ≤ 3)", f"{cold['ratio']:.2f}"),
            *((f"  import {name}", f"{us / 1000:.0f} ms") for us, name in cold["heaviest_imports"]),
        ])

    # 6. generated plans of many owners (three generations each): the commands, size by size
    plan_keys: dict[str, float] = {}
    if "plans" not in skip:
        from scale import STAGES, growth_per_doubling

        rows = plan_scaling(conf["plans"])
        out = [("plans", "owners", "directions", "characters",
                *(f"{stage} s (CPU, MiB)" for stage in STAGES), "report folder MiB")]
        for r in rows:
            out.append((r["plans"], r["owners"], r["directions"], r["chars"],
                        *(f"{r[k]['s']:.1f} ({r[k]['cpu_s']:.1f}, {r[k]['rss_mib']:.0f})" for k in STAGES),
                        f"{r['report_mib']:.0f}"))
        for a, b in zip(rows, rows[1:]):
            out.append((f"growth per ×2 plans, {a['plans']}→{b['plans']} (≤ 2.3)", "", "", "",
                        *(f"×{growth_per_doubling(a, b, k):.2f}" for k in STAGES), ""))
        table("Generated plans of many owners: each command in its own process (wall s (CPU s, peak RSS MiB))", out)
        plan_keys = plan_figures(rows)
    peak_rss = max(peak_rss, rss_mib())

    # 7. peers: GiNZA (tokenizer, full pipeline) and fugashi, in a venv of their own
    peer_figures = {} if "peers" in skip else peers_part(text, conf)

    for note in NOTES:
        print(f"note: {note}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s; load average {os.getloadavg()}")
    figures = {
        "tokenize_ratio": round(tokenize_ratio, 3),
        "two_worker_speedup": round(two_worker_speedup, 3),
        "two_forked_speedup": round(two_forked_speedup, 3),
        "pipeline_over_tokenize": round(pipeline_over_tokenize, 3),
        "cold_start_ratio": None if cold is None else round(cold["ratio"], 3),
        "cache_speedup": None if cache_speedup is None else round(cache_speedup, 3),
        "peak_rss_mib": round(peak_rss, 1),
        **plan_keys,
        **peer_figures,
    }
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
