"""Keyness: which features a group of units uses more than another (as quanteda's ``textstat_keyness``).

For a feature with a occurrences in the target, b in the reference, c and d the target's and
reference's other features (N = a+b+c+d), expected counts E = row total × column total / N:

- G² = 2 Σ O ln(O/E) (0 ln 0 = 0); with ``correction="default"`` divided by Williams'
  q = 1 + (N/(a+b) + N/(c+d) − 1)(N/(a+c) + N/(b+d) − 1) / (6N), as quanteda does;
- χ² = Σ (|O−E| − y)² / E with Yates' y = min(0.5, |O−E|) (as R's ``chisq.test``;
  y = 0 with ``correction="none"``);
- both are signed: positive when the feature is over-used in the target (a > E11).

:func:`keyness_statistics` is the one G² (and χ²) of the code base, over arrays of counts;
:func:`keyness` applies it to the unit features of two groups of units and :func:`g2` to one
pair of counts.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Callable, Literal, Sequence, Union

from ..errors import InputError, check_choice
from ..terms.features import CONTENT_POS, PosPatterns, unit_features
from ..terms.stopwords import StopwordsArg
from ..tokens import Tokens
from ..units import TextUnit

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MEASURES = ("g2", "chi2")
CORRECTIONS = ("default", "none")

#: A group of units: a predicate on a unit, or one boolean per unit of the Tokens.
Group = Union[Callable[[TextUnit], bool], Sequence[bool]]


def _mask(tokens: Tokens, group: Group, name: str) -> list[bool]:
    if callable(group):
        return [bool(group(unit)) for unit in tokens.units]
    mask = [bool(x) for x in group]
    if len(mask) != len(tokens.units):
        raise InputError(f"{name}: mask has {len(mask)} values for {len(tokens.units)} units", field=name)
    return mask


def keyness(
    tokens: Tokens,
    target: Group,
    reference: Group | None = None,
    *,
    measure: Literal["g2", "chi2"] = "g2",
    correction: Literal["default", "none"] = "default",
    top: int | None = None,
    stopwords: StopwordsArg = None,
    pos: PosPatterns = CONTENT_POS,
) -> "pd.DataFrame":
    """Keyness of every feature in ``target`` against ``reference`` (see the module docstring).

    Parameters
    ----------
    tokens : Tokens
        The units.  Features are the analyzer's (content words + compounds,
        :func:`~analysis.terms.features.unit_features`).
    target : predicate on TextUnit, or booleans
        The target units: a predicate, or one boolean per unit of ``tokens``.
    reference : predicate on TextUnit, booleans, or None
        The reference units; ``None`` (default): every unit not in the target.  A unit in both
        groups is an error.
    measure : {"g2", "chi2"}
        What the rows are sorted by (and ``p`` computed from).
    correction : {"default", "none"}
        Williams' correction of G² and Yates' of χ² (default), or none.
    top : int or None
        Keep the first rows only (default: all).
    stopwords : None, path or set of str
        The stop list.
    pos : sequence of POS patterns
        The content words.

    Returns
    -------
    pandas.DataFrame
        Columns term, target_count, reference_count, g2, chi2, p (upper tail of χ² with 1
        degree of freedom at the chosen measure's |value|), sorted by the chosen measure,
        descending (ties by term); ``attrs["keyness"]`` records the options and totals.

    Raises
    ------
    InputError
        A unit in both groups, a mask of the wrong length, or a group without features.

    Examples
    --------
    >>> from analysis.tokens import Tokens, tokenize
    >>> from analysis.units import TextUnit
    >>> texts = ["担い手不足。担い手不足。", "サロン運営。"]
    >>> units = [TextUnit(f"d{i}:evaluation", "P", 2, 1, f"d{i}", "evaluation", t, 1) for i, t in enumerate(texts)]
    >>> frame = keyness(Tokens(units, [tokenize(t) for t in texts]), [True, False])
    >>> frame["term"].tolist()[:3], frame["target_count"].tolist()[:3]
    (['不足', '担い手', '担い手不足'], [2, 2, 2])
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import chi2 as chi2_dist

    check_choice("measure", measure, MEASURES)
    check_choice("correction", correction, CORRECTIONS)
    in_target = _mask(tokens, target, "target")
    if reference is None:
        in_reference = [not x for x in in_target]
    else:
        in_reference = _mask(tokens, reference, "reference")
    both = [u.id for u, t, r in zip(tokens.units, in_target, in_reference) if t and r]
    if both:
        raise InputError(f"unit {both[0]} is in both the target and the reference", field="keyness")
    features = unit_features(tokens, stopwords=stopwords, pos=pos)
    t_counts: Counter = Counter()
    r_counts: Counter = Counter()
    for feats, t, r in zip(features, in_target, in_reference):
        if t:
            t_counts.update(feats)
        elif r:
            r_counts.update(feats)
    columns = ["term", "target_count", "reference_count", "g2", "chi2", "p"]
    if not t_counts or not r_counts:
        raise InputError("keyness needs words in both the target and the reference", field="keyness")
    terms = sorted(set(t_counts) | set(r_counts))
    a = np.array([t_counts[w] for w in terms], dtype=float)
    b = np.array([r_counts[w] for w in terms], dtype=float)
    g2s, chi2s = keyness_statistics(a, b, float(sum(t_counts.values())), float(sum(r_counts.values())),
                                    correction=correction)
    chosen = g2s if measure == "g2" else chi2s
    frame = pd.DataFrame({
        "term": terms, "target_count": a.astype(int), "reference_count": b.astype(int),
        "g2": g2s, "chi2": chi2s, "p": chi2_dist.sf(np.abs(chosen), 1),
    }, columns=columns)
    frame = frame.sort_values([measure, "term"], ascending=[False, True], kind="mergesort")
    frame = frame.reset_index(drop=True)
    if top is not None:
        frame = frame.head(top)
    frame.attrs["keyness"] = {"measure": measure, "correction": correction,
                              "target_total": int(sum(t_counts.values())),
                              "reference_total": int(sum(r_counts.values()))}
    return frame


def keyness_statistics(
    a: "Sequence[float] | np.ndarray",
    b: "Sequence[float] | np.ndarray",
    target_total: float,
    reference_total: float,
    *,
    correction: Literal["default", "none"] = "default",
) -> tuple["np.ndarray", "np.ndarray"]:
    """Signed G² and χ² of counts ``a`` (target) against ``b`` (reference), feature by feature.

    Parameters
    ----------
    a, b : arrays of float
        Per feature, its count in the target and in the reference.
    target_total, reference_total : float
        All the features counted in the target and in the reference.
    correction : {"default", "none"}
        Williams' correction of G² and Yates' of χ² (default), or none.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        G² and χ², positive where the target over-uses the feature; 0 where a + b or the other
        features' total is 0.

    Examples
    --------
    >>> g2, chi2 = keyness_statistics([10.0], [10.0], 100.0, 200.0, correction="none")
    >>> round(float(g2[0]), 4), round(float(chi2[0]), 4)
    (2.5353, 2.6786)
    """
    import numpy as np

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    c = target_total - a
    d = reference_total - b
    n = target_total + reference_total
    observed = np.stack([a, b, c, d])
    rows = np.stack([a + b, a + b, c + d, c + d])
    cols = np.array([target_total, reference_total, target_total, reference_total])[:, None]
    expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * terms.sum(axis=0)
        deviation = np.abs(observed - expected)
        yates = np.minimum(0.5, deviation) if correction == "default" else 0.0
        chi2 = np.where(expected > 0, (deviation - yates) ** 2 / expected, 0.0).sum(axis=0)
        if correction == "default":
            q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / target_total + n / reference_total - 1) / (6 * n)
            g2 = np.where(np.isfinite(q) & (q > 0), g2 / q, g2)
    degenerate = (a + b == 0) | (c + d == 0)
    g2 = np.where(degenerate, 0.0, g2)
    chi2 = np.where(degenerate, 0.0, chi2)
    sign = np.where(a >= expected[0], 1.0, -1.0)
    return sign * np.maximum(g2, 0.0), sign * chi2



def g2(a: int, b: int, total_a: int, total_b: int) -> float:
    """Signed G² of one count ``a`` of ``total_a`` (target) against ``b`` of ``total_b`` (reference).

    :func:`keyness_statistics` without Williams' correction, rounded to 6 places; positive when
    the target's rate is at least the reference's (a / total_a ≥ b / total_b), as the generation
    comparison reports it.

    Parameters
    ----------
    a, b : int
        The counts in the target and the reference.
    total_a, total_b : int
        The totals they are counts of.

    Returns
    -------
    float
        The signed G² (0.0 when both totals are 0).

    Examples
    --------
    >>> round(g2(10, 2, 100, 100), 2)
    6.16
    >>> g2(2, 10, 100, 100) < 0
    True
    >>> g2(0, 0, 10, 10)
    0.0
    """
    if total_a + total_b == 0:
        return 0.0
    value, _ = keyness_statistics([a], [b], total_a, total_b, correction="none")
    magnitude = abs(float(value[0]))
    rate_a = a / total_a if total_a else 0.0
    rate_b = b / total_b if total_b else 0.0
    return round(magnitude if rate_a >= rate_b else -magnitude, 6)
