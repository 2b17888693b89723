from datetime import date

import pytest
from django.utils import translation

from caravan.storefront.templatetags.storefront import date_range


@pytest.mark.parametrize(
    ("language", "earliest", "latest", "expected"),
    [
        ("en", date(2026, 12, 18), date(2026, 12, 26), "18–26 December"),
        ("ru", date(2026, 12, 18), date(2026, 12, 26), "18–26 декабря"),
        ("de", date(2026, 12, 18), date(2026, 12, 26), "18.–26. Dezember"),
        ("de", date(2026, 12, 24), date(2027, 1, 6), "24. Dezember – 6. Januar"),
        ("de", date(2026, 12, 24), date(2026, 12, 24), "24. Dezember"),
        ("zh-hans", date(2026, 12, 18), date(2026, 12, 26), "12月18日 – 12月26日"),
    ],
)
def test_delivery_dates_read_as_each_language_writes_a_range(
    language: str, earliest: date, latest: date, expected: str
) -> None:
    # given a delivery promise, when it is written in the language
    with translation.override(language):
        text = date_range(earliest, latest)
    # then the first day is written the way the language writes days
    assert text == expected
