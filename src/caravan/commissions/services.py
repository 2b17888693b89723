"""Managing commission rules from the back office. Resolution lives in `book`."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from caravan.catalog.models import Category
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import MINOR_UNITS, Money
from caravan.sellers.models import Seller

from .models import CommissionRule

NOTE_MAX_LENGTH = 255
# minimum_fee_amount is DECIMAL(12, 2): ten digits before the point.
MAX_MINIMUM_FEE = Decimal("9999999999.99")


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _validated(*, percent: Decimal, minimum_fee: Money, note: str) -> dict[str, object]:
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise ValidationFailed(_("The percentage must be a number"), code="percent_invalid")
    if not Decimal(0) <= percent <= Decimal(100):
        raise ValidationFailed(
            _("The percentage must be between 0 and 100"), code="percent_out_of_range"
        )
    if _decimal_places(percent) > 2:
        raise ValidationFailed(
            _("The percentage has at most two decimal places"), code="percent_precision"
        )
    if minimum_fee.currency not in MINOR_UNITS:
        raise ValidationFailed(_("Unknown currency"), code="currency_unknown")
    if minimum_fee.amount < 0:
        raise ValidationFailed(_("The minimum fee cannot be negative"), code="minimum_negative")
    if minimum_fee.amount > MAX_MINIMUM_FEE:
        raise ValidationFailed(_("The minimum fee is too large"), code="minimum_too_large")
    if _decimal_places(minimum_fee.amount) > MINOR_UNITS[minimum_fee.currency]:
        raise ValidationFailed(
            _("Too many decimal places in the minimum fee"), code="minimum_precision"
        )
    text = note.strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationFailed(_("The note is at most 255 characters"), code="note_too_long")
    return {
        "percent": percent,
        "minimum_fee_amount": minimum_fee.amount,
        "minimum_fee_currency": minimum_fee.currency,
        "note": text,
    }


def _refuse_duplicate(*, category_id: int | None, seller_id: int | None, exclude: int) -> None:
    # NULL scope spelled as isnull: the typed lookups take no None.
    scope = Q(category__isnull=True) if category_id is None else Q(category_id=category_id)
    scope &= Q(seller__isnull=True) if seller_id is None else Q(seller_id=seller_id)
    duplicate = CommissionRule.objects.filter(scope, is_active=True).exclude(id=exclude)
    if duplicate.exists():
        raise ValidationFailed(
            _("An active rule for this category and seller already exists; edit that one"),
            code="rule_duplicate",
        )


def _get_rule(*, rule_id: int) -> CommissionRule:
    rule = CommissionRule.objects.select_for_update().filter(id=rule_id).first()
    if rule is None:
        raise NotFound(_("Commission rule not found"), code="rule_not_found")
    return rule


def _save_unique(rule: CommissionRule) -> None:
    """Save under the one-active-rule index: a concurrent twin is reported like a duplicate."""
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as error:
        raise ValidationFailed(
            _("An active rule for this category and seller already exists; edit that one"),
            code="rule_duplicate",
        ) from error


@transaction.atomic
def create_rule(
    *,
    category: Category | None,
    seller: Seller | None,
    percent: Decimal,
    minimum_fee: Money,
    note: str = "",
) -> CommissionRule:
    """A new active rule; an empty category means every category, an empty seller every one."""
    fields = _validated(percent=percent, minimum_fee=minimum_fee, note=note)
    _refuse_duplicate(
        category_id=category.id if category else None,
        seller_id=seller.id if seller else None,
        exclude=0,
    )
    rule = CommissionRule(category=category, seller=seller, **fields)
    _save_unique(rule)
    return rule


@transaction.atomic
def update_rule(
    *, rule_id: int, percent: Decimal, minimum_fee: Money, note: str = ""
) -> CommissionRule:
    """New rate and minimum for a rule. Placed orders keep what they froze."""
    rule = _get_rule(rule_id=rule_id)
    fields = _validated(percent=percent, minimum_fee=minimum_fee, note=note)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@transaction.atomic
def deactivate_rule(*, rule_id: int) -> CommissionRule:
    """Stop applying a rule. The marketplace default cannot go: every line needs a rule."""
    rule = _get_rule(rule_id=rule_id)
    if rule.category_id is None and rule.seller_id is None:
        raise ValidationFailed(
            _("The marketplace default rule cannot be deactivated; change its rate instead"),
            code="default_rule_required",
        )
    if rule.is_active:
        rule.is_active = False
        rule.save(update_fields=["is_active", "updated_at"])
    return rule


@transaction.atomic
def activate_rule(*, rule_id: int) -> CommissionRule:
    """Apply a deactivated rule again, unless another active rule took its place."""
    rule = _get_rule(rule_id=rule_id)
    if not rule.is_active:
        _refuse_duplicate(category_id=rule.category_id, seller_id=rule.seller_id, exclude=rule.id)
        rule.is_active = True
        _save_unique(rule)
    return rule
