"""Dates written the way each interface language writes them.

Pages name Django's date formats (DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT), which
caravan/config/formats sets per language where Django's own differ from Caravan's pages; a
day and time without the year has no Django format name, so it is composed here.
"""

from datetime import datetime

from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext


def day_and_time(moment: datetime) -> str:
    """The day, month and time of a moment in the active language: "5 December, 14:30"."""
    # The joint is translated: Chinese writes "12月5日 14:30", with no comma. The clock is
    # 24-hour in every language, English included, as on the rest of Caravan's pages.
    return pgettext("a day and a time of day", "%(day)s, %(time)s") % {
        "day": date_format(moment, "MONTH_DAY_FORMAT"),
        "time": time_format(moment, "H:i"),
    }
