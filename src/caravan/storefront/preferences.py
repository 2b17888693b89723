"""The buyer's language, kept with their country and currency (docs/decisions/
0016-languages.md, "Language, country and currency"): Django's cookie for a visitor, on the
account for a signed-in buyer, restored at sign-in. The currency and the country live in
.currency and .session; this module adds the language, and the currency a country proposes
the first time a buyer chooses one (never over a currency they picked themselves)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from caravan.accounts.models import User
from caravan.accounts.services import set_preferred_language

# Set when the buyer picks a language in this session: at sign-in it is their latest choice
# and goes to the account; otherwise the account's language comes back.
LANGUAGE_CHOSEN_SESSION_KEY = "buyer_language_chosen"
# The language sign-in restored, for the response to set as the cookie (with_buyer_language).
_RESTORED_LANGUAGE_ATTRIBUTE = "_caravan_restored_language"

# The currency a country's buyers most likely pay in, proposed when they first choose it.
COUNTRY_CURRENCY = {
    "RU": "RUB",
    "KZ": "KZT",
    "BY": "BYN",
    "CN": "CNY",
    "DE": "EUR",
    "IT": "EUR",
    "FR": "EUR",
    "US": "USD",
}


def proposed_currency(country: str, *, has_country: bool, has_currency: bool) -> str | None:
    """The currency to switch to when the buyer picks `country`: only their first country,
    only with no currency chosen yet, only one the marketplace shows prices in."""
    if has_country or has_currency:
        return None
    currency = COUNTRY_CURRENCY.get(country)
    return currency if currency in settings.BUYER_CURRENCIES else None


def _is_shipped(language: object) -> bool:
    return isinstance(language, str) and language in dict(settings.LANGUAGES)


def remember_language(request: HttpRequest, *, user: User | None, language: str) -> None:
    """The buyer picked a language in the header (Django's set_language wrote the cookie):
    on the account when signed in, and noted in the session for the next sign-in."""
    if not _is_shipped(language):
        return
    request.session[LANGUAGE_CHOSEN_SESSION_KEY] = language
    if user is not None:
        set_preferred_language(user=user, language=language)


def carry_language_into_account(request: HttpRequest, user: User, *, chosen: object) -> None:
    """At sign-in: a language chosen in this session (`chosen`, read before login) is the
    buyer's latest choice and goes to the account; else the account's comes back, as the
    cookie on the sign-in response (with_buyer_language) and for the rest of this request."""
    if _is_shipped(chosen):
        assert isinstance(chosen, str)  # narrowed by _is_shipped
        request.session[LANGUAGE_CHOSEN_SESSION_KEY] = chosen
        set_preferred_language(user=user, language=chosen)
    elif _is_shipped(user.preferred_language):
        setattr(request, _RESTORED_LANGUAGE_ATTRIBUTE, user.preferred_language)
        translation.activate(user.preferred_language)


def with_buyer_language(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the language cookie sign-in restored from the account, if it did."""
    language = getattr(request, _RESTORED_LANGUAGE_ATTRIBUTE, None)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
