"""One-period findings (issue 11): what a planner wants from a single year's or a single plan's
evaluations — problems raised but decision ``continue``, ``end`` / ``reduce`` decisions with their
reasons, theme × decision and theme × attribute cross tables (χ², adjusted residuals) and rating
distributions, with a note wherever a finding cannot be computed.

Stage: :class:`~analysis.pipeline.Analysis` ──:func:`period_findings`──▶ :class:`PeriodFindings`
──▶ :func:`period_frames` (pandas), :func:`period_summary` (the Japanese listing of ``keikaku gaps``).

One module, one job: :mod:`.crosstab` (the χ² tables), :mod:`.ratings` (rating scales and
distributions), :mod:`.findings` (the records and their computation), :mod:`.summary` (text).
"""

from __future__ import annotations

from .crosstab import LOW_EXPECTED, CrossRow, CrossTable, cross_table
from .findings import (DECISION_NAMES, DECISION_ORDER, ENDING_CLASSES, NOTE_CODES, PROBLEM_STANCES, EndingDecision, Evidence, Note,
                       PeriodFindings, ProblemKept, categorical_attributes, holds_period_data, period_findings,
                       period_frames)
from .ratings import RatingDistribution, rating_distributions, ratings_frame, scale_order
from .summary import period_summary

__all__ = ["DECISION_NAMES", "DECISION_ORDER", "ENDING_CLASSES", "LOW_EXPECTED", "NOTE_CODES", "PROBLEM_STANCES", "CrossRow",
           "CrossTable", "EndingDecision", "Evidence", "Note", "PeriodFindings", "ProblemKept",
           "RatingDistribution", "categorical_attributes", "cross_table", "holds_period_data", "period_findings",
           "period_frames", "period_summary", "rating_distributions", "ratings_frame", "scale_order"]
