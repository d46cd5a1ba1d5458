"""Parametrizations for sweeps that `scripts/test` cuts short and --slow runs in full (CI runs
them all), so that the default suite stays quick (DESIGN 5) while still checking each thing once:

- `first_then_slow`: every shipped route; the first runs by default, the others with --slow.
- `each_once`: every page (or path) × every screen (or other setting); by default each page runs
  once, the screens taking turns so that each screen is met too, and --slow adds the other pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest


def first_then_slow(values: Sequence) -> list:
    return [values[0], *(pytest.param(value, marks=pytest.mark.slow) for value in values[1:])]


def each_once(values: Sequence, settings: Sequence) -> list:
    """`(value, setting)` parameters for every pair, the default suite's being each value with
    the settings in turn; a setting that is a tuple (width, height) gives its parts as
    parameters of their own."""
    pairs = []
    for i, value in enumerate(values):
        for j, setting in enumerate(settings):
            parts = setting if isinstance(setting, tuple) else (setting,)
            marks = () if j == i % len(settings) else pytest.mark.slow
            pairs.append(pytest.param(value, *parts, marks=marks))
    return pairs
