"""Figures: a measured value against its baseline, the score compared with the target."""

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Measure:
    """An amount with its unit, such as 14500 steps/s or 3.2 s."""

    amount: float
    unit: str

    def describe(self) -> str:
        return f"{format_amount(self.amount)} {self.unit}"


@dataclass(frozen=True)
class Target:
    """The limit a score must meet: at least `limit` when `at_least`, else at most (below when `strict`)."""

    limit: float
    at_least: bool
    strict: bool = False
    unit: str = ""

    def met(self, score: float) -> bool:
        if self.at_least:
            return score >= self.limit

        if self.strict:
            return score < self.limit

        return score <= self.limit

    def describe(self) -> str:
        if self.at_least:
            operator = "≥"
        elif self.strict:
            operator = "<"
        else:
            operator = "≤"

        return f"{operator} {format_amount(self.limit)}{self.unit}"


@dataclass(frozen=True)
class Figure:
    """One row of the results table.

    `score` is the number the target applies to. For most figures it is
    the ratio of value to baseline, for the others a difference or a
    relative drift, which `score_unit` names: "" for a ratio, " MB", " %".
    """

    number: str
    title: str
    value: Measure
    baseline: Measure
    score: float
    score_unit: str = ""
    target: Target | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "reported"

        return "pass" if self.target.met(self.score) else "FAIL"

    def describe_score(self) -> str:
        sign = "+" if self.score_unit == " MB" and self.score >= 0 else ""
        text = format_amount(self.score)
        # A score that rounds to its limit gets more digits, so that the
        # table shows why it passed or failed.
        if self.target is not None and text == format_amount(self.target.limit):
            text = f"{self.score:.4g}"

        return f"{sign}{text}{self.score_unit}"

    def to_dict(self) -> dict:
        document = asdict(self)
        document["verdict"] = self.verdict
        return document


def ratio(value: float, baseline: float) -> float:
    """Return value / baseline, or infinity when the baseline is 0 and the value is not."""
    if baseline == 0:
        return 0.0 if value == 0 else float("inf")

    return value / baseline


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values`: the smallest value with `fraction` of them at or below it."""
    if not values:
        return float("nan")

    ordered = sorted(values)
    rank = math.ceil(fraction * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def format_amount(amount: float) -> str:
    """Format a number with about three significant digits, and thousands separators above 1000."""
    if not math.isfinite(amount):
        return str(amount)

    if abs(amount) >= 1000:
        return f"{amount:,.0f}"

    if abs(amount) >= 100:
        return f"{amount:.0f}"

    if abs(amount) >= 10:
        return f"{amount:.1f}"

    if amount == 0 or abs(amount) >= 0.01:
        return f"{amount:.3g}" if abs(amount) < 1 else f"{amount:.2f}"

    return f"{amount:.2g}"
