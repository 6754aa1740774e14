"""Gaussian measurement noise as a pure function of (seed, step).

No generator state exists, so a restored run draws the same noise as the
uninterrupted one without storing anything.
"""

import math

_MASK = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15
_TWO_PI = 2.0 * math.pi
_UNIT = 2.0**-53


def _mix64(z: int) -> int:
    """Return the SplitMix64 output function (Stafford variant 13) of z."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def standard_normal(seed: int, step: int) -> float:
    """Return a standard normal sample for ``step`` of the run with ``seed``.

    The two uniforms are outputs 2*step+1 and 2*step+2 of a SplitMix64
    sequence whose start is the mixed seed, so that nearby seeds give unrelated
    sequences. Box-Muller turns them into one normal sample.
    NOTE: math.log and math.cos come from the platform C library, so samples
    are bit-identical on one machine but may differ in the last bit elsewhere.
    """
    start = _mix64(seed & _MASK)
    first = _mix64((start + (2 * step + 1) * _GOLDEN_GAMMA) & _MASK)
    second = _mix64((start + (2 * step + 2) * _GOLDEN_GAMMA) & _MASK)

    # u1 in (0, 1] keeps log() finite, u2 in [0, 1).
    u1 = ((first >> 11) + 1) * _UNIT
    u2 = (second >> 11) * _UNIT
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(_TWO_PI * u2)
