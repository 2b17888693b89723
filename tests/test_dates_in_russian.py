"""Dates in Russian name the month in the genitive ("5 декабря"), never "5 Декабрь" or "5 Дек".

Every date format written in a template (`|date:"..."`) or in Python (`date_format(x, "...")`)
is collected from the sources and rendered in Russian, so a new page cannot bring the
nominative back unnoticed."""

import datetime as dt
import re
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format

import caravan

SOURCES = Path(caravan.__file__).resolve().parent
TEMPLATE_FORMAT = re.compile(r"""\|date:["']([^"']+)["']""")
PYTHON_FORMAT = re.compile(r"""date_format\([^,]+,\s*["']([^"']+)["']""")
MOMENT = dt.datetime(2026, 12, 5, 14, 30, tzinfo=dt.UTC)


def date_formats_in_sources() -> set[str]:
    found: set[str] = set()
    for path in SOURCES.rglob("*.html"):
        found.update(TEMPLATE_FORMAT.findall(path.read_text(encoding="utf-8")))
    for path in SOURCES.rglob("*.txt"):
        found.update(TEMPLATE_FORMAT.findall(path.read_text(encoding="utf-8")))
    for path in SOURCES.rglob("*.py"):
        if "tests" not in path.parts:
            found.update(PYTHON_FORMAT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_date_format_in_the_sources_names_december_in_the_genitive():
    formats = date_formats_in_sources()

    with translation.override("ru"):
        shown = {written: date_format(MOMENT, written) for written in formats}

    naming_the_month = {written: text for written, text in shown.items() if "дек" in text.lower()}
    assert {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT"} <= set(naming_the_month)
    assert {w: t for w, t in naming_the_month.items() if "декабря" not in t} == {}


def test_the_month_and_day_format_is_genitive_in_russian_and_day_first_in_english():
    with translation.override("ru"):
        russian = date_format(MOMENT, "MONTH_DAY_FORMAT")
    with translation.override("en"):
        english = date_format(MOMENT, "MONTH_DAY_FORMAT")

    assert (russian, english) == ("5 декабря", "5 December")


def test_a_russian_datetime_reads_day_genitive_month_year_and_time():
    with translation.override("ru"):
        shown = date_format(MOMENT, "DATETIME_FORMAT")

    assert shown == "5 декабря 2026, 14:30"
