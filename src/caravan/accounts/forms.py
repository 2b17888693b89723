"""The sign-in forms' shared part: a throttled sign-in says when to come back."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from . import throttling


class ThrottledSignInForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            refusal = throttling.refusal_of(self.request)
            if refusal is None:
                raise
            raise ValidationError(refusal.message, code="throttled") from None

    @property
    def is_throttled(self) -> bool:
        return any(error.code == "throttled" for error in self.non_field_errors().as_data())


class ThrottledAdminSignInForm(ThrottledSignInForm, AdminAuthenticationForm):
    """The admin's login form (accounts.admin sets it on the admin site)."""
