"""How the map looks and what its symbols are called, in one place.

The web map (mapbuilder), the printed map (printmap) and the templates (legend, the map's
contents as a list) all read their colours, dashes, fills and wording from here, so a symbol
looks and reads the same on the screen, the projector and paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext
from markupsafe import Markup, escape

from mapapp.model import Atlas, DmzFeature

# Okabe–Ito without its yellow, which vanishes on the pale land, and Paul Tol's wine to make
# eight; each route also gets its own dash pattern, so colour is never the only cue.
ROUTE_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#000000", "#56B4E9",
                 "#882255")
ROUTE_DASHES = ("", "12 6", "2 7", "14 5 3 5", "7 7", "20 6", "3 4 3 10", "1 5 9 5")
LAND_WEIGHT, AIR_WEIGHT, AIR_DASH = 4, 2.5, "1 6"

SEA = "#c8dce8"  # the map has no sea layer: the container's background (--sea in site.css)
ROLE_FILLS = {None: "#f4f2ec", "origin": "#ecc9bb", "transit": "#f2e3b8",
              "refuge": "#dbe8cd", "destination": "#c6dfb9"}
TRAVEL_MODES = {"land": lazy_gettext("over land"), "sea": lazy_gettext("by sea"),
                "air": lazy_gettext("by air")}
ROLE_LABELS = {"origin": lazy_gettext("country of origin"),
               "transit": lazy_gettext("transit country"),
               "refuge": lazy_gettext("country of refuge"),
               "destination": lazy_gettext("destination")}
BORDER = "#a9a195"
INK = "#3a3530"
DMZ_STYLES = {
    "zone": {"color": INK, "weight": 0.5, "fillColor": "#6b5f52", "fillOpacity": 0.45},
    "mdl": {"color": INK, "weight": 1.5},
    "nll": {"color": "#1f4e79", "weight": 2, "dashArray": "6 6"},  # dashed: schematic
}
RIVER = "#3b78b0"  # rivers: water, darker than the sea they run into
RIVER_STYLE = {"color": RIVER, "weight": 1.6, "opacity": 1}
WATER_INK = "#1b5583"  # rivers' names: 5:1 or more against every fill and the sea
PAPER = "#ffffff"  # a town's dot ring, a stage marker's face, the halo of names
# Fences, walls and guard posts along a border: a dark studded line, unlike any route's.
BARRIER_STYLE = {"color": "#6b1d1d", "weight": 4, "dashArray": "2 3", "lineCap": "butt"}
CROSSING_RADIUS_M = 10_000  # an area, never a spot (docs/data-format.md: safety rules)
CROSSING_STYLE = {"color": INK, "weight": 1.5, "dashArray": "3 4", "fillColor": "#ffffff",
                  "fillOpacity": 0.55}


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend, drawn as a small SVG swatch by the legend template."""

    label: str
    shape: str  # "line", "area", "circle", or the map's marks: "town", "capital", "stage"
    stroke: str
    fill: str = "none"
    dash: str = ""
    width: float = 2


def route_style(index: int) -> LineStyle:
    """The colour and dash of the route at this place in the data."""
    return LineStyle(ROUTE_COLOURS[index % len(ROUTE_COLOURS)],
                     ROUTE_DASHES[index % len(ROUTE_DASHES)])


def route_styles(atlas: Atlas) -> dict[str, LineStyle]:
    return {route.id: route_style(index) for index, route in enumerate(atlas.routes)}


# The wording is interface text, in the language of the page being made (Flask-Babel's
# gettext; English outside a request).
def role_label(role: str | None) -> str:
    """A country's role in words ("transit country"); "" for a country the data does not
    describe."""
    return str(ROLE_LABELS.get(role, ""))


def country_label(name: str, role: str | None) -> str:
    return gettext("%(name)s: %(role)s", name=name, role=ROLE_LABELS[role]) if role else name


def travel_mode(mode: str) -> str:
    """How a route travels, in words: "over land", "by sea", "by air"."""
    return str(TRAVEL_MODES[mode])


def crossing_way(river: str) -> str:
    """How a crossing is made, in words: "across the Tumen", "over land", "by sea"."""
    if river in ("land", "sea"):
        return travel_mode(river)
    return gettext("across the %(river)s") % {"river": river}


def crossing_way_html(river: str) -> Markup:
    """crossing_way for a page: a river's name still in English (mapapp.translation.English)
    is marked with its language, as templates' own gettext does; the catalogue is trusted."""
    if river in ("land", "sea"):
        return escape(travel_mode(river))
    return Markup(gettext("across the %(river)s")) % {"river": river}


def crossing_label(name: str, river: str) -> str:
    return gettext("%(name)s: crossing area, %(way)s", name=name, way=crossing_way(river))


def barrier_label(name: str, period: tuple[int, int | None]) -> str:
    start, end = period
    if end:
        return gettext("%(name)s (%(start)s–%(end)s)", name=name, start=start, end=end)
    return gettext("%(name)s (since %(start)s)", name=name, start=start)


def stage_label(number: int, title: str, place: str) -> str:
    """What a stage's numbered marker is called, for screen readers and on hover."""
    return gettext("Stage %(number)d: %(title)s (%(place)s)", number=number, title=title,
                   place=place)


def dmz_notes(feature: DmzFeature) -> str:
    """What a reader must know about how a line is drawn: "schematic, disputed", or ""."""
    return ", ".join(word for word, flag in ((gettext("schematic"), feature.schematic),
                                             (gettext("disputed"), feature.disputed)) if flag)


def dmz_label(feature: DmzFeature) -> str:
    notes = dmz_notes(feature)
    return f"{feature.name} ({notes})" if notes else feature.name


def dmz_label_html(feature: DmzFeature) -> Markup:
    """dmz_label for the legend: a name still in English is marked with its language."""
    notes = dmz_notes(feature)
    return Markup("{} ({})").format(feature.name, notes) if notes else escape(feature.name)


def legend(atlas: Atlas) -> tuple[LegendEntry, ...]:
    """Every symbol the map draws for this data, in the order the legend lists them."""
    roles = [role for role in ROLE_LABELS if any(c.role == role for c in atlas.countries)]
    entries = [LegendEntry(ROLE_LABELS[role].capitalize(), "area", BORDER, ROLE_FILLS[role])
               for role in roles]
    if atlas.routes:
        entries.append(LegendEntry(gettext("Flight"), "line", INK, dash=AIR_DASH,
                                   width=AIR_WEIGHT))
        entries.append(LegendEntry(gettext("Stage of the chosen route, numbered as in its story"),
                                   "stage", INK, PAPER))
    if atlas.rivers:
        entries.append(LegendEntry(gettext("River"), "line", RIVER, width=RIVER_STYLE["weight"]))
    if atlas.towns:
        entries.append(LegendEntry(gettext("Town"), "town", PAPER, INK))
    if any(town.capital for town in atlas.towns):
        entries.append(LegendEntry(gettext("Capital"), "capital", INK, PAPER))
    if atlas.crossings:
        diameter = 2 * CROSSING_RADIUS_M // 1000
        entries.append(LegendEntry(gettext("Crossing area (about %(km)d km across)", km=diameter),
                                   "circle",
                                   CROSSING_STYLE["color"], CROSSING_STYLE["fillColor"],
                                   CROSSING_STYLE["dashArray"], CROSSING_STYLE["weight"]))
    if atlas.barriers:
        entries.append(LegendEntry(gettext("Border fence, wall or guard posts"), "line",
                                   BARRIER_STYLE["color"], dash=BARRIER_STYLE["dashArray"],
                                   width=BARRIER_STYLE["weight"]))
    for feature in atlas.dmz:
        style = DMZ_STYLES[feature.kind]
        entries.append(LegendEntry(dmz_label_html(feature),
                                   "area" if feature.kind == "zone" else "line",
                                   style["color"], style.get("fillColor", "none"),
                                   style.get("dashArray", ""), style["weight"]))
    return tuple(entries)


TEMPLATE_GLOBALS = {"role_label": role_label, "travel_mode": travel_mode,
                    "crossing_way_html": crossing_way_html,
                    "dmz_notes": dmz_notes, "map_legend": legend}
