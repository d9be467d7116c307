"""Tokenizer worker processes (analysis.tokenworkers): answers in order, failures named."""

from __future__ import annotations

import pytest

from analysis.tokens import default_variants, tokenize_columns
from analysis.tokenworkers import Worker, WorkerError


def worker() -> Worker:
    return Worker(split_mode="C", variant_items=tuple(sorted(default_variants().items())), user_path="")


def test_runs_come_back_in_the_order_sent_as_the_columns_tokenizing_here_gives():
    texts = ["見守り活動を行った。", "", "隨時連携。\n担い手不足", "a\x1fb"]
    w = worker()
    try:
        w.send(range(2, 4), texts[2:])
        w.send(range(0, 2), texts[:2])
        assert w.busy == 2
        assert w.receive() == (range(2, 4), [tokenize_columns(t).encode() for t in texts[2:]])
        assert w.receive() == (range(0, 2), [tokenize_columns(t).encode() for t in texts[:2]])
        assert w.busy == 0
    finally:
        w.close()


def test_a_failure_in_the_worker_is_raised_here_with_its_message():
    w = worker()
    try:
        w.send(range(0, 1), [123])  # not a text
        with pytest.raises(WorkerError, match="TypeError"):
            w.receive()
    finally:
        w.close()


def test_a_worker_that_stops_is_an_error_not_a_wait():
    w = worker()
    w.kill()
    w.send(range(0, 1), ["見守り"])
    with pytest.raises(WorkerError, match="stopped"):
        w.receive()
    with pytest.raises(WorkerError, match="stopped"):  # and again, not a hang
        w.receive()


def test_a_worker_that_cannot_start_is_one_clear_error(monkeypatch):
    from analysis.errors import EnvironmentProblem

    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with pytest.raises(EnvironmentProblem, match=r"cannot start .* workers = 1"):
        worker()


def test_the_worker_runs_the_callers_copy_of_the_package(tmp_path):
    """A checkout put on sys.path by the caller (a benchmark of another commit, a notebook beside
    a clone) is what the worker imports, not whatever Python would find first."""
    import subprocess
    import sys

    from analysis import tokenworkers

    fake = tmp_path / "analysis"
    fake.mkdir()
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "tokenworkers.py").write_text(
        "import sys\ndef main():\n    sys.stdout.write('the copy in ' + __file__)\n    return 0\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", tokenworkers._START.format(here=str(tmp_path))],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout == f"the copy in {fake / 'tokenworkers.py'}"


def test_workers_are_reaped_without_the_caller_waiting(monkeypatch):
    """Closing does not wait for the worker's exit, yet no zombie is left to warn about."""
    import gc
    import threading
    import time
    import warnings

    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tokens_module.columns_for(["見守り活動。", "担い手不足。"] * 4, workers=3)
        deadline = time.monotonic() + 30  # the workers' pipe threads end once the workers are reaped
        while any(t.daemon for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.05)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_worker_that_cannot_start_stops_those_already_started(monkeypatch):
    import analysis.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "MIN_PARALLEL_CHARS", 0)
    started, killed = [], []
    real_init, real_kill = Worker.__init__, Worker.kill

    def init(self, **setup):
        if started:
            raise WorkerError("cannot start a tokenizer worker process: (test)")
        real_init(self, **setup)
        started.append(self)

    monkeypatch.setattr(Worker, "__init__", init)
    monkeypatch.setattr(Worker, "kill", lambda self: killed.append(self) or real_kill(self))
    with pytest.raises(WorkerError, match="cannot start"):
        tokens_module.columns_for(["見守り。"] * 4, workers=3)
    assert len(started) == 1 and killed == started
