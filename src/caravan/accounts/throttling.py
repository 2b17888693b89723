"""Throttles on the doors: sign-in (the storefront's and the admin's), registration, password
reset and the API, each counted per account and per IP address.

Counters are django-ratelimit's fixed windows in the cache named by RATELIMIT_USE_CACHE (the
shared Redis in production), so every web process sees the same counts. A refusal says when
to come back ("try again in N minutes"). Rates are settings (THROTTLE_RATES); see
docs/decisions/0009-doors.md for why each door counts what it counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from caravan.kernel.errors import DomainError

# What the request carries once a sign-in was refused, for the form to explain it.
REFUSAL_ATTRIBUTE = "_caravan_throttled"


@dataclass(frozen=True)
class Door:
    name: str
    # Keys of THROTTLE_RATES: the account's counter and the IP address's counter.
    account_rate: str
    ip_rate: str


SIGN_IN = Door("sign-in", "sign-in-account", "sign-in-ip")
REGISTRATION = Door("register", "register-account", "register-ip")
PASSWORD_RESET = Door("password-reset", "password-reset-account", "password-reset-ip")
API = Door("api", "api-user", "api-ip")


class Throttled(DomainError):
    code = "throttled"

    def __init__(self, *, retry_after: int) -> None:
        self.retry_after = max(retry_after, 1)
        minutes = max(math.ceil(self.retry_after / 60), 1)
        super().__init__(
            ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _counters(door: Door, account: str) -> list[tuple[str, str]]:
    """(rate, key) of each counter that applies; an empty account is counted by IP only."""
    counters = [(settings.THROTTLE_RATES[door.ip_rate], "ip")]
    if account:
        counters.append((settings.THROTTLE_RATES[door.account_rate], f"account:{account}"))
    return counters


def _usage(
    request: HttpRequest, door: Door, *, rate: str, key: str, increment: bool
) -> dict[str, int] | None:
    if key == "ip":
        return get_usage(request, group=door.name, key="ip", rate=rate, increment=increment)
    return get_usage(
        request,
        group=door.name,
        key=lambda _group, _request: key,
        rate=rate,
        increment=increment,
    )


def check(request: HttpRequest, door: Door, *, account: str = "") -> None:
    """Raise Throttled when the account or the address has used up its attempts."""
    waits = []
    for rate, key in _counters(door, account):
        usage = _usage(request, door, rate=rate, key=key, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            waits.append(usage["time_left"])
    if waits:
        raise Throttled(retry_after=max(waits))


def record(request: HttpRequest, door: Door, *, account: str = "") -> None:
    """Count one attempt against the account and the address."""
    for rate, key in _counters(door, account):
        _usage(request, door, rate=rate, key=key, increment=True)


def attempt(request: HttpRequest, door: Door, *, account: str = "") -> None:
    """For doors where every attempt counts (registration, reset, the API): check, then
    count this one."""
    check(request, door, account=account)
    record(request, door, account=account)


def remember_refusal(request: HttpRequest, refusal: Throttled) -> None:
    setattr(request, REFUSAL_ATTRIBUTE, refusal)


def refusal_of(request: HttpRequest | None) -> Throttled | None:
    refusal = getattr(request, REFUSAL_ATTRIBUTE, None)
    return refusal if isinstance(refusal, Throttled) else None
