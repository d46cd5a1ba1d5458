"""The English of messages made outside a page (the command line's, the data's errors): a count
with its noun in the singular or the plural, and a noun with "a" or "an", in one place.

`counted` takes gettext's `ngettext` arguments and fills in `%(num)d` as Flask-Babel's does, so
that these messages could go through a catalogue by changing one call; they are not translated
today, so it is not named `ngettext`, which `pybabel extract` would collect.
"""

from gettext import NullTranslations

_ENGLISH = NullTranslations()


def counted(singular: str, plural: str, num: int, **variables) -> str:
    """The form for `num` ("1 problem", "3 problems"), with `%(num)d` and `variables` filled in."""
    return _ENGLISH.ngettext(singular, plural, num) % {"num": num, **variables}


def indefinite(noun: str) -> str:
    """The noun with "a" or "an" as it is said: "a route", "an event", "an object" (by its first
    letter, which is enough for the layers' and JSON types' names the messages use)."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
