"""A note: one line saying why a result cannot be computed from what the corpus holds (or how to
read it), with a stable English ``code`` for scripts and a Japanese ``message`` for planners.

The continuity stage (:mod:`analysis.continuity.notes`) and the one-period findings
(:mod:`analysis.evaluations`) each define their own codes; this is the record both give.

>>> Note("single_period", "計画の世代が一つしかありません").to_dict()
{'code': 'single_period', 'message': '計画の世代が一つしかありません'}
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """Why a section cannot be computed: ``code`` and the Japanese ``message``."""

    code: str
    message: str

    def to_dict(self) -> dict:
        """The JSON form ``{code, message}``."""
        return {"code": self.code, "message": self.message}


__all__ = ["Note"]
