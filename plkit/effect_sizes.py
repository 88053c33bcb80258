"""Translate a standardized effect size into percentiles, the WWC improvement index and EEF months.

The formulas and the EEF table are those in the kit's research notes: Cohen's U3 = Φ(d) × 100;
WWC improvement index = U3 − 50 (WWC Procedures Handbook: d = 0.25 gives an index of 10);
d = 2r / √(1 − r²); and the EEF Toolkit's months-of-progress bands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()

# EEF Teaching and Learning Toolkit, "about the toolkits: attainment": effect size -> months.
EEF_BANDS: tuple[tuple[Decimal, Decimal, int], ...] = tuple(
    (Decimal(low), Decimal(high), months)
    for low, high, months in (
        ("-0.01", "0.01", 0),
        ("0.02", "0.09", 1),
        ("0.10", "0.18", 2),
        ("0.19", "0.26", 3),
        ("0.27", "0.35", 4),
        ("0.36", "0.44", 5),
        ("0.45", "0.52", 6),
        ("0.53", "0.61", 7),
        ("0.62", "0.69", 8),
        ("0.70", "0.78", 9),
        ("0.79", "0.87", 10),
        ("0.88", "0.95", 11),
        ("0.96", "1.00", 12),
    )
)
EEF_TOP = EEF_BANDS[-1][1]


def _finite(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    return value


def u3(d: float) -> float:
    """Cohen's U3 as a percentage: the share of the comparison group below the average treated student."""
    return _STANDARD_NORMAL.cdf(_finite(d, "d")) * 100


def improvement_index(d: float) -> float:
    """The What Works Clearinghouse improvement index: U3 − 50, in percentile points."""
    return u3(d) - 50


def r_to_d(r: float) -> float:
    """Convert a correlation r into Cohen's d: d = 2r / √(1 − r²)."""
    r = _finite(r, "r")
    if not -1 < r < 1:
        raise ValueError(f"a correlation r must lie strictly between -1 and 1, not {r}.")
    return 2 * r / math.sqrt(1 - r * r)


def d_to_r(d: float) -> float:
    """The inverse of ``r_to_d``: r = d / √(d² + 4)."""
    d = _finite(d, "d")
    return d / math.sqrt(d * d + 4)


@dataclass(frozen=True)
class EefBand:
    """A row of the EEF table: months of additional progress and the effect sizes it covers."""

    months: int  # negative for a negative effect
    low: float
    high: float
    beyond: bool = False  # the effect lies outside the published table (above 1.00 or below -1.00)

    @property
    def text(self) -> str:
        size = abs(self.months)
        unit = "month" if size == 1 else "months"
        if self.beyond:
            if self.months > 0:
                return (
                    f"+{size} months or more of additional progress (the EEF table stops at 1.00)"
                )
            return f"{size} months or more less progress (past the end of the EEF table)"
        if self.months == 0:
            return "0 months: no difference in progress"
        if self.months > 0:
            return f"+{size} {unit} of additional progress"
        return f"{size} {unit} less progress"


def eef_band(d: float) -> EefBand:
    """The EEF months-of-progress band for an effect size.

    The effect is first rounded to two decimals (half away from zero), the precision of the
    table, so 0.095 counts as 0.10 (2 months). The published table covers -0.01 to 1.00; plkit
    decides the rest: above 1.00 it stays at 12 months, flagged ``beyond``; a negative effect
    mirrors the positive bands (-0.02 to -0.09 is -1 month, and so on down to -12).
    """
    rounded = Decimal(repr(_finite(d, "d"))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    size = abs(rounded)
    sign = -1 if rounded < 0 else 1
    if size > EEF_TOP:
        low, high, months = EEF_BANDS[-1]
        return _signed(low, high, months, sign, beyond=True)
    low, high, months = next(band for band in EEF_BANDS if size <= band[1])
    return _signed(low, high, months, sign)


def _signed(low: Decimal, high: Decimal, months: int, sign: int, beyond: bool = False) -> EefBand:
    if months == 0 or sign > 0:
        return EefBand(months, float(low), float(high), beyond)
    return EefBand(-months, float(-high), float(-low), beyond)


def eef_months(d: float) -> int:
    """Months of additional progress in the EEF table (see ``eef_band`` for the edges)."""
    return eef_band(d).months
