"""Password sign-in with a throttle: every path that calls authenticate() with a request
(the storefront's sign-in, the admin's login) goes through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import throttling
from .models import User
from .user_cache import cached_user


class ThrottledModelBackend(ModelBackend):
    """Counts failed passwords per account and per IP; past the limit the right password is
    refused too, until the window ends. authenticate() stops at PermissionDenied, so the
    forms show the refusal (throttling.refusal_of) instead of "wrong password"."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:  # type: ignore[override]
        if request is None:
            # No web request (a management command, a shell): nothing to count against.
            return super().authenticate(request, username=username, password=password, **kwargs)
        account = str(username or kwargs.get(User.USERNAME_FIELD) or "").strip().lower()
        try:
            throttling.check(request, throttling.SIGN_IN, account=account)
        except throttling.Throttled as refusal:
            throttling.remember_refusal(request, refusal)
            raise PermissionDenied(refusal.message) from refusal
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttling.record(request, throttling.SIGN_IN, account=account)
        return user  # type: ignore[return-value]

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        """As ModelBackend's, the row from the shared cache (accounts.user_cache): the session
        auth hash is then checked on it by django.contrib.auth, `is_active` here."""
        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
