"""The language of what is being made: the page's (Flask-Babel's locale, chosen per request by
mapapp.web.i18n), English outside a request (tests, scripts, the map builder on its own).

Wording elsewhere goes through Flask-Babel's gettext, which already falls back to English
outside a request; numbers need this, because Babel would otherwise format them for the
process's own locale (`12.345` under de_DE, `12345` under C).
"""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import get_locale

from mapapp.translation import SOURCE_LANGUAGE


def format_number(value: float | int) -> str:
    """A number as the language writes it: 34,538 (thousands grouped, in English and Korean)."""
    return format_decimal(value, locale=get_locale() or SOURCE_LANGUAGE)
