"""Delivery dates: handling on the warehouse's working days, then calendar days in transit.

Pure functions of dates and time zones, so the product page, the buy box, the cart and the
order reach the same dates for the same method (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# A parcel counts as handed to the carrier at midday of its dispatch day, warehouse time:
# its delivery dates then read the same in any buyer time zone less than 12 hours away.
HANDOVER_TIME = time(12, 0)
# A calendar that never opens would loop forever; a year of closed days is a broken profile.
MAX_CLOSED_RUN = 366


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class WorkingCalendar:
    timezone: str
    weekdays_off: frozenset[int]
    holidays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekdays_off and day not in self.holidays


def zone_info(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CalendarError(f"unknown time zone {name!r}") from error


def make_calendar(
    *, timezone: str, weekdays_off: Collection[int], holidays: Collection[date]
) -> WorkingCalendar:
    zone_info(timezone)
    if any(not 0 <= day <= 6 for day in weekdays_off) or len(set(weekdays_off)) > 6:
        raise CalendarError("weekdays off are 0 (Monday) to 6 (Sunday), at least one open")
    return WorkingCalendar(timezone, frozenset(weekdays_off), frozenset(holidays))


def _next_working_day(calendar: WorkingCalendar, day: date) -> date:
    for _ in range(MAX_CLOSED_RUN):
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    raise CalendarError("the warehouse has no working day within a year")


def dispatch_date(*, calendar: WorkingCalendar, placed_at: datetime, handling_days: int) -> date:
    """The day the parcel leaves. The warehouse receives the order on its local date, or on
    its next working day when closed; the parcel leaves `handling_days` working days later."""
    if placed_at.tzinfo is None:
        raise CalendarError("placed_at must be an aware datetime")
    day = _next_working_day(calendar, placed_at.astimezone(zone_info(calendar.timezone)).date())
    for _ in range(handling_days):
        day = _next_working_day(calendar, day + timedelta(days=1))
    return day


def arrival_date(
    *, dispatched_on: date, warehouse_timezone: str, transit_days: int, buyer_timezone: str
) -> date:
    """The buyer's local date `transit_days` calendar days after the handover."""
    handover = datetime.combine(dispatched_on, HANDOVER_TIME, tzinfo=zone_info(warehouse_timezone))
    arrival = handover + timedelta(days=transit_days)
    return arrival.astimezone(zone_info(buyer_timezone)).date()
