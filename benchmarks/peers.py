"""A peer in the same run: GiNZA (spaCy with SudachiPy) and fugashi with unidic-lite, tokenizing the
same text units as keikaku's tokens stage and reading the same fields, reported as ratios.

GiNZA 5.3 needs SudachiPy < 0.7, so it cannot share keikaku's environment. ``ensure_env`` builds
the peers a virtual environment of their own under ``benchmarks/.peers/`` (once; reused while its
pins match ``peers-constraints.txt``), and ``peers_worker.py`` runs there as a subprocess that
times one round per request, so that its rounds interleave with keikaku's in this process. All
times are CPU seconds of the process that does the work (each process counts its own).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE / ".peers"
CONSTRAINTS = HERE / "peers-constraints.txt"
WORKER = HERE / "peers_worker.py"
# What is asked for; every other version comes from the constraints file (``pip install -c``).
REQUIREMENTS = ("ginza==5.3.0", "ja-ginza==5.3.0", "fugashi==1.5.2", "unidic-lite==1.0.8")
# figure key -> (the peer's time in a round record, which rounds: the tokens slice or the pipeline's)
FIGURES = {
    "ginza_tokens_ratio": ("ginza_tokens_s", "tokens"),
    "ginza_pipeline_ratio": ("ginza_pipeline_s", "pipeline"),
    "fugashi_tokens_ratio": ("fugashi_tokens_s", "tokens"),
}


class PeerUnavailable(Exception):
    """The peer environment could not be built or the worker failed; the message says why."""


def pins_digest(constraints: Path = CONSTRAINTS) -> str:
    """What the peer environment was built from: requirements, constraints and Python's version.

    Parameters
    ----------
    constraints : Path
        The pins file given to ``pip install -c``.

    Returns
    -------
    str
        A SHA-256 hex digest; the environment is rebuilt when it changes.
    """
    h = hashlib.sha256()
    h.update("\n".join(REQUIREMENTS).encode())
    h.update(constraints.read_bytes())
    h.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode())
    return h.hexdigest()


def env_python(root: Path = ROOT) -> Path:
    return root / "venv" / "bin" / "python"


def env_is_current(root: Path = ROOT, constraints: Path = CONSTRAINTS) -> bool:
    """True when the peer environment under ``root`` exists and was built from these pins."""
    stamp = root / "venv" / "keikaku-pins.sha256"
    return (env_python(root).exists() and stamp.exists()
            and stamp.read_text().strip() == pins_digest(constraints))


def _run(command: list[str], what: str, timeout: float) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PeerUnavailable(f"{what}: {exc}") from None
    if done.returncode != 0:
        lines = [x for x in done.stderr.splitlines() if x.strip() and "is ignored" not in x]
        raise PeerUnavailable(f"{what} failed: {lines[-1] if lines else f'exit {done.returncode}'}")


def ensure_env(*, root: Path = ROOT, constraints: Path = CONSTRAINTS, timeout: float = 1800.0,
               say: Callable[[str], None] = print) -> Path:
    """The peer environment's Python, building the environment first unless it is current.

    Parameters
    ----------
    root : Path
        Where the environment lives (``root / "venv"``).
    constraints : Path
        Exact pins, given to ``pip install -c``.
    timeout : float
        Seconds for each of the two build steps (venv, pip).
    say : callable
        Where the one progress line goes when a build starts.

    Returns
    -------
    Path
        The environment's ``python``.

    Raises
    ------
    PeerUnavailable
        When the environment cannot be built (no network, a missing release...).
    """
    if env_is_current(root, constraints):
        return env_python(root)
    say(f"building the peer environment in {root / 'venv'} (once; a few minutes)")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--clear", str(venv)], "creating the peer venv", timeout)
    _run([str(env_python(root)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "--retries", "1", "--timeout", "30", "-c", str(constraints), *REQUIREMENTS],
         "installing GiNZA and fugashi", timeout)
    (venv / "keikaku-pins.sha256").write_text(pins_digest(constraints) + "\n")
    return env_python(root)


class Worker:
    """``peers_worker.py`` in the peer environment, loaded once, answering one command at a time."""

    def __init__(self, python: Path, texts: list[str]) -> None:
        self.file = tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False)
        with self.file:
            self.file.writelines(t.replace("\n", " ") + "\n" for t in texts)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        # stderr to a file, not a pipe: warnings piling up in an unread pipe would stall the worker
        self.stderr = tempfile.TemporaryFile("w+", encoding="utf-8")
        try:
            self.process = subprocess.Popen([str(python), str(WORKER), self.file.name], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.stderr, text=True,
                                            encoding="utf-8", env=env)
        except OSError as exc:
            os.unlink(self.file.name)
            raise PeerUnavailable(f"starting the peer worker: {exc}") from None
        self.info = self._reply()

    def _reply(self) -> dict:
        line = self.process.stdout.readline()
        try:
            reply = json.loads(line)
        except json.JSONDecodeError:
            self.close()
            self.stderr.seek(0)
            err = [x for x in self.stderr.read().splitlines() if x.strip()]
            raise PeerUnavailable(f"peer worker stopped: {err[-1] if err else line.strip() or 'no output'}") from None
        if "error" in reply:
            raise PeerUnavailable(f"peer worker: {reply['error']}")
        return reply

    def ask(self, command: str) -> dict:
        try:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it has stopped: _reply reads why
        return self._reply()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if os.path.exists(self.file.name):
            os.unlink(self.file.name)

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
        self.stderr.close()


def first_chars(units: list, chars: int) -> list:
    """The leading units whose texts add up to at most ``chars`` characters (at least one)."""
    total, count = 0, 0
    for u in units:
        total += len(u.text)
        if total > chars and count:
            break
        count += 1
    return units[:count]


def peer_figures(tokens_rounds: list[dict], pipeline_rounds: list[dict]) -> dict[str, float]:
    """The peers' ratios: median over rounds of peer time / keikaku time in the same round.

    Parameters
    ----------
    tokens_rounds, pipeline_rounds : list of dict
        One record per round with ``keikaku_s`` and the peers' times (``ginza_tokens_s``,
        ``fugashi_tokens_s``; ``ginza_pipeline_s``), all CPU seconds on the same units.

    Returns
    -------
    dict
        ``ginza_tokens_ratio``, ``ginza_pipeline_ratio``, ``fugashi_tokens_ratio`` (> 1: keikaku is
        faster), rounded to 3 places; a key is absent when its rounds are.

    Examples
    --------
    >>> peer_figures([{"keikaku_s": 1.0, "ginza_tokens_s": 2.0, "fugashi_tokens_s": 0.5}], [])
    {'ginza_tokens_ratio': 2.0, 'fugashi_tokens_ratio': 0.5}
    """
    rounds = {"tokens": tokens_rounds, "pipeline": pipeline_rounds}
    figures = {}
    for key, (peer, which) in FIGURES.items():
        paired = [r[peer] / r["keikaku_s"] for r in rounds[which] if r.get("keikaku_s")]
        if paired:
            figures[key] = round(statistics.median(paired), 3)
    return figures


def measure(units: list, keikaku_cpu: Callable[[list], float], *, rounds: int, pipeline_chars: int,
            pipeline_rounds: int, say: Callable[[str], None] = print) -> dict:
    """Time the peers against keikaku on ``units``, interleaved round by round.

    Each round: the peers' tokenizers on all units (in the worker), then keikaku's tokens stage
    (``keikaku_cpu(units)``, CPU seconds here); in the first ``pipeline_rounds`` rounds also GiNZA's
    full pipeline and keikaku on the first ``pipeline_chars`` characters (the pipeline is ~100x
    slower than the tokenizers, so it gets a smaller slice).

    Returns
    -------
    dict
        ``info`` (the worker's versions), ``tokens`` and ``pipeline`` (the round records),
        ``chars`` and ``pipeline_chars`` (what was timed) and ``figures`` (``peer_figures``).

    Raises
    ------
    PeerUnavailable
        When the peer environment or the worker is not there.
    """
    python = ensure_env(say=say)
    head = first_chars(units, pipeline_chars)
    tokens_rounds, pipeline_records = [], []
    with Worker(python, [u.text for u in units]) as worker:
        for i in range(rounds):
            record = worker.ask("tokens")
            record["keikaku_s"] = keikaku_cpu(units)
            tokens_rounds.append(record)
            if i < pipeline_rounds:
                record = worker.ask(f"pipeline {len(head)}")
                record["keikaku_s"] = keikaku_cpu(head)
                pipeline_records.append(record)
    return {"info": worker.info, "tokens": tokens_rounds, "pipeline": pipeline_records,
            "chars": sum(len(u.text) for u in units), "pipeline_chars": sum(len(u.text) for u in head),
            "figures": peer_figures(tokens_rounds, pipeline_records)}


def versions(result: dict) -> str:
    """One line naming what ran in the peer environment (from the worker's ``ready`` line)."""
    info = result["info"]
    v = info["versions"]
    return (f"GiNZA {v['ginza']} / ja-ginza {v['ja-ginza']} (spaCy {v['spacy']}, SudachiPy {v['sudachipy']}, "
            f"sudachidict-core {v['sudachidict-core']}, split mode {info['split_mode']}; pipeline "
            f"{', '.join(info['pipeline'])}); fugashi {v['fugashi']} with unidic-lite {v['unidic-lite']}")


def table_rows(result: dict) -> list[tuple]:
    """The printed table of ``measure``'s result: median CPU seconds, M chars/s, ratios."""
    def row(label: str, records: list[dict], key: str, chars: int) -> tuple:
        s = statistics.median(r[key] for r in records)
        return (label, f"{s:.3f}", f"{chars / s / 1e6:.4f}" if s else "-")

    tok, pipe = result["tokens"], result["pipeline"]
    rows = [
        (f"tokens: {result['chars']:,} characters, {len(tok)} rounds", "CPU s", "M chars/s"),
        row("  keikaku tokenize_units (1 worker, no cache)", tok, "keikaku_s", result["chars"]),
        row("  GiNZA tokenizer only (nlp.tokenizer; norm, POS, end)", tok, "ginza_tokens_s", result["chars"]),
        row("  fugashi + unidic-lite (surface, lemma, POS)", tok, "fugashi_tokens_s", result["chars"]),
    ]
    if pipe:
        rows += [
            (f"full pipeline: {result['pipeline_chars']:,} characters, {len(pipe)} rounds", "CPU s", "M chars/s"),
            row("  keikaku tokenize_units", pipe, "keikaku_s", result["pipeline_chars"]),
            row("  GiNZA full pipeline (nlp.pipe)", pipe, "ginza_pipeline_s", result["pipeline_chars"]),
        ]
    rows += [(f"{key} (peer / keikaku, median of rounds)", f"{value:.3f}")
             for key, value in result["figures"].items()]
    return rows
