"""The API's throttle: accounts.throttling's API door, per signed-in user and per IP."""

from __future__ import annotations

import threading

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from caravan.accounts import throttling


class DoorThrottle(BaseThrottle):
    def __init__(self) -> None:
        # One instance serves every request; the wait belongs to the request's own thread.
        self._refusal = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        account = f"user:{user.pk}" if user is not None and user.is_authenticated else ""
        try:
            throttling.attempt(request, throttling.API, account=account)
        except throttling.Throttled as refusal:
            self._refusal.retry_after = refusal.retry_after
            return False
        self._refusal.retry_after = None
        return True

    def wait(self) -> float | None:
        return getattr(self._refusal, "retry_after", None)
