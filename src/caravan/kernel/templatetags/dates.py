"""Date filters shared by every interface app's templates."""

from django import template

from caravan.kernel.dates import day_and_time

register = template.Library()

# A day and time without the year, as the active language writes it ("5 December, 14:30");
# the moment is shown in the current time zone, as Django's own |date does.
register.filter("day_and_time", day_and_time, expects_localtime=True)
