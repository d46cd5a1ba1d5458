"""Time: the events agree with the routes and with the calendar.

The schema check has already made sure every year is a real one, from 1945 to this year (the
map's span), and every period runs forwards. What is left needs two features, or today's date:
an event's `routes` name routes that were in use in the event's year (by the one rule of
contract.in_period, which the model and the pages use too), and no event lies in the future.
Where a barrier lies is the spatial check's.
"""

from __future__ import annotations

from datetime import date

from mapapp.contract import in_period, is_year
from mapapp.parsing import Feature
from mapapp.validation.core import Inspection
from mapapp.wording import indefinite

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def check(inspection: Inspection) -> None:
    by_id = inspection.by_id()
    today = date.today()
    for ref in inspection.features_in("event"):
        year = ref.properties.get("year")
        if not is_year(year):
            continue  # the schema check says what is wrong with it
        _not_in_future(inspection, ref, year, today)
        routes = ref.properties.get("routes")
        for index, route_id in enumerate(routes if isinstance(routes, list) else []):
            if isinstance(route_id, str):
                _route_in_use(inspection, ref, year, index, by_id.get(route_id), route_id)


def _not_in_future(inspection: Inspection, ref: Feature, year: int,
                   today: date) -> None:
    month = ref.properties.get("month")
    if year == today.year and isinstance(month, int) and today.month < month <= 12:
        inspection.report("schema", f"the event is dated {MONTHS[month - 1]} {year}, which has "
                          "not come yet", "date events when they happened; add the event once it "
                          "has", ref, ("properties", "month"))


def _route_in_use(inspection: Inspection, ref: Feature, year: int, index: int,
                  route: Feature | None, route_id: str) -> None:
    member = ("properties", "routes", index)
    if route is None or route.layer != "route":
        what = "no feature" if route is None else f"{indefinite(route.layer)}, not a route"
        inspection.report("reference", f'lists route "{route_id}", but that id names {what}',
                          "correct the id, or leave it out of the event's routes", ref, member)
        return
    period = _period(route.properties.get("period"))
    if period is None or in_period(period, year):
        return  # a broken period is the schema check's
    start, end = period
    span = f"from {start}" if end is None else f"{start}–{end}"
    inspection.report("reference", f'happened in {year}, but route "{route_id}" was in use only '
                      f"{span}", "correct the event's year or the route's period, or leave the "
                      "route out of the event's routes", ref, member)


def _period(value) -> tuple[int, int | None] | None:
    """A route's period as (from, to), or None when the schema check reports it."""
    if not isinstance(value, dict) or set(value) != {"from", "to"}:
        return None
    start, end = value["from"], value["to"]
    if not is_year(start) or not (end is None or (is_year(end) and end >= start)):
        return None
    return start, end

