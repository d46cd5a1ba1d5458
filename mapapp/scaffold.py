"""`mapapp new`: a new route or crossing, in canonical form, ready to fill in.

The feature goes after the last feature of its layer (the site lists routes in the file's
order), written into the text as it is: every other byte of the file stays as it was. Wherever
the maintainer must write something, a "TODO: …" placeholder says what; the validator reports
each one until it is filled in (mapapp.validation.placeholders), so a scaffold never ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapapp import contract
from mapapp.formatting import canonical, canonical_json, write_atomically
from mapapp.loading import DataError, Dataset, TextFile, load_dataset

PLACEHOLDER_SOURCE = {"title": "TODO: the original publication's title",
                      "publisher": "TODO: its publisher", "year": None,
                      "url": "https://TODO.example/the-original-publication"}

FEATURES = {
    "route": lambda feature_id: {
        "type": "Feature", "id": feature_id,
        "properties": {
            "layer": "route", "title": "TODO: the route's title, as the list of routes shows it",
            "summary": "TODO: one or two sentences: where it goes, when, for whom",
            "countries": ["PRK", "CHN"], "crossings": [],
            "period": {"from": None, "to": None}, "sources": [PLACEHOLDER_SOURCE]},
        "geometry": None},
    "crossing": lambda feature_id: {
        "type": "Feature", "id": feature_id,
        "properties": {
            "layer": "crossing", "name": "TODO: the two towns, as in Musan–Nanping",
            "river": "TODO: the border river, or land or sea", "countries": ["PRK", "CHN"],
            "sources": [PLACEHOLDER_SOURCE]},
        "geometry": None},
}

NARRATIVE = """\
---
content_note: TODO: what in this story may upset a reader (arrest, violence…)
questions:
  - TODO: a question for the class?
---

TODO: the introduction: who took this route, when, and why.

## TODO: the first stage's title
place: TODO: crossing <id>, country <ISO3> or Town @ <latitude>, <longitude>
duration: TODO: how long the stage takes
dangers: TODO: what can go wrong

TODO: what happens at this stage, in your own words.

sources:
- [TODO: title](https://TODO.example/original), TODO: publisher, YYYY
"""


class ScaffoldError(Exception):
    """The feature cannot be added: an id that is taken or not an id (exit code 1)."""


@dataclass(frozen=True)
class Written:
    """What `mapapp new` wrote: the data file, and the narrative for a route; and what a new
    route still needs in files it leaves alone, once its story is written."""

    data: Path
    narrative: Path | None
    line: int  # where the new feature starts in the data file
    elsewhere: tuple[tuple[Path, int, str], ...] = ()  # (file, line, what to do there)


def new_feature(layer: str, feature_id: str, data_path: Path) -> Written:
    """Add a `layer` feature (and a route's narrative); DataError when the data cannot be read,
    ScaffoldError when the id cannot be used. Nothing is written unless everything can be."""
    if not contract.ID_PATTERN.match(feature_id):
        raise ScaffoldError(f'"{feature_id}" is not an id: use lowercase letters, digits and '
                            "single hyphens, as in northern-route")
    dataset = load_dataset(data_path)
    document = dataset.geojson
    features = document.data.get("features") if isinstance(document.data, dict) else None
    if not isinstance(features, list):
        raise DataError(data_path, "has no features list to add to; run `mapapp validate`")
    for index, feature in enumerate(features):
        if isinstance(feature, dict) and feature.get("id") == feature_id:
            raise ScaffoldError(f'the id "{feature_id}" is already used by the feature on line '
                                f"{document.line(('features', index))}")
    narrative = dataset.narratives_dir / f"{feature_id}.md" if layer == "route" else None
    if narrative is not None and narrative.exists():
        raise ScaffoldError(f"{narrative} already exists: rename or delete it first")
    text, offset = _inserted(document.text, features, document, FEATURES[layer](feature_id))
    if document.has_bom:
        text = "\ufeff" + text[1:]
    if narrative is not None:
        narrative.parent.mkdir(parents=True, exist_ok=True)
        with narrative.open("x", encoding="utf-8") as handle:  # never over another file
            handle.write(NARRATIVE)
    try:
        write_atomically(Path(data_path), text)
    except BaseException:
        if narrative is not None:
            narrative.unlink(missing_ok=True)
        raise
    return Written(Path(data_path), narrative, text.count("\n", 0, offset) + 1,
                   _elsewhere(dataset, feature_id) if layer == "route" else ())


def _elsewhere(dataset: Dataset, route_id: str) -> tuple[tuple[Path, int, str], ...]:
    """The teachers' guide gives each question of a story its aims, and each catalogue
    translates its texts (docs/maintainers.md, adding a route): neither is written for the
    maintainer, since both need the story's final questions and English first."""
    todo = []
    if isinstance(dataset.teach, TextFile):
        lines = dataset.teach.text.splitlines()
        line = next((number for number, text in enumerate(lines, start=1)
                     if text.startswith("question_aims:")), 1)
        todo.append((dataset.teach.path, line, f'add `  {route_id}: [aim, …]` under '
                     "question_aims, one aim of `aims` per question of its story"))
    for source in dataset.translations.values():
        if isinstance(source, TextFile):
            todo.append((source.path, 1, "run `mapapp translations update` once the story's "
                         "English is final; a translator then fills in its entries "
                         "(docs/translating.md)"))
    return tuple(todo)


def _inserted(text: str, features: list, document, feature: dict) -> tuple[str, int]:
    """The text with `feature` after the last feature of its layer (or of the layers before
    it, in the order of docs/data-format.md), and where the feature now starts."""
    body = canonical_json(canonical(feature), indent=2)
    if not features:
        start, end = document.span(("features",))
        return text[:start] + "[\n    " + body + "\n  ]" + text[end:], start + 6
    order = list(contract.LAYERS)
    rank = order.index(feature["properties"]["layer"])

    def rank_of(item) -> int:
        layer = item.get("properties", {}).get("layer") if isinstance(item, dict) else None
        return order.index(layer) if layer in order else len(order)

    before = [index for index, item in enumerate(features) if rank_of(item) <= rank]
    if not before:
        start, _ = document.span(("features", 0))
        return text[:start] + body + ",\n    " + text[start:], start
    _, end = document.span(("features", before[-1]))
    return text[:end] + ",\n    " + body + text[end:], end + 6
