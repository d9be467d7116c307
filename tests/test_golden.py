"""Outputs kept byte for byte across behaviour-preserving changes (see ``tests/golden/make.py``).

``tests/golden/expected/`` was written by the code before the restructuring of issue 10; a commit
that changes an output on purpose regenerates it and says why.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

EXPECTED = ROOT / "tests" / "golden" / "expected"


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_outputs_are_byte_identical_to_the_committed_ones(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tests/golden/make.py"), str(tmp_path / "now")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    expected, now = _files(EXPECTED), _files(tmp_path / "now")
    assert sorted(now) == sorted(expected)
    changed = [name for name in expected if expected[name] != now[name]]
    assert not changed, f"outputs changed: {changed}"
