"""Carrier adapters (house rule 9): the sandbox for the demo and CDEK's API v2."""

from __future__ import annotations

from ..models import Carrier


def carrier_for_name(name: str) -> str:
    """The carrier code for a delivery method's free-text carrier name ("CDEK", "Почта
    России"); a carrier we have no code for is "other" (its events come from the seller)."""
    text = name.strip().lower()
    if "cdek" in text or "сдэк" in text:
        return Carrier.CDEK
    if "russian post" in text or "почта" in text:
        return Carrier.RUSSIAN_POST
    if "sandbox" in text:
        return Carrier.SANDBOX
    return Carrier.OTHER
