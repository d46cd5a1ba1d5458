"""Parametrizations that sweep every shipped route: the first route runs in the default suite,
the others with --slow (CI runs them all), so that `scripts/test` stays quick (DESIGN 5)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest


def first_then_slow(values: Sequence) -> list:
    return [values[0], *(pytest.param(value, marks=pytest.mark.slow) for value in values[1:])]
