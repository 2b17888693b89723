"""What Caravan needs of an SMS gateway, and the two ways a send can fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SmsReceipt:
    reference: str


class SmsError(Exception):
    """The gateway did not take the message."""

    retryable = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SmsUnavailable(SmsError):
    """Worth trying again later: a timeout, the gateway down or over a rate limit."""

    retryable = True


class SmsRejected(SmsError):
    """Sending again will not help: a wrong number, a blocked sender, bad credentials."""


class SmsGateway(Protocol):
    name: str

    def send(self, *, phone: str, text: str) -> SmsReceipt:
        """Send `text` to `phone` (E.164). Raises SmsUnavailable or SmsRejected."""
        ...
