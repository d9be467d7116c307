"""Cross tables of codes (themes) × a grouping variable (decision class, an attribute), with χ²,
expected counts and adjusted residuals, the way KH Coder cross-tabulates codes by an external
variable.

A unit may carry several themes, so the rows of a theme table are not one categorical variable.
Each theme is therefore tested on its own 2 × k table — the units carrying the theme and the units
not carrying it, per column value — and every figure can be checked by hand:

* ``N`` is the number of units with a value in the column variable, ``n_j`` those in column ``j``,
  ``t`` those carrying the theme and ``O_j`` those carrying it in column ``j``;
* expected count ``E_j = t · n_j / N`` (and ``(N − t) · n_j / N`` in the row not carrying it);
* Pearson's ``χ² = Σ (O − E)² / E`` over the 2 × k cells, ``k − 1`` degrees of freedom, no
  continuity correction;
* adjusted (standardised) residual ``r_j = (O_j − E_j) / √(E_j · (1 − t/N) · (1 − n_j/N))``:
  above about 1.96 the theme is more frequent in that column than independence predicts (5 %).

A cell whose expected count is below 5 is flagged (``low_expected``): its χ² reads as a hint only.

>>> table = cross_table({"u1": {"見守り"}, "u2": {"見守り"}, "u3": set(), "u4": set()},
...                     {"u1": "継続", "u2": "継続", "u3": "終了", "u4": "終了"}, rows=["見守り"])
>>> row = table.rows[0]
>>> row.observed, row.expected, row.chi2
((2, 0), (1.0, 1.0), 4.0)
>>> [round(r, 3) for r in row.residuals]
[2.0, -2.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    import pandas as pd

#: Expected counts below this are flagged: χ² is then a hint, not a test.
LOW_EXPECTED = 5.0


@dataclass(frozen=True)
class CrossRow:
    """One theme's row: its counts, expected counts and adjusted residuals per column, and the χ²
    of its 2 × k table (``None`` when it cannot be computed: one column only, or the theme in
    every unit or in none)."""

    name: str
    total: int  # units carrying the theme (t)
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    residuals: tuple[float | None, ...]
    low_expected: tuple[bool, ...]
    chi2: float | None
    dof: int
    p: float | None

    def to_dict(self) -> dict:
        return {"name": self.name, "total": self.total, "observed": list(self.observed),
                "expected": list(self.expected), "residuals": list(self.residuals),
                "low_expected": list(self.low_expected), "chi2": self.chi2, "dof": self.dof, "p": self.p}


@dataclass(frozen=True)
class CrossTable:
    """Themes (rows) × the values of one variable (columns): see the module docstring."""

    variable: str  # "decision" or the attribute's header
    columns: tuple[str, ...]  # the values, in order
    column_totals: tuple[int, ...]  # n_j
    n: int  # units with a value (N)
    excluded: int  # units without a value for the variable (left out of N)
    rows: tuple[CrossRow, ...]

    def to_dict(self) -> dict:
        return {"variable": self.variable, "columns": list(self.columns),
                "column_totals": list(self.column_totals), "n": self.n, "excluded": self.excluded,
                "rows": [r.to_dict() for r in self.rows]}

    def frame(self, *, column_labels: Mapping[str, str] | None = None) -> "pd.DataFrame":
        """One row per (theme, column): observed, expected, residual, flag, and the theme's χ².

        Parameters
        ----------
        column_labels : mapping, optional
            Labels to show for the column values (e.g. decision classes in Japanese).

        Returns
        -------
        pandas.DataFrame
            Columns theme, value, observed, column_total, theme_total, expected, residual,
            low_expected, chi2, dof, p.
        """
        import pandas as pd

        labels = column_labels or {}
        records = [
            {"theme": r.name, "value": labels.get(c, c), "observed": o, "column_total": n,
             "theme_total": r.total, "expected": e, "residual": z, "low_expected": low,
             "chi2": r.chi2, "dof": r.dof, "p": r.p}
            for r in self.rows
            for c, n, o, e, z, low in zip(self.columns, self.column_totals, r.observed, r.expected,
                                          r.residuals, r.low_expected)
        ]
        return pd.DataFrame(records, columns=["theme", "value", "observed", "column_total", "theme_total",
                                              "expected", "residual", "low_expected", "chi2", "dof", "p"])


def cross_table(carried: Mapping[str, set[str]], groups: Mapping[str, str], *, rows: Iterable[str],
                columns: Iterable[str] | None = None, variable: str = "") -> CrossTable:
    """Cross-tabulate units carrying each theme by the group (column value) of each unit.

    Parameters
    ----------
    carried : mapping of str to set of str
        Unit id → the themes it carries; the units counted are these.
    groups : mapping of str to str
        Unit id → its value of the column variable; units without one (or with ``""``) are left
        out and counted in ``excluded``.
    rows : iterable of str
        The themes, in order; themes carried by no counted unit are left out.
    columns : iterable of str, optional
        The column values in order (default: first seen in ``carried`` order); values no counted
        unit has are left out.
    variable : str, default ""
        The variable's name, kept in the result.

    Returns
    -------
    CrossTable
    """
    from scipy.stats import chi2 as chi2_distribution

    counted = [u for u in carried if groups.get(u, "")]
    seen = list(dict.fromkeys(groups[u] for u in counted))
    order = [c for c in columns if c in seen] if columns is not None else seen
    order += [c for c in seen if c not in order]
    totals = [sum(1 for u in counted if groups[u] == c) for c in order]
    n = len(counted)
    out = []
    for name in rows:
        observed = [sum(1 for u in counted if groups[u] == c and name in carried[u]) for c in order]
        t = sum(observed)
        if t == 0:
            continue
        expected = [t * nj / n for nj in totals]
        residuals = []
        for o, e, nj in zip(observed, expected, totals):
            variance = e * (1 - t / n) * (1 - nj / n)
            residuals.append((o - e) / math.sqrt(variance) if variance > 0 else None)
        absent_expected = [(n - t) * nj / n for nj in totals]
        dof = len(order) - 1
        chi2 = p = None
        if dof > 0 and t < n:
            absent = [nj - o for nj, o in zip(totals, observed)]
            chi2 = sum((o - e) ** 2 / e for o, e in zip(observed + absent, expected + absent_expected))
            p = float(chi2_distribution.sf(chi2, dof))
        out.append(CrossRow(
            name=name, total=t, observed=tuple(observed), expected=tuple(expected), residuals=tuple(residuals),
            low_expected=tuple(e < LOW_EXPECTED or a < LOW_EXPECTED for e, a in zip(expected, absent_expected)),
            chi2=chi2, dof=dof, p=p))
    return CrossTable(variable=variable, columns=tuple(order), column_totals=tuple(totals), n=n,
                      excluded=len(carried) - n, rows=tuple(out))


__all__ = ["LOW_EXPECTED", "CrossRow", "CrossTable", "cross_table"]
