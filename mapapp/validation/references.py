"""The `reference` check: ids, codes, narratives and glossary links that must resolve."""

from __future__ import annotations

import difflib

from mapapp.basemap import BasemapError, country_shapes
from mapapp.loading import DataError
from mapapp.parsing import Feature
from mapapp.validation.core import Inspection
from mapapp.wording import indefinite

CHECK = "reference"


def check(inspection: Inspection) -> None:
    by_id = inspection.by_id()
    countries: dict[str, Feature] = {}
    for ref in inspection.features_in("country"):
        code = ref.properties.get("iso3")
        if not isinstance(code, str):
            continue  # the schema check reports it
        if code in countries:
            first = inspection.document.line(countries[code].pointer)
            inspection.report(CHECK, f"{code} already has a country feature on line {first}",
                              "merge the two into one", ref, ("properties", "iso3"))
        else:
            countries[code] = ref
    known_codes = basemap_codes(inspection)
    if known_codes is not None:
        for code, ref in countries.items():
            if code not in known_codes:
                inspection.report(CHECK, f"{code} is not a country of the base map",
                                  "check the code, or rebuild the base map with that country "
                                  "(scripts/build_basemap.py)", ref, ("properties", "iso3"))
    for ref in inspection.features_in("route", "crossing"):
        _codes_have_countries(inspection, ref, countries)
    crossing_ids = [key for key, ref in by_id.items() if ref.layer == "crossing"]
    for ref in inspection.features_in("route"):
        crossings = ref.properties.get("crossings")
        for index, crossing in enumerate(crossings if isinstance(crossings, list) else []):
            if not isinstance(crossing, str):
                continue  # the schema check reports it
            target = by_id.get(crossing)
            if target is None or target.layer != "crossing":
                what = ("no feature" if target is None
                        else f'{indefinite(target.layer)}, not a crossing')
                close = closest(crossing, crossing_ids)
                inspection.report(CHECK, f'uses crossing "{crossing}", but that id names {what}',
                                  f'did you mean "{close}"? Else add the crossing feature'
                                  if close else "add the crossing feature, or correct the id",
                                  ref, ("properties", "crossings", index))
    _narratives(inspection, by_id, countries, crossing_ids)
    _glossary_links(inspection)


def closest(name: str, known) -> str | None:
    """The known id or code a mistyped one most probably meant ("did you mean …?"), if any."""
    return next(iter(difflib.get_close_matches(name, known, n=1, cutoff=0.6)), None)


def _codes_have_countries(inspection: Inspection, ref: Feature, countries) -> None:
    codes = ref.properties.get("countries")
    for index, code in enumerate(codes if isinstance(codes, list) else []):
        if isinstance(code, str) and len(code) == 3 and code not in countries:
            close = closest(code, countries)
            hint = f"did you mean {close}? Else add" if close else "add"
            inspection.report(CHECK, f"lists {code}, which has no country feature",
                              f'{hint} a feature with "layer": "country", "iso3": "{code}" and '
                              "its role, policy and sources (docs/maintainers.md, adding a "
                              "country)", ref, ("properties", "countries", index))


def _narratives(inspection: Inspection, by_id, countries, crossing_ids: list[str]) -> None:
    dataset = inspection.dataset
    # Broken routes still own their narratives: their fault is reported once, elsewhere.
    routes = {ref.id: ref for ref in inspection.features if ref.layer == "route" and ref.id}
    for route_id, ref in routes.items():
        if route_id not in dataset.narratives and ref.index not in inspection.broken:
            inspection.report(CHECK, "has no narrative",
                              f"write its story in {dataset.narratives_dir / route_id}.md "
                              "(see docs/data-format.md)", ref)
    for route_id, source in dataset.narratives.items():
        if route_id not in routes:
            inspection.report(CHECK, f'is a narrative for "{route_id}", but no route has that id',
                              "rename the file after its route's id, or delete it",
                              path=str(getattr(source, "path", dataset.narratives_dir)), line=1)
    for narrative in inspection.narratives.values():
        for stage in narrative.stages:
            place = stage.place
            if place is None or place.kind == "point":
                continue
            target = by_id.get(place.ref) if place.kind == "crossing" else countries.get(place.ref)
            if target is None or (place.kind == "crossing" and target.layer != "crossing"):
                close = closest(place.ref, crossing_ids if place.kind == "crossing"
                                else countries)
                hint = f"use the id of a {place.kind} feature of routes.geojson"
                if close:
                    hint = (f'did you mean "{close}"? Else {hint}' if place.kind == "crossing"
                            else f"did you mean {close}? Else {hint}")
                inspection.report(CHECK, f'stage "{stage.title}" goes to {place.kind} '
                                  f'"{place.ref}", which the data does not have', hint,
                                  path=str(narrative.path), line=stage.line_of("place"))


def _glossary_links(inspection: Inspection) -> None:
    """Every `[term](glossary:id)` of a narrative, the context chapter or the glossary itself
    names an entry of the glossary."""
    parsed, dataset = inspection.parsed, inspection.dataset
    if isinstance(dataset.glossary, DataError):
        return  # unreadable: reported by the documents check, and nothing to resolve against
    ids = [term.id for term in parsed.glossary.terms] if parsed.glossary else []
    glossary_path = dataset.glossary_path
    documents = [*inspection.narratives.values(), parsed.context, parsed.glossary]
    for document in filter(None, documents):
        for link in document.glossary_links:
            if link.id in ids:
                continue
            if parsed.glossary is None:
                message = f"the link to glossary:{link.id} has no glossary to go to"
                hint = (f"write {glossary_path} with a `## {link.id or 'id'}` entry "
                        "(see docs/data-format.md, glossary)")
            else:
                message = f"the link to glossary:{link.id} names no entry of the glossary"
                close = closest(link.id, ids)
                hint = (f"did you mean glossary:{close}?" if close else
                        f"add a `## {link.id or 'id'}` entry with a `term:` line to "
                        f"{glossary_path}, or link one of its entries")
            inspection.report(CHECK, message, hint, path=str(document.path), line=link.line)


def basemap_codes(inspection: Inspection) -> set[str] | None:
    try:
        return set(country_shapes(inspection.dataset.basemap_path).codes)
    except BasemapError:
        return None
