"""Seller writes: creating a shop directly (demo, tests), applying, review, staff, profile."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import MINOR_UNITS

from ..models import Membership, Seller


@transaction.atomic
def create_seller(
    *,
    owner: User,
    name: str,
    country: str,
    currency: str,
    legal_name: str = "",
    description_ru: str = "",
    description_en: str = "",
    slug: str | None = None,
) -> Seller:
    """An active seller at once, without an application: the demo data and tests use it."""
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("Unknown country: %(country)s") % {"country": country}, code="invalid_country"
        )
    if currency not in MINOR_UNITS:
        raise ValidationFailed(
            _("Unknown currency: %(currency)s") % {"currency": currency}, code="invalid_currency"
        )
    seller = Seller.objects.create(
        name=name,
        slug=slug or slugify(name),
        country=country,
        currency=currency,
        legal_name=legal_name or name,
        description_ru=description_ru,
        description_en=description_en,
        status=Seller.Status.ACTIVE,
    )
    Membership.objects.create(seller=seller, user=owner, role=Membership.Role.OWNER)
    return seller
