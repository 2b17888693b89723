"""Account writes: registration, addresses and the buyer's preferred currency."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import ValidationFailed

from . import address_rules
from .addresses import address_key
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


REGISTRATION_SALT = "caravan.accounts.registration"
REGISTRATION_LINK_DAYS = 3


@dataclass(frozen=True)
class RegistrationLinks:
    """Where the messages point: the view knows the site's address and its URLs."""

    confirm: Callable[[str], str]  # token -> the link that creates the account
    sign_in: str
    password_reset: str


def start_registration(
    *, email: str, password: str, full_name: str = "", next_path: str = "", links: RegistrationLinks
) -> None:
    """Answer a registration the same way whether or not the email has an account: the
    address gets a message (a link that creates the account, or "you already have one"),
    so the page never tells a stranger who is a customer. Nothing is written until the
    link is followed. The password is checked and hashed in both cases, so both answers
    also take as long."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationFailed(str(error.messages[0]), code="invalid_email") from error
    try:
        validate_password(password, User(email=email, full_name=full_name))
    except ValidationError as error:
        raise ValidationFailed(_(" ").join(error.messages), code="weak_password") from error
    password_hash = make_password(password)
    if User.objects.filter(email=email).exists():
        subject = _("You already have a Caravan account")
        body = _(
            "Someone, probably you, tried to create a Caravan account with this address, "
            "which already has one.\n\nSign in: %(sign_in)s\nForgot the password? Set a new "
            "one: %(reset)s\n\nIf it was not you, ignore this message: nothing has changed."
        ) % {"sign_in": links.sign_in, "reset": links.password_reset}
    else:
        token = signing.dumps(
            {"email": email, "full_name": full_name, "password": password_hash, "next": next_path},
            salt=REGISTRATION_SALT,
            compress=True,
        )
        subject = _("Confirm your Caravan account")
        body = _(
            "Follow this link within %(days)d days to create your Caravan account and sign "
            "in:\n%(link)s\n\nIf you did not ask for an account, ignore this message: "
            "nothing is created without the link."
        ) % {"days": REGISTRATION_LINK_DAYS, "link": links.confirm(token)}
    send_mail(subject, body, None, [email])


@dataclass(frozen=True)
class Registration:
    user: User
    next_path: str


@transaction.atomic
def complete_registration(*, token: str) -> Registration:
    """Create the account a confirmation link describes (once: a second use is refused)."""
    try:
        data = signing.loads(
            token, salt=REGISTRATION_SALT, max_age=REGISTRATION_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature as error:
        raise ValidationFailed(
            _("This link is not valid or has expired. Register again to get a new one."),
            code="registration_link_invalid",
        ) from error
    taken = ValidationFailed(
        _("This account is already created. Sign in with your email and password."),
        code="registration_done",
    )
    if User.objects.filter(email=data["email"]).exists():
        raise taken
    user = User(email=data["email"], full_name=data.get("full_name", ""))
    user.password = data["password"]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # The same link followed twice at once: the second insert meets the first.
        raise taken from error
    return Registration(user=user, next_path=str(data.get("next") or ""))


class AddressRejected(ValidationFailed):
    """An address refused field by field: `errors` maps our field names (full_name, phone,
    country, region, city, city_area, postal_code, street) to messages in the active language."""

    code = "address_invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


def check_address(
    *,
    full_name: str,
    phone: str,
    country: str,
    city: str,
    postal_code: str,
    street: str,
    region: str = "",
    city_area: str = "",
) -> dict[str, str]:
    """The address as it is saved: checked against its country's rules (required fields,
    postal code pattern, regions; accounts.address_rules), postal code and region normalised,
    the phone in E.164 read as a number of that country. Raises AddressRejected with every
    field that is wrong, or ValidationFailed for a country the marketplace does not serve."""
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("Unknown country: %(country)s") % {"country": country}, code="invalid_country"
        )
    errors: dict[str, str] = {}
    name = " ".join(full_name.split())
    if not name:
        errors["full_name"] = address_rules.required_message()
    try:
        values = address_rules.normalise_address(
            country=country,
            values={
                "region": region,
                "city": city,
                "city_area": city_area,
                "postal_code": postal_code,
                "street": street,
            },
        )
    except address_rules.AddressInvalid as refusal:
        errors.update({field: str(message) for field, message in refusal.errors.items()})
        values = {}
    e164 = ""
    if not phone.strip():
        errors["phone"] = address_rules.required_message()
    else:
        try:
            e164 = address_rules.normalise_phone(raw=phone, country=country)
        except address_rules.AddressInvalid as refusal:
            errors.update({field: str(message) for field, message in refusal.errors.items()})
    if errors:
        raise AddressRejected(errors)
    return {"full_name": name, "phone": e164, "country": country, **values}


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
    region: str = "",
    city_area: str = "",
) -> Address:
    """The user's address with these fields, checked and normalised (check_address) and
    saved once: the same address typed again (other case, spacing, punctuation, postal code
    or phone format; accounts.addresses) is the row already saved, so a checkout submitted
    ten times saves one."""
    values = check_address(
        full_name=full_name,
        phone=phone,
        country=country,
        city=city,
        postal_code=postal_code,
        street=street,
        region=region,
        city_area=city_area,
    )
    key = address_key(**values)
    existing = Address.objects.filter(user=user, key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Address.objects.create(user=user, key=key, **values)
    except IntegrityError:
        # A second submit of the same address raced this one and won: one row for both.
        return Address.objects.get(user=user, key=key)


def set_preferred_country(*, user: User, country: str) -> User:
    """Remember the country the buyer has delivery quoted to before choosing an address."""
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("We do not deliver to %(country)s yet") % {"country": country[:8]},
            code="country_unsupported",
        )
    if user.preferred_country != country:
        user.preferred_country = country
        user.save(update_fields=["preferred_country"])
    return user


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


def set_preferred_language(*, user: User, language: str) -> User:
    """Remember the interface language (one of settings.LANGUAGES)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("Caravan does not speak %(language)s") % {"language": language[:16]},
            code="language_unsupported",
        )
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
