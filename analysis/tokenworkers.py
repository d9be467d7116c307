"""Tokenizer worker processes: fresh interpreters that tokenize runs of texts and send back
compact columns, for :mod:`analysis.tokens` with ``workers`` above 1.

A worker is a fresh ``python`` running :func:`main`, not a fork of the calling process: a fork
copies the page tables of a process that may hold a whole corpus, and every page either side
writes afterwards is copied then (measured: the calling process tokenized 1 M characters in
1.43-1.51 CPU s alone, 1.52-1.56 s beside a forked child that only slept), and a fork-less
worker needs no ``if __name__ == "__main__"`` guard in the caller's script, on any platform.
It starts in ~0.1 s, while the caller tokenizes its own share.

Frames on the pipes are a length (8 bytes, little-endian) and a :mod:`marshal` payload:
the first one to the worker is ``(split_mode, variant_items, user_dictionary_path)``, each next
one a run of texts; the worker answers each run with ``("ok", [columns.encode() ...])`` or
``("error", message)``.  End of input ends the worker.
"""

from __future__ import annotations

import marshal
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections import deque

from .errors import EnvironmentProblem

_LENGTH = struct.Struct("<Q")


def _write_frame(stream, payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_frame(stream) -> bytes | None:
    """The next frame's payload, or None at the end of the stream (a cut frame counts as the end)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(head)[0]
    payload = stream.read(size)
    return payload if len(payload) == size else None


# The worker runs this very copy of the package, wherever the caller found it (a checkout put on
# sys.path, an editable or a normal install), without putting its folder before the standard
# library when Python would find the package there anyway.
_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_START = """\
import importlib.util, os, sys
here = {here!r}
spec = importlib.util.find_spec("analysis")
if spec is None or not spec.origin or os.path.dirname(os.path.dirname(os.path.abspath(spec.origin))) != here:
    sys.path.insert(0, here)
from analysis.tokenworkers import main
sys.exit(main())
"""


class WorkerError(EnvironmentProblem):
    """A worker process could not start, failed (its message) or stopped before answering."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} (tokenizing in this process alone: [tokens] workers = 1)",
                         field="tokens.workers")


class Worker:
    """One worker process: :meth:`send` runs of texts, :meth:`receive` their columns in the order
    sent.  Two threads move the frames (a run is written while the worker tokenizes the one
    before, and its answers are read as they come), so neither side ever waits on a full pipe.

    >>> w = Worker(split_mode="C", variant_items=(), user_path="")
    >>> w.send(range(0, 2), ["見守り。", "連携"])
    >>> run, encoded = w.receive()
    >>> run, [data[0] for data in encoded]
    (range(0, 2), ['見守る\\x1f。', '連携'])
    >>> w.close()
    """

    def __init__(self, *, split_mode: str, variant_items: tuple, user_path: str) -> None:
        try:
            self._process = subprocess.Popen([sys.executable, "-c", _START.format(here=_HERE)],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)
        except (OSError, ValueError) as exc:  # no interpreter to start (an embedded Python)
            raise WorkerError(f"cannot start a tokenizer worker process: {exc}") from exc
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._runs: deque = deque()
        self._outbox.put(marshal.dumps((split_mode, variant_items, user_path)))
        for target in (self._writer, self._reader):
            threading.Thread(target=target, daemon=True).start()

    def _writer(self) -> None:
        stream = self._process.stdin
        try:
            while (payload := self._outbox.get()) is not None:
                _write_frame(stream, payload)
        except OSError:  # the worker is gone: the reader reports it
            pass
        finally:
            try:
                stream.close()
            except OSError:
                pass
            self._process.wait()  # reaped here, off the caller's path (no zombie, no ResourceWarning)

    def _reader(self) -> None:
        stream = self._process.stdout
        try:
            while (payload := _read_frame(stream)) is not None:
                self._inbox.put(payload)
        finally:
            stream.close()
            self._inbox.put(None)

    def send(self, run: range, texts: list[str]) -> None:
        """Have the worker tokenize ``texts`` (the texts of ``run``, which :meth:`receive` gives back)."""
        self._runs.append(run)
        self._outbox.put(marshal.dumps(texts))

    @property
    def busy(self) -> int:
        """How many runs sent are not received yet."""
        return len(self._runs)

    def ready(self) -> bool:
        """Whether :meth:`receive` would return without waiting."""
        return not self._inbox.empty()

    def receive(self) -> tuple[range, list[tuple]]:
        """The first run not received yet and its encoded columns (waits for them)."""
        payload = self._inbox.get()
        if payload is None:
            self._inbox.put(None)
            code = self._process.wait()
            raise WorkerError(f"a tokenizer worker process stopped (exit code {code})")
        status, data = marshal.loads(payload)
        if status != "ok":
            raise WorkerError(data)
        return self._runs.popleft(), data

    def close(self) -> None:
        """End the worker's input: it exits once it has answered what it was sent (not waited for)."""
        self._outbox.put(None)

    def kill(self) -> None:
        """Stop the worker now."""
        self.close()
        try:
            self._process.kill()
        except OSError:
            pass


def main() -> int:
    """The worker process: read runs of texts, answer each with their encoded columns."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    gc.disable()  # only acyclic objects are made
    from analysis.tokens import tokenize_columns

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    first = _read_frame(stdin)
    if first is None:
        return 0
    split_mode, variant_items, user_path = marshal.loads(first)
    variants = dict(variant_items)
    user = user_path or None
    while (payload := _read_frame(stdin)) is not None:
        try:
            answer = ("ok", [tokenize_columns(t, split_mode=split_mode, variants=variants,
                                              user_dictionary=user).encode() for t in marshal.loads(payload)])
        except Exception as exc:  # sent to the caller, which raises it
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            _write_frame(stdout, marshal.dumps(answer))
        except OSError:  # the caller is gone
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
