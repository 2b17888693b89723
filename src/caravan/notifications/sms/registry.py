"""Which SMS gateway Caravan uses: SMS_GATEWAY names it ("sandbox" or "smsru")."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SmsGateway
from .sandbox import SandboxSms
from .smsru import SmsRuGateway


def get_sms_gateway() -> SmsGateway:
    chosen = settings.SMS_GATEWAY
    if chosen == "sandbox":
        return SandboxSms()
    if chosen == "smsru":
        if not settings.SMSRU_API_ID:
            raise ImproperlyConfigured("SMS_GATEWAY is smsru but SMSRU_API_ID is empty")
        return SmsRuGateway.from_settings()
    raise ImproperlyConfigured(f"unknown SMS_GATEWAY {chosen!r}: use sandbox or smsru")
