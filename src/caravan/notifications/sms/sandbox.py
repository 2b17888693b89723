"""The demo's SMS gateway: takes every message and sends none (the outbox row and the
mailbox page show what would have gone out)."""

from __future__ import annotations

import hashlib
import logging

from .base import SmsReceipt

logger = logging.getLogger(__name__)


class SandboxSms:
    name = "sandbox"

    def send(self, *, phone: str, text: str) -> SmsReceipt:
        reference = "sandbox-" + hashlib.sha256(f"{phone}\n{text}".encode()).hexdigest()[:16]
        logger.info("sandbox SMS to %s: %s", phone, text)
        return SmsReceipt(reference=reference)
