from datetime import timedelta
from decimal import Decimal

import pytest

from caravan.customs.landed import ParcelLine, landed_cost
from caravan.customs.services import load_customs_rules
from caravan.fx.services import record_rate
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money

from .helpers import FIRST_DAY_NEW_RULES, line, quote, rules_and_rates


def test_a_missing_rate_is_an_error_never_one(db):
    load_customs_rules()

    with pytest.raises(NotFound) as error:
        quote(line("300", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == "rate_missing"
    assert "CBR" in error.value.message and "EUR" in error.value.message


def test_a_rate_from_another_source_does_not_count(db):
    load_customs_rules()
    record_rate(
        base="EUR",
        quote="RUB",
        rate=Decimal("100"),
        source="ecb-cross",
        rate_date=FIRST_DAY_NEW_RULES,
    )

    with pytest.raises(NotFound) as error:
        quote(line("300", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == "rate_missing"


def test_a_rate_published_after_the_parcel_date_does_not_count(db):
    load_customs_rules()
    record_rate(
        base="EUR", quote="RUB", rate=Decimal("100"), source="cbr",
        rate_date=FIRST_DAY_NEW_RULES + timedelta(days=1),
    )  # fmt: skip

    with pytest.raises(NotFound) as error:
        quote(line("300", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == "rate_missing"


def test_a_stale_rate_is_refused_and_a_weekend_old_one_is_not(db):
    load_customs_rules()
    record_rate(
        base="EUR", quote="RUB", rate=Decimal("100"), source="cbr-snapshot",
        rate_date=FIRST_DAY_NEW_RULES - timedelta(days=2),
    )  # fmt: skip

    fresh = quote(line("30000", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)
    with pytest.raises(NotFound) as error:
        quote(line("30000", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES + timedelta(days=3))

    assert fresh.customs_rate is not None and fresh.customs_rate.source == "cbr-snapshot"
    assert error.value.code == "rate_stale"


def test_a_destination_without_rules_is_refused(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    with pytest.raises(NotFound) as error:
        quote(line("10", "EUR"), destination="TR", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == "no_import_rule"


@pytest.mark.parametrize(
    ("hs_code", "code"),
    [("", "invalid_hs_code"), ("6109", "invalid_hs_code"), ("990000", "invalid_hs_code")],
)
def test_a_cross_border_line_needs_a_valid_hs_code(db, hs_code, code):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    with pytest.raises(ValidationFailed) as error:
        quote(line("10", "EUR", hs_code=hs_code), destination="DE", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == code


def test_lines_and_delivery_share_one_currency(db):
    with pytest.raises(ValidationFailed) as error:
        landed_cost(
            lines=[line("10", "EUR"), line("10", "CNY")],
            delivery=Money("1", "EUR"),
            ships_from="CN",
            destination="DE",
            on=FIRST_DAY_NEW_RULES,
        )

    assert error.value.code == "currency_mismatch"


@pytest.mark.parametrize(("quantity", "grams"), [(0, 100), (1, 0), (-1, 100)])
def test_a_line_needs_a_positive_quantity_and_weight(db, quantity, grams):
    bad = ParcelLine("610910", "CN", Money("10", "EUR"), quantity, grams)

    with pytest.raises(ValidationFailed) as error:
        landed_cost(
            lines=[bad], delivery=Money("0", "EUR"), ships_from="CN", destination="DE",
            on=FIRST_DAY_NEW_RULES,
        )  # fmt: skip

    assert error.value.code == "parcel_line_invalid"


def test_an_empty_parcel_is_refused(db):
    with pytest.raises(ValidationFailed) as error:
        landed_cost(
            lines=[], delivery=Money("0", "EUR"), ships_from="CN", destination="DE",
            on=FIRST_DAY_NEW_RULES,
        )  # fmt: skip

    assert error.value.code == "parcel_empty"
