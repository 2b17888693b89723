"""The header's currency, country and language choices: plain POSTs (they work without
script), as Django's set_language, back to the page the buyer was on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from caravan.accounts.models import User
from caravan.kernel.errors import ValidationFailed

from ..preferences import remember_language
from ..session import choose_country, choose_currency


def _back(request: HttpRequest) -> str:
    """`next`, else the page the form was on, if either stays on this site; else home."""
    allowed = {request.get_host()}
    for target in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts=allowed, require_https=request.is_secure()
        ):
            return target
    return reverse("storefront:home")


@require_POST
def set_currency(request: HttpRequest) -> HttpResponseRedirect:
    currency = request.POST.get("currency", "").strip()[:8]
    try:
        choose_currency(request, currency=currency)
    except ValidationFailed:
        messages.error(
            request,
            _("Prices cannot be shown in “%(currency)s”. Your currency was not changed.")
            % {"currency": currency},
        )
    return HttpResponseRedirect(_back(request))


@require_POST
def set_country(request: HttpRequest) -> HttpResponseRedirect:
    """The header's "deliver to" choice: delivery prices and dates are quoted there."""
    country = request.POST.get("country", "").strip()[:8]
    try:
        choose_country(request, country=country)
    except ValidationFailed:
        messages.error(
            request,
            _("We do not deliver to “%(country)s” yet. Your country was not changed.")
            % {"country": country},
        )
    return HttpResponseRedirect(_back(request))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie), and the choice kept with the buyer's country and
    currency: on the account when signed in (storefront.preferences)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if response.status_code in (302, 204) and check_for_language(language):
        user = request.user if isinstance(request.user, User) else None
        remember_language(
            request, user=user if user and user.is_authenticated else None, language=language
        )
    return response
