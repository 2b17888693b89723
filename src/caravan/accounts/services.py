"""Account writes: registration, addresses and the buyer's preferred currency."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import ValidationFailed

from .models import Address, User


@transaction.atomic
def register_user(*, email: str, password: str, full_name: str = "") -> User:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationFailed(str(error.messages[0]), code="invalid_email") from error
    if User.objects.filter(email=email).exists():
        raise ValidationFailed(_("An account with this email already exists"), code="email_taken")
    try:
        validate_password(password, User(email=email, full_name=full_name))
    except ValidationError as error:
        raise ValidationFailed(_(" ").join(error.messages), code="weak_password") from error
    return User.objects.create_user(email=email, password=password, full_name=full_name)


@transaction.atomic
def add_address(
    *,
    user: User,
    full_name: str,
    phone: str,
    country: str,
    city: str,
    postal_code: str,
    street: str,
) -> Address:
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("Unknown country: %(country)s") % {"country": country}, code="invalid_country"
        )
    values = {
        "full_name": full_name.strip(),
        "phone": phone.strip(),
        "city": city.strip(),
        "postal_code": postal_code.strip(),
        "street": street.strip(),
    }
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ValidationFailed(
            _("Required: %(fields)s") % {"fields": ", ".join(missing)}, code="address_incomplete"
        )
    return Address.objects.create(user=user, country=country, **values)


def set_preferred_currency(*, user: User, currency: str) -> User:
    """Remember the currency the buyer browses and pays in (one of BUYER_CURRENCIES)."""
    if currency not in settings.BUYER_CURRENCIES:
        raise ValidationFailed(
            _("Prices cannot be shown in %(currency)s") % {"currency": currency[:8]},
            code="currency_unsupported",
        )
    if user.preferred_currency != currency:
        user.preferred_currency = currency
        user.save(update_fields=["preferred_currency"])
    return user
