"""Calibration/holdout check: expected against actual holdout purchases, by calibration frequency."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._time import check_time_unit
from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CalibrationHoldout
from custcentric.typing import FloatArray, IntArray
from custcentric.value._clv import model_check_message, model_values
from custcentric.value._common import rescale
from custcentric.value._purchase import PurchaseModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HoldoutCheck", "holdout_check"]


@attrs.frozen(kw_only=True, eq=False)
class HoldoutCheck:
    """Mean expected and actual holdout purchases per calibration frequency.

    Attributes
    ----------
    frequency : ndarray of int64
        Calibration repeat purchases; the last group holds ``max_frequency`` and more.
    n_customers : ndarray of int64
        Customers in each group.
    actual : ndarray of float64
        Mean purchases made in the holdout period.
    expected : ndarray of float64
        Mean purchases the model expected (conditional on each calibration history).
    max_frequency : int
        The frequency at which groups are pooled ("7+").
    duration : float
        The holdout's length, in the calibration summary's time unit.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.value import HoldoutCheck
    >>> check = HoldoutCheck(frequency=np.array([0, 1]), n_customers=np.array([3, 1]),
    ...                      actual=np.array([0.5, 2.0]), expected=np.array([0.4, 1.5]),
    ...                      max_frequency=1, duration=39.0)
    >>> check.total_actual, round(check.total_expected, 2)
    (3.5, 2.7)
    """

    frequency: IntArray
    n_customers: IntArray
    actual: FloatArray
    expected: FloatArray
    max_frequency: int
    duration: float

    @property
    def total_actual(self) -> float:
        """All holdout purchases made."""
        return float(np.dot(self.actual, self.n_customers))

    @property
    def total_expected(self) -> float:
        """All holdout purchases the model expected."""
        return float(np.dot(self.expected, self.n_customers))

    def to_dict(self) -> dict[str, Any]:
        """Return the table as plain lists (JSON-ready)."""
        return {
            "frequency": self.frequency.tolist(),
            "n_customers": self.n_customers.tolist(),
            "actual": self.actual.tolist(),
            "expected": self.expected.tolist(),
            "max_frequency": self.max_frequency,
            "duration": self.duration,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per frequency group (needs the ``pandas`` extra)."""
        return make_frame(
            {
                "frequency": self.frequency,
                "n_customers": self.n_customers,
                "actual": self.actual,
                "expected": self.expected,
            }
        )

    def __str__(self) -> str:
        lines = ["frequency  customers    actual  expected"]
        for i in range(self.frequency.size):
            label = str(self.frequency[i])
            if self.frequency[i] == self.max_frequency:
                label += "+"
            lines.append(
                f"{label:>9}  {self.n_customers[i]:>9,d}  {self.actual[i]:>8.3f}"
                f"  {self.expected[i]:>8.3f}"
            )
        lines.append(
            f"{'all':>9}  {int(self.n_customers.sum()):>9,d}  total {self.total_actual:,.0f}"
            f" actual, {self.total_expected:,.1f} expected"
        )
        return "\n".join(lines)


def holdout_check(
    model: PurchaseModel,
    split: CalibrationHoldout,
    *,
    max_frequency: int = 7,
) -> HoldoutCheck:
    """Compare a model's expected holdout purchases with the actual ones.

    Parameters
    ----------
    model : PurchaseModel
        Fitted on ``split.calibration``: :class:`BetaGeo`, :class:`ModifiedBetaGeo`,
        :class:`ParetoNBD` or a model of your own with the members of
        :class:`PurchaseModel`. A model in another ``time_unit`` than the calibration
        summary gets the summary and the holdout length converted into its unit.
    split : CalibrationHoldout
        From :meth:`TransactionLog.calibration_holdout`.
    max_frequency : int, default 7
        Calibration frequencies at or above this are pooled.

    Returns
    -------
    HoldoutCheck
        The table of Fader, Hardie & Lee (2005, Figure 4): for each calibration frequency,
        the mean holdout purchases expected and made.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow
    >>> from custcentric.value import BetaGeo, holdout_check
    >>> split = load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="W")
    >>> fit = BetaGeo.fit(split.calibration)
    >>> check = holdout_check(fit.model, split)
    >>> round(check.total_actual), round(check.total_expected)
    (1882, 1653)
    """
    if not isinstance(model, PurchaseModel):
        raise InvalidInputError(model_check_message("model", model))
    data: object = split
    if not isinstance(data, CalibrationHoldout):
        msg = f"`split` must be a CalibrationHoldout (got {type(data).__name__})."
        raise InvalidInputError(msg)
    cap = int(check_number(max_frequency, "max_frequency", low=1, integer=True))
    cal = split.calibration
    unit = check_time_unit(model.time_unit or cal.time_unit, name="model.time_unit")
    duration = rescale(float(split.duration_holdout), cal.time_unit, unit)
    if unit != cal.time_unit:  # the model is asked in its own unit
        cal = attrs.evolve(
            cal,
            recency=rescale(cal.recency, cal.time_unit, unit),
            T=rescale(cal.T, cal.time_unit, unit),
            time_unit=unit,
        )
    expected = model_values(
        model.conditional_expected_purchases(cal, t=duration),
        len(cal),
        what="conditional_expected_purchases",
    )
    group = np.minimum(cal.frequency, cap)
    labels, inverse = np.unique(group, return_inverse=True)
    counts = np.bincount(inverse, minlength=labels.size)
    actual = np.bincount(inverse, weights=split.frequency_holdout, minlength=labels.size)
    predicted = np.bincount(inverse, weights=expected, minlength=labels.size)
    return HoldoutCheck(
        frequency=labels.astype(np.int64),
        n_customers=counts.astype(np.int64),
        actual=actual / counts,
        expected=predicted / counts,
        max_frequency=cap,
        duration=float(split.duration_holdout),
    )
