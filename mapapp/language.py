"""The language of what is being made: the page's (Flask-Babel's locale, chosen per request by
mapapp.web.i18n), English outside a request (tests, scripts, the map builder on its own).

Wording elsewhere goes through Flask-Babel's gettext, which already falls back to English
outside a request; numbers and dates need this, because Babel would otherwise format them for
the process's own locale (`12.345` under de_DE, `12345` under C).
"""

from __future__ import annotations

import datetime

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from flask_babel import get_locale

from mapapp.translation import SOURCE_LANGUAGE


def format_number(value: float | int) -> str:
    """A number as the language writes it: 34,538 (thousands grouped, in English and Korean)."""
    return format_decimal(value, locale=get_locale() or SOURCE_LANGUAGE)


def format_month(year: int, month: int | None = None) -> str:
    """A year, or a month of it, as the language writes it: "November 2005", "2005년 11월";
    "2005", "2005년"."""
    skeleton, day = ("yMMMM", datetime.date(year, month, 1)) if month else (
        "y", datetime.date(year, 1, 1))
    return format_skeleton(skeleton, day, locale=get_locale() or SOURCE_LANGUAGE)
