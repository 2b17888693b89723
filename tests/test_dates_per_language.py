"""Each interface language writes a date its own way: the pages name Django's formats
(caravan/config/formats overrides Django's where Caravan's pages differ), and a day and time
without the year is composed by caravan.kernel.dates."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from caravan.kernel.dates import day_and_time

MOMENT = dt.datetime(2026, 12, 5, 14, 30, tzinfo=dt.UTC)
SHOWN = {
    "ru": ("5 декабря 2026", "5 декабря 2026, 14:30", "5 декабря", "5 декабря, 14:30"),
    "en": ("5 December 2026", "5 December 2026, 14:30", "5 December", "5 December, 14:30"),
    "de": ("5. Dezember 2026", "5. Dezember 2026, 14:30", "5. Dezember", "5. Dezember, 14:30"),
    "zh-hans": ("2026年12月5日", "2026年12月5日 14:30", "12月5日", "12月5日 14:30"),
}


@pytest.mark.parametrize("language", SHOWN)
def test_a_moment_reads_as_the_language_writes_it(language):
    with translation.override(language):
        shown = (
            date_format(MOMENT, "DATE_FORMAT"),
            date_format(MOMENT, "DATETIME_FORMAT"),
            date_format(MOMENT, "MONTH_DAY_FORMAT"),
            day_and_time(MOMENT),
        )

    assert shown == SHOWN[language]


def test_a_month_before_october_is_not_padded_in_chinese():
    with translation.override("zh-hans"):
        shown = date_format(dt.date(2026, 9, 5), "MONTH_DAY_FORMAT")

    assert shown == "9月5日"


@pytest.mark.parametrize(
    ("language", "shown"), [("de", "5. Dezember, 17:30"), ("zh-hans", "12月5日 17:30")]
)
def test_the_template_filter_shows_the_day_and_time_in_the_sites_time_zone(language, shown):
    template = Template("{% load seller_portal %}{{ moment|day_and_time }}")

    with translation.override(language), timezone.override("Europe/Moscow"):
        rendered = template.render(Context({"moment": MOMENT}))

    assert rendered == shown
