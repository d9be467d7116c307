"""Tests for analysis/textstat/keyness.py: G², χ², keyness of two groups (real Sudachi; by hand)."""

from __future__ import annotations

import math

import pytest

from analysis.errors import InputError, SettingsError
from analysis.textstat.keyness import g2 as g2_scalar
from analysis.textstat.keyness import keyness, keyness_statistics
from terms_corpus import make_tokens


def test_keyness_statistics_hand_computed():
    # a=10, b=10, target 100, reference 200, N=300.  E11 = 20·100/300, E12 = 20·200/300,
    # E21 = 280·100/300, E22 = 280·200/300; |O−E| = 10/3 in every cell.
    e = [20 / 3, 40 / 3, 280 / 3, 560 / 3]
    o = [10, 10, 90, 190]
    g2 = 2 * sum(oi * math.log(oi / ei) for oi, ei in zip(o, e))
    chi2 = sum((10 / 3) ** 2 / ei for ei in e)
    raw_g2, raw_chi2 = keyness_statistics([10], [10], 100, 200, correction="none")
    assert raw_g2[0] == pytest.approx(g2) and raw_chi2[0] == pytest.approx(chi2)
    assert g2 == pytest.approx(2.53526, abs=1e-4) and chi2 == pytest.approx(2.67857, abs=1e-4)
    # default: Yates (|O−E| − 0.5) for χ², Williams q for G²
    q = 1 + (300 / 20 + 300 / 280 - 1) * (300 / 100 + 300 / 200 - 1) / (6 * 300)
    yates = sum((10 / 3 - 0.5) ** 2 / ei for ei in e)
    cor_g2, cor_chi2 = keyness_statistics([10], [10], 100, 200)
    assert cor_g2[0] == pytest.approx(g2 / q) and cor_chi2[0] == pytest.approx(yates)


def test_keyness_statistics_sign_and_yates_floor():
    # a=1 of 100 against b=20 of 100: under-used in the target → negative
    g2, chi2 = keyness_statistics([1, 5], [20, 5], 100, 100)
    assert g2[0] < 0 and chi2[0] < 0
    # equal proportions: |O−E| = 0, Yates subtracts min(0.5, 0) → 0, not 0.5²/E
    assert g2[1] == 0 and chi2[1] == 0


def test_keyness_between_generations():
    tokens = make_tokens(
        ["担い手不足が続いた。", "担い手不足で停滞した。", "見守り活動を広げる。", "見守り活動と担い手育成。"],
        generations=[2, 2, 3, 3],
    )
    frame = keyness(tokens, lambda u: u.generation == 2, lambda u: u.generation == 3)
    assert list(frame.columns) == ["term", "target_count", "reference_count", "g2", "chi2", "p"]
    row = frame.set_index("term").loc["担い手不足"]
    assert (row.target_count, row.reference_count) == (2, 0)
    assert row.g2 > 0 and 0 < row.p < 1
    assert frame.set_index("term").loc["見守り活動"].g2 < 0
    assert frame["g2"].is_monotonic_decreasing
    # masks work too; reference defaults to the other units
    same = keyness(tokens, [True, True, False, False], measure="chi2")
    assert same["chi2"].is_monotonic_decreasing
    assert set(same["term"]) == set(frame["term"])


def test_keyness_bad_groups():
    tokens = make_tokens(["担い手不足。", "見守り活動。"])
    with pytest.raises(InputError, match="both"):
        keyness(tokens, [True, True], [True, False])
    with pytest.raises(InputError):
        keyness(tokens, [True, True])
    with pytest.raises(InputError, match="mask"):
        keyness(tokens, [True])
    with pytest.raises(SettingsError):
        keyness(tokens, [True, False], measure="lr")


# -------------------------------------------------------------------------------- KWIC


# ------------------------------------------------------------------ g2 of one pair of counts

def _g2_by_hand(a, b, total_a, total_b):
    """G² = 2 Σ O ln(O/E) over the 2×2 table (0 ln 0 = 0), no Williams correction, signed by
    the rates a/total_a against b/total_b, rounded to 6 places."""
    n = total_a + total_b
    if n == 0:
        return 0.0
    cells = [(a, a + b, total_a), (b, a + b, total_b),
             (total_a - a, n - a - b, total_a), (total_b - b, n - a - b, total_b)]
    value = 2 * sum(o * math.log(o / (row * col / n)) for o, row, col in cells if o > 0)
    rate_a = a / total_a if total_a else 0.0
    rate_b = b / total_b if total_b else 0.0
    return round(value if rate_a >= rate_b else -value, 6)


G2_CASES = [
    # a, b, total_a, total_b, what the case shows
    (10, 2, 100, 100),  # the doctest: 6.16, over-used in the target
    (2, 10, 100, 100),  # the mirror: negative
    (0, 0, 10, 10),  # nothing counted: 0.0
    (0, 0, 0, 0),  # empty totals: 0.0
    (5, 5, 50, 50),  # equal rates: 0
    (0, 7, 40, 60),  # absent from the target
    (9, 0, 30, 1),  # absent from the reference, a tiny reference
    (30, 30, 30, 30),  # every feature is this one
    (3, 0, 12, 0),  # an empty reference
    (1, 1, 1_000_000, 7),  # very different totals
    (123, 456, 7_890, 12_345),
]


@pytest.mark.parametrize("a, b, total_a, total_b", G2_CASES)
def test_g2_is_the_formula(a, b, total_a, total_b):
    assert g2_scalar(a, b, total_a, total_b) == _g2_by_hand(a, b, total_a, total_b)


def test_g2_doctest_values_and_sign():
    assert round(g2_scalar(10, 2, 100, 100), 2) == 6.16
    assert g2_scalar(0, 0, 10, 10) == 0.0
    assert g2_scalar(2, 10, 100, 100) == -g2_scalar(10, 2, 100, 100) < 0


def test_g2_is_keyness_statistics_without_correction():
    # one G² in the code base: the scalar is the array function's, rounded
    raw, _ = keyness_statistics([10, 2], [2, 10], 100, 100, correction="none")
    assert [g2_scalar(10, 2, 100, 100), g2_scalar(2, 10, 100, 100)] == [round(float(v), 6) for v in raw]
