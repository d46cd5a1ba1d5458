"""The map in time, for every page that shows it: which years there are, what the year control
needs, and the events as the timeline groups them.

A year's map (`/years/<year>`, and a route page's `?year=`) shows the routes in use that year
and the barriers standing, by the one rule of mapapp.contract.in_period (through the Atlas). The
year control is a plain GET form (it works without JavaScript: `/years?year=` redirects to the
year's page); static/js/years.js makes it instant and reads from the page, as JSON, what each
year shows and what to say about it, so the rule and the wording live here, on the server, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from flask_babel import gettext, ngettext
from werkzeug.exceptions import NotFound

from mapapp.language import format_month
from mapapp.model import Atlas, Event
from mapapp.web.security import echo
from mapapp.web.site import State
from mapapp.web.urls import site_url

_YEAR = re.compile(r"[1-9][0-9]{3}")  # the canonical way to write a year: 2005, not 02005


def year_or_404(state: State, text: str) -> int:
    """The year an address names, if the map covers it; else the 404 page."""
    years = state.atlas.years
    if _YEAR.fullmatch(text or "") and int(text) in years:
        return int(text)
    raise NotFound(gettext("There is no map for “%(text)s”: the map covers the years "
                           "%(first)s–%(last)s.", text=echo(text), first=years.start,
                           last=years.stop - 1))


def each_year(state: State) -> Iterator[dict]:
    """The export's addresses for a page per year."""
    return ({"year": year} for year in state.atlas.years)


def status(atlas: Atlas, year: int | None) -> str:
    """What the live region says the list shows: "5 routes in use in 2005." (and how many others
    were not), or all of them."""
    if year is None:
        return ngettext("%(num)d route, in all years.", "All %(num)d routes, in all years.",
                        len(atlas.routes))
    in_use = len(atlas.routes_in_use(year))
    text = ngettext("%(num)d route in use in %(year)d.", "%(num)d routes in use in %(year)d.",
                    in_use, year=year)
    others = len(atlas.routes) - in_use
    if others:
        text += " " + ngettext("%(num)d other was not.", "%(num)d others were not.", others)
    return text


def control(atlas: Atlas, year: int | None, site_name: str) -> dict:
    """What the year control and static/js/years.js need: the span, the year shown (None: all
    years), and for each year (and "all") the routes in use and the barriers standing, what the
    live region says, what a route's page says of a route not in use then, the title of the map
    page then and the map page's address (a route's page then is its link's address with ?year=,
    which the script adds to the route chosen now)."""
    def view(shown: int | None) -> dict:
        return {"routes": [r.id for r in (atlas.routes_in_use(shown) if shown else atlas.routes)],
                "barriers": [b.id for b in (atlas.barriers_standing(shown) if shown
                                            else atlas.barriers)],
                "status": status(atlas, shown),
                "not_in_use": (gettext("This route was not in use in %(year)d.", year=shown)
                               if shown else None),
                "title": (f"{gettext('The map in %(year)d', year=shown)} · {site_name}" if shown
                          else site_name),
                "map": site_url("pages.year", year=shown) if shown else site_url("pages.index")}

    return {"year": year, "first": atlas.years.start, "last": atlas.years.stop - 1,
            "marks": atlas.event_years, "all_label": gettext("All years"), "all": view(None),
            "years": {str(shown): view(shown) for shown in atlas.years}}


@dataclass(frozen=True)
class YearOfEvents:
    """One year of the timeline: its events, and how many people reached South Korea."""

    year: int
    events: tuple[Event, ...]
    arrivals: int | None


@dataclass(frozen=True)
class Decade:
    start: int
    years: tuple[YearOfEvents, ...]


def decades(atlas: Atlas) -> tuple[Decade, ...]:
    """Every event in date order, grouped by decade and year, each year with its arrivals."""
    arrivals = {figure.period: figure.value for figure in atlas.series("arrivals")}
    years = [YearOfEvents(year, tuple(events), arrivals.get(year))
             for year, events in groupby(atlas.events, key=lambda event: event.year)]
    return tuple(Decade(start, tuple(group))
                 for start, group in groupby(years, key=lambda item: item.year - item.year % 10))


def chart_marks(atlas: Atlas) -> tuple[Event, ...]:
    """The events the arrivals chart marks: those with a label for it, within its years."""
    arrivals = {figure.period for figure in atlas.series("arrivals")}
    return tuple(event for event in atlas.events
                 if event.chart_label and arrivals and min(arrivals) <= event.year <= max(arrivals))


def when(event: Event) -> str:
    """An event's date as readers write it: "March 2002", or the year alone (in the page's
    language: "2002년 3월")."""
    return format_month(event.year, event.month)


def iso_date(event: Event) -> str:
    """The same date for <time datetime>: "2002-03", or "2002"."""
    return f"{event.year}-{event.month:02d}" if event.month else str(event.year)
