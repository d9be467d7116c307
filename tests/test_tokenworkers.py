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
