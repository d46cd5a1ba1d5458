#!/usr/bin/env python3
"""Write the JSON Schemas that editors use to complete and check the data as you type.

docs/routes.schema.json describes data/routes.geojson and docs/narrative-header.schema.json the
YAML header of a narrative, both made from mapapp/contract.py (the layers, their required and
optional properties, and the properties' types), so they cannot drift from what `mapapp
validate` enforces. docs/maintainers.md ("Your editor") says how editors use them (VS Code
checks routes.geojson as you type; no editor of ours checks a Markdown file's header).

    scripts/build_schema.py            # rewrite both files
    scripts/build_schema.py --check    # exit 1 if either file differs from the contract
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mapapp import contract
from mapapp.formatting import write_atomically
from mapapp.narrative import HEADER_KEYS

DOCS = Path(__file__).resolve().parent.parent / "docs"
DRAFT = "http://json-schema.org/draft-07/schema#"
GEOMETRY = {"type": "object", "required": ["type", "coordinates"],
            "properties": {"type": {"type": "string"}, "coordinates": {"type": "array"}}}


def _layer(name: str, layer: contract.Layer) -> dict:
    """`if` the feature's layer is this one, `then` its properties and geometry must be so."""
    properties = {"layer": {"const": name}}
    properties.update({key: contract.PROPERTY_SCHEMAS[key] for key in layer.properties[1:]})
    if layer.geometry:
        geometry = {**GEOMETRY, "properties": {**GEOMETRY["properties"],
                                               "type": {"enum": list(layer.geometry)}}}
        if layer.may_be_null:
            geometry = {"anyOf": [geometry, {"type": "null"}]}
    else:
        geometry = {"type": "null"}
    return {
        "if": {"properties": {"properties": {"properties": {"layer": {"const": name}}}}},
        "then": {"properties": {
            "properties": {"type": "object", "required": ["layer", *layer.required],
                           "properties": properties, "additionalProperties": False},
            "geometry": geometry,
        }},
    }


def routes_schema() -> dict:
    return {
        "$schema": DRAFT,
        "$id": "https://github.com/escape-route-map/mapapp/docs/routes.schema.json",
        "title": "data/routes.geojson of the escape-route map",
        "description": "Made from mapapp/contract.py by scripts/build_schema.py; "
                       "see docs/data-format.md. `mapapp validate` checks the rest.",
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": {
                "type": "object",
                "required": list(contract.FEATURE_KEYS),
                "additionalProperties": False,
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string", "pattern": contract.ID_PATTERN.pattern},
                    "properties": {"type": "object", "required": ["layer", "sources"],
                                   "properties": {"layer": {"enum": list(contract.LAYERS)}}},
                    "geometry": {"anyOf": [GEOMETRY, {"type": "null"}]},
                },
                "allOf": [_layer(name, layer) for name, layer in contract.LAYERS.items()],
            }},
        },
    }


def narrative_header_schema() -> dict:
    keys = {"content_note": {"type": "string", "minLength": 1,
                             "description": "shown before the story when it describes violence"},
            "questions": {"type": "array", "items": {"type": "string", "minLength": 1},
                          "description": "discussion questions for classes"},
            "teacher_note": {"type": "string", "minLength": 1,
                             "description": "guidance for teachers on sensitive questions; shown "
                                            "only in the teacher section and the teacher's "
                                            "print version, never in the story"}}
    return {
        "$schema": DRAFT,
        "$id": "https://github.com/escape-route-map/mapapp/docs/narrative-header.schema.json",
        "title": "The YAML header of data/narratives/<route-id>.md",
        "type": "object",
        "properties": {key: keys[key] for key in HEADER_KEYS},
        "additionalProperties": False,
    }


def outputs() -> dict[Path, str]:
    return {DOCS / "routes.schema.json": routes_schema(),
            DOCS / "narrative-header.schema.json": narrative_header_schema()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a schema file differs from the contract")
    args = parser.parse_args()
    stale = []
    for path, schema in outputs().items():
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            write_atomically(path, text)
            print(f"wrote {path.relative_to(DOCS.parent)}")
    if args.check and stale:
        for path in stale:
            print(f"{path.relative_to(DOCS.parent)} differs from mapapp/contract.py: "
                  "run scripts/build_schema.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
