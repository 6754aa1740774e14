"""Scores, targets, verdicts and number formats of the results table."""

import math

import pytest

from bench.results import Figure, Measure, Target, format_amount, percentile, ratio


def figure(score: float, target: Target | None) -> Figure:
    return Figure("1", "title", Measure(1.0, "s"), Measure(2.0, "s"), score=score, target=target)


@pytest.mark.parametrize(
    ("target", "score", "met"),
    [
        (Target(0.3, at_least=True), 0.3, True),
        (Target(0.3, at_least=True), 0.29, False),
        (Target(2.0, at_least=False), 2.0, True),
        (Target(2.0, at_least=False), 2.01, False),
        (Target(0.5, at_least=False, strict=True), 0.49, True),
        (Target(0.5, at_least=False, strict=True), 0.5, False),
    ],
)
def test_target_met_at_its_limit(target, score, met):
    assert target.met(score) is met


def test_verdict_passes_met_target():
    assert figure(0.5, Target(0.3, at_least=True)).verdict == "pass"


def test_verdict_fails_missed_target():
    assert figure(0.2, Target(0.3, at_least=True)).verdict == "FAIL"


def test_verdict_without_target_is_reported():
    assert figure(0.2, None).verdict == "reported"


def test_target_describes_operator_and_unit():
    assert Target(50.0, at_least=False, unit=" MB").describe() == "≤ 50.0 MB"
    assert Target(0.5, at_least=False, strict=True, unit=" %").describe() == "< 0.5 %"
    assert Target(0.3, at_least=True).describe() == "≥ 0.3"


def test_growth_score_shows_sign():
    growth = Figure("5", "memory", Measure(150, "MB"), Measure(130, "MB"), score=20.0, score_unit=" MB")
    assert growth.describe_score() == "+20.0 MB"


def test_score_at_limit_shows_more_digits():
    assert figure(1.503, Target(1.5, at_least=False)).describe_score() == "1.503"


def test_ratio_of_zero_baseline():
    assert ratio(0.0, 0.0) == 0.0
    assert math.isinf(ratio(1.0, 0.0))


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.5, 50), (0.99, 99), (1.0, 100), (0.0, 1), (0.001, 1)],
)
def test_percentile_uses_nearest_rank(fraction, expected):
    values = list(range(100, 0, -1))
    assert percentile(values, fraction) == expected


def test_percentile_of_nothing_is_nan():
    assert math.isnan(percentile([], 0.99))


@pytest.mark.parametrize(
    ("amount", "text"),
    [(123456.7, "123,457"), (456.7, "457"), (45.67, "45.7"), (4.567, "4.57"), (0.4567, "0.457"), (0.0012, "0.0012"), (0.0, "0")],
)
def test_format_amount_keeps_three_digits(amount, text):
    assert format_amount(amount) == text
