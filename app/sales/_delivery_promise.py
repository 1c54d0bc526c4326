"""When an order arrives: the carrier's transit days counted in working days from the day the goods leave.

Pure: the checkout read and place_order call it with the ship day from the delivery plan (app.sales._delivery)
and the chosen service's transit days. Carriers quote transit in working days (Monday to Friday); goods ready on
a Saturday or Sunday leave on Monday. Public holidays are not known yet: a promise may be a day early around
them.
"""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY = 5


def next_working_day(day: date) -> date:
    """The day itself on Monday to Friday, else the Monday after."""
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


def delivered_on(ships_on: date | None, transit_days: int | None) -> date | None:
    """The day a parcel leaving on `ships_on` arrives after `transit_days` working days; None when either is
    unknown (a line on request, or no carrier)."""
    if ships_on is None or transit_days is None or transit_days < 0:
        return None
    day = next_working_day(ships_on)
    left = transit_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            left -= 1
    return day


def promised_date(arrives_on: date | None, requested: date | None) -> date | None:
    """What the order promises: the day it arrives, or the buyer's requested day when that is later (the
    reservations wait for it); None when the arrival cannot be promised yet."""
    if arrives_on is None:
        return None
    return max(arrives_on, requested) if requested is not None else arrives_on
