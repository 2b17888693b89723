from decimal import Decimal

import pytest

from caravan.commissions.book import FrozenCommission, load_commission_book
from caravan.commissions.models import CommissionRule
from caravan.commissions.selectors import list_rules
from caravan.commissions.services import (
    activate_rule,
    create_rule,
    deactivate_rule,
    update_rule,
)
from caravan.fx.services import record_rate
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money

from .factories import make_category, make_seller


def default_rule():
    return CommissionRule.objects.get(category=None, seller=None, is_active=True)


def named_category(name, *, parent=None):
    return make_category(name=name, parent=parent)


def commission(*, seller, category, total):
    book = load_commission_book(seller_ids=[seller.id], category_ids=[category.id])
    return book.commission_for(seller_id=seller.id, category_id=category.id, line_total=total)


def test_the_migration_leaves_a_default_rule(db):
    rule = default_rule()

    assert (rule.percent, rule.minimum_fee) == (Decimal("5.00"), Money("10.00", "RUB"))


@pytest.fixture
def tree(db):
    """Electronics > Audio > Headphones, a seller with overrides and one without."""
    electronics = named_category("Electronics")
    audio = named_category("Audio", parent=electronics)
    headphones = named_category("Headphones", parent=audio)
    books = named_category("Books")
    plain = make_seller(currency="RUB")
    special = make_seller(currency="RUB")
    rub = Money("0", "RUB")
    category_rule = create_rule(
        category=electronics, seller=None, percent=Decimal("8"), minimum_fee=rub
    )
    audio_rule = create_rule(category=audio, seller=None, percent=Decimal("7.5"), minimum_fee=rub)
    catch_all = create_rule(category=None, seller=special, percent=Decimal("4"), minimum_fee=rub)
    seller_electronics = create_rule(
        category=electronics, seller=special, percent=Decimal("3"), minimum_fee=rub
    )
    return {
        "electronics": electronics,
        "audio": audio,
        "headphones": headphones,
        "books": books,
        "plain": plain,
        "special": special,
        "category_rule": category_rule,
        "audio_rule": audio_rule,
        "catch_all": catch_all,
        "seller_electronics": seller_electronics,
    }


@pytest.mark.parametrize(
    ("seller", "category", "rule", "label", "amount"),
    [
        ("plain", "books", "default", "Marketplace default 5.00 %", "50.00"),
        ("plain", "electronics", "category_rule", "Electronics 8.00 %", "80.00"),
        ("plain", "audio", "audio_rule", "Audio 7.50 %", "75.00"),
        ("plain", "headphones", "audio_rule", "Audio 7.50 %", "75.00"),
        ("special", "books", "catch_all", "All categories 4.00 % (seller override)", "40.00"),
        (
            "special",
            "headphones",
            "seller_electronics",
            "Electronics 3.00 % (seller override)",
            "30.00",
        ),
    ],
)
def test_the_nearest_most_specific_rule_wins(tree, seller, category, rule, label, amount):
    expected_rule = default_rule() if rule == "default" else tree[rule]

    result = commission(seller=tree[seller], category=tree[category], total=Money("1000.00", "RUB"))

    assert result == FrozenCommission(
        rule_id=expected_rule.id,
        rule_label=label,
        percent=expected_rule.percent,
        amount=Money("50.00" if rule == "default" else amount, "RUB"),
    )


def test_lines_of_several_sellers_and_categories_resolve_from_two_queries(
    tree, django_assert_num_queries
):
    with django_assert_num_queries(2):
        book = load_commission_book(
            seller_ids=[tree["plain"].id, tree["special"].id],
            category_ids=[tree["headphones"].id, tree["books"].id],
        )
    with django_assert_num_queries(0):
        amounts = [
            book.commission_for(
                seller_id=seller.id, category_id=category.id, line_total=Money("200", "RUB")
            ).amount
            for seller in (tree["plain"], tree["special"])
            for category in (tree["headphones"], tree["books"])
        ]

    assert amounts == [
        Money("15.00", "RUB"),
        Money("10.00", "RUB"),
        Money("6.00", "RUB"),
        Money("8.00", "RUB"),
    ]


def test_the_minimum_fee_applies_to_a_small_line(db):
    seller = make_seller(currency="RUB")
    category = make_category()

    result = commission(seller=seller, category=category, total=Money("120.00", "RUB"))

    assert result.amount == Money("10.00", "RUB")


def test_the_commission_never_exceeds_the_line(db):
    seller = make_seller(currency="RUB")
    category = make_category()

    result = commission(seller=seller, category=category, total=Money("7.00", "RUB"))

    assert result.amount == Money("7.00", "RUB")


def test_rounding_is_half_up_in_the_minor_unit(db):
    seller = make_seller(currency="RUB")
    category = make_category()
    create_rule(
        category=None, seller=seller, percent=Decimal("3.33"), minimum_fee=Money("0", "RUB")
    )

    result = commission(seller=seller, category=category, total=Money("1234.50", "RUB"))

    # 1234.50 * 3.33 % = 41.10885
    assert result.amount == Money("41.11", "RUB")


def test_a_yen_commission_has_no_minor_unit(db):
    seller = make_seller(currency="JPY")
    category = make_category()
    create_rule(category=None, seller=seller, percent=Decimal("2.5"), minimum_fee=Money("0", "JPY"))

    result = commission(seller=seller, category=category, total=Money("1230", "JPY"))

    # 1230 * 2.5 % = 30.75
    assert result.amount == Money("31", "JPY")


def test_a_minimum_fee_in_another_currency_is_converted_at_the_reference_rate(
    db, django_assert_num_queries
):
    record_rate(base="RUB", quote="CNY", rate=Decimal("0.0812"), source="test")
    seller = make_seller(currency="CNY", country="CN")
    category = make_category()
    book = load_commission_book(seller_ids=[seller.id], category_ids=[category.id])

    with django_assert_num_queries(1):
        first = book.commission_for(
            seller_id=seller.id, category_id=category.id, line_total=Money("10.00", "CNY")
        )
        second = book.commission_for(
            seller_id=seller.id, category_id=category.id, line_total=Money("12.00", "CNY")
        )

    # 10 RUB * 0.0812 = 0.812 CNY, rounded to 0.81; 5 % of the lines is 0.50 and 0.60.
    assert (first.amount, second.amount) == (Money("0.81", "CNY"), Money("0.81", "CNY"))


def test_a_missing_rate_for_the_minimum_fee_is_an_error(db):
    seller = make_seller(currency="CNY", country="CN")
    category = make_category()

    with pytest.raises(NotFound) as caught:
        commission(seller=seller, category=category, total=Money("10.00", "CNY"))

    assert caught.value.code == "rate_missing"


def test_rates_the_caller_holds_are_used_without_a_query(db, django_assert_num_queries):
    seller = make_seller(currency="CNY", country="CN")
    category = make_category()
    rate = record_rate(base="RUB", quote="CNY", rate=Decimal("0.08"), source="test")
    book = load_commission_book(seller_ids=[seller.id], category_ids=[category.id])

    with django_assert_num_queries(0):
        result = book.commission_for(
            seller_id=seller.id,
            category_id=category.id,
            line_total=Money("10.00", "CNY"),
            min_fee_rates={"RUB": rate},
        )

    assert result.amount == Money("0.80", "CNY")


def test_a_seller_not_loaded_into_the_book_is_a_programming_error(db):
    seller = make_seller()
    category = make_category()
    book = load_commission_book(seller_ids=[], category_ids=[category.id])

    with pytest.raises(ValueError):
        book.commission_for(
            seller_id=seller.id, category_id=category.id, line_total=Money("1", "RUB")
        )


@pytest.mark.parametrize(
    ("percent", "minimum", "code"),
    [
        (Decimal("-1"), Money("0", "RUB"), "percent_out_of_range"),
        (Decimal("100.01"), Money("0", "RUB"), "percent_out_of_range"),
        (Decimal("1.005"), Money("0", "RUB"), "percent_precision"),
        (Decimal("NaN"), Money("0", "RUB"), "percent_invalid"),
        (Decimal("5"), Money("-1", "RUB"), "minimum_negative"),
        (Decimal("5"), Money("1.5", "JPY"), "minimum_precision"),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_is_stored(db, percent, minimum, code):
    category = make_category()

    with pytest.raises(ValidationFailed) as caught:
        create_rule(category=category, seller=None, percent=percent, minimum_fee=minimum)

    assert caught.value.code == code
    assert CommissionRule.objects.count() == 1


def test_a_second_active_rule_for_the_same_scope_is_refused(db):
    category = make_category()
    seller = make_seller()
    first = create_rule(
        category=category, seller=seller, percent=Decimal("3"), minimum_fee=Money("0", "RUB")
    )

    with pytest.raises(ValidationFailed) as caught:
        create_rule(
            category=category, seller=seller, percent=Decimal("4"), minimum_fee=Money("0", "RUB")
        )

    assert caught.value.code == "rule_duplicate"
    assert list(CommissionRule.objects.filter(seller=seller)) == [first]


def test_a_second_default_rule_is_refused(db):
    with pytest.raises(ValidationFailed) as caught:
        create_rule(category=None, seller=None, percent=Decimal("4"), minimum_fee=Money("0", "RUB"))

    assert caught.value.code == "rule_duplicate"
    assert CommissionRule.objects.count() == 1


def test_the_database_refuses_a_duplicate_default_rule_too(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionRule.objects.create(
            percent=Decimal("4"), minimum_fee_amount=0, minimum_fee_currency="RUB"
        )

    assert CommissionRule.objects.count() == 1


def test_updating_a_rule_changes_its_rate(db):
    rule = default_rule()

    update_rule(rule_id=rule.id, percent=Decimal("6.5"), minimum_fee=Money("15", "RUB"))

    rule.refresh_from_db()
    assert (rule.percent, rule.minimum_fee) == (Decimal("6.50"), Money("15.00", "RUB"))


def test_a_bad_update_changes_nothing(db):
    rule = default_rule()

    with pytest.raises(ValidationFailed):
        update_rule(rule_id=rule.id, percent=Decimal("101"), minimum_fee=Money("15", "RUB"))

    rule.refresh_from_db()
    assert (rule.percent, rule.minimum_fee) == (Decimal("5.00"), Money("10.00", "RUB"))


def test_a_deactivated_rule_stops_applying_and_frees_its_scope(db):
    seller = make_seller()
    category = make_category()
    rule = create_rule(
        category=None, seller=seller, percent=Decimal("1"), minimum_fee=Money("0", "RUB")
    )

    deactivate_rule(rule_id=rule.id)
    replacement = create_rule(
        category=None, seller=seller, percent=Decimal("2"), minimum_fee=Money("0", "RUB")
    )

    result = commission(seller=seller, category=category, total=Money("1000", "RUB"))
    assert result.rule_id == replacement.id
    assert list(list_rules(seller=seller)) == [replacement]
    assert list(list_rules(seller=seller, include_inactive=True)) == [replacement, rule]
    with pytest.raises(ValidationFailed) as caught:
        activate_rule(rule_id=rule.id)
    assert caught.value.code == "rule_duplicate"


def test_the_default_rule_cannot_be_deactivated(db):
    rule = default_rule()

    with pytest.raises(ValidationFailed) as caught:
        deactivate_rule(rule_id=rule.id)

    assert caught.value.code == "default_rule_required"
    assert default_rule() == rule


def test_without_a_default_row_the_settings_default_applies(db, settings):
    # given a database emptied of its default rule (a reset, a flushed test database)
    CommissionRule.objects.filter(category__isnull=True, seller__isnull=True).delete()
    settings.COMMISSION_DEFAULT = {
        "percent": "4.00",
        "minimum_fee": "0",
        "minimum_fee_currency": "RUB",
    }
    seller = make_seller(name="No Rules", currency="RUB")
    category = make_category()

    # when a line is charged
    book = load_commission_book(seller_ids=[seller.id], category_ids=[category.id])
    charge = book.commission_for(
        seller_id=seller.id, category_id=category.id, line_total=Money("1000", "RUB")
    )

    # then the settings' 4 % is taken, never nothing
    assert (charge.percent, charge.amount) == (Decimal("4.00"), Money("40.00", "RUB"))
