"""The `safety` check: the generalisation rules that keep the map from endangering anyone.

Routes stay at regional scale (2 decimals, about 1 km), only known layers are drawn, and nothing
marks shelters, brokers, contacts or private people. A program cannot judge everything; what it
can see, it refuses.
"""

from __future__ import annotations

import re

import numpy as np
import shapely

from mapapp import contract
from mapapp.parsing import Feature
from mapapp.validation import positions
from mapapp.validation.core import Inspection
from mapapp.validation.schema import SAFETY_KEYS

CHECK = "safety"
FORMAT_HINT = "round to 2 decimals (about 1 km): `mapapp format` does it for the GeoJSON"
_MARKING = re.compile(r"\b(shelters?|safe[\s-]?houses?|hide-?outs?|hiding places?|churche?s?|"
                      r"brokers?|guides?|contacts?|pastors?|missionar(?:y|ies))\b", re.I)
# Possessive quantifiers and a start anchor keep these linear on long texts.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# "+" or "0" first, where regex search can look for them quickly; the look-behinds after them
# say what "(?<![\w+])\+" and "\b0" say.
_PHONE = re.compile(r"\+(?<![\w+]\+)\d[\d\s().-]{7,}\d|0(?<!\w0)\d{1,2}[-.\s]\d{3,4}[-.\s]\d{4}\b")
# A messenger and ":" or "=" (any case), read backwards: so the pattern starts with the sign,
# which search finds quickly; what follows the sign decides whether it is an id (_ID_VALUE).
_MESSENGER_BACKWARDS = re.compile(
    r"[:=]\s*+(?P<id>di\b)?\s*+(?P<app>tahcew|(?:klat)?oakak|margelet|ppastahw|enil)\b", re.I)
# An id has the form of one: "LINE ID: abc123", "line: @handle", "WeChat: wxid_abc1". Plain
# words after "Line:" ("Northern Limit Line: the sea border…") are prose, not an id.
_ID_VALUE = re.compile(r"\s*+(@?[\w.-]++)")


def check(inspection: Inspection) -> None:
    precise = _too_precise(inspection)
    for ref in inspection.features:
        if ref.index in inspection.broken or not isinstance(ref.value, dict):
            continue
        layer = ref.properties.get("layer")
        if isinstance(layer, str) and layer not in contract.LAYERS:
            inspection.report(CHECK, f'has the layer "{layer}"; only {", ".join(contract.LAYERS)} '
                              "are allowed", "this map shows regional routes and borders only; "
                              "do not add other kinds of places", ref, ("properties", "layer"))
        if ref.index in precise:
            _precision(inspection, ref)
        _properties(inspection, ref)
    for narrative in inspection.narratives.values():
        for stage in narrative.stages:
            if stage.place and stage.place.decimals > contract.MAX_DECIMALS:
                inspection.report(CHECK, f'stage "{stage.title}" places the map with '
                                  f"{stage.place.decimals} decimals", FORMAT_HINT,
                                  path=str(narrative.path), line=stage.line_of("place"))
        _personal_text(inspection, narrative.path, _narrative_lines(narrative))


def _too_precise(inspection: Inspection) -> set[int]:
    """The features with a coordinate of more than 2 decimals, found for all shapes at once."""
    shapes = inspection.shapes()
    indices = list(shapes)
    xy, owner = shapely.get_coordinates(list(shapes.values()), return_index=True)
    scaled = xy * 10**contract.MAX_DECIMALS
    rough = np.any(np.abs(scaled - np.round(scaled)) > 1e-6, axis=1)
    return {indices[i] for i in np.unique(owner[rough])}


def _precision(inspection: Inspection, ref: Feature) -> None:
    """Report the first position of the feature with more than 2 decimals."""
    geometry = ref.value["geometry"]
    for pointer, part in positions.geometries(geometry, ("geometry",)):
        for where, position in positions.walk(part["coordinates"], positions.DEPTH[part["type"]],
                                              (*pointer, "coordinates")):
            if any(round(number, contract.MAX_DECIMALS) != number for number in position[:2]):
                inspection.report(CHECK, f"position {positions.fmt(position)} is more precise "
                                  "than 2 decimals", FORMAT_HINT, ref, where)
                return


def _properties(inspection: Inspection, ref: Feature) -> None:
    for key in ref.properties:
        if key.lower() in SAFETY_KEYS:
            inspection.report(CHECK, f'has the property "{key}"; the map never records contacts, '
                              "brokers, shelters or people", "delete it", ref, ("properties", key))
    for key in ("name", "title"):
        value = ref.properties.get(key)
        match = _MARKING.search(value) if isinstance(value, str) else None
        if match:
            inspection.report(CHECK, f'its {key} marks "{match[0]}"; the map must not mark '
                              "shelters, churches, brokers, guides or contacts",
                              "name the area or the route, not who or what helps there",
                              ref, ("properties", key))
    if not _personal(_joined(ref.properties)):
        return
    for pointer, text in _strings(ref.properties, ("properties",)):
        for what in _personal(text):
                inspection.report(CHECK, f"a text holds {what}",
                                  "delete it: the map never publishes ways to reach anyone",
                                  ref, pointer)


def _personal(text: str) -> list[str]:
    """What personal details a text holds."""
    found = []
    if "@" in text and _EMAIL.search(text):
        found.append("an e-mail address")
    if _PHONE.search(text):
        found.append("a phone number")
    if _messenger_id(text):
        found.append("a messenger id")
    return found


def _messenger_id(text: str) -> bool:
    """Whether the text holds a messenger id (the patterns above): a messenger named with "ID",
    or a value that starts with @ or holds a digit or an underscore; "LINE" only with "ID" or
    @, since a line (the Northern Limit Line, a line of text) is so often followed by a colon."""
    backwards = text[::-1]
    for sign in _MESSENGER_BACKWARDS.finditer(backwards):
        value = _ID_VALUE.match(text, len(text) - sign.start())
        if value is None:
            continue
        token = value[1]
        handle = token.startswith("@")
        marked = any(character.isdigit() or character == "_" for character in token)
        if sign["id"] or handle or (marked and sign["app"].lower() != "enil"):
            return True
    return False


def _joined(value) -> str:
    """Every text in a JSON value, one after another with blank lines between (which these
    patterns read as the ends of texts): one search tells whether any text needs a look."""
    texts, stack = [], [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return "\n\n".join(texts)


def _strings(value, pointer):
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*pointer, index))


def _narrative_lines(narrative):
    yield 1, narrative.intro
    for stage in narrative.stages:
        yield stage.line, stage.title
        for key in ("duration", "dangers", "cost"):
            yield stage.line_of(key), getattr(stage, key) or ""
        yield stage.line, stage.body


def _personal_text(inspection: Inspection, path, texts) -> None:
    texts = list(texts)
    if not _personal("\n\n".join(text for _, text in texts)):
        return
    for line, text in texts:
        for what in _personal(text):
                inspection.report(CHECK, f"the narrative holds {what}",
                                  "delete it: the map never publishes ways to reach anyone",
                                  path=str(path), line=line)
