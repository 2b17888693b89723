"""Addresses and phones on pages: in the destination country's format, phones international."""

from __future__ import annotations

from typing import Any

from django import template

from caravan.accounts.address_rules import international_phone, postal_lines
from caravan.accounts.models import Address

register = template.Library()

register.filter("international_phone", international_phone)


@register.filter
def postal_line(address: Address) -> str:
    """A saved address on one line without the recipient (the address book, the checkout)."""
    lines = postal_lines(
        country=address.country,
        name="",
        street=address.street,
        city=address.city,
        city_area=address.city_area,
        region=address.region,
        postal_code=address.postal_code,
    )
    return ", ".join(lines)


@register.filter
def ship_to_lines(order: Any, reader_country: str = "") -> list[str]:
    """An order's ship-to address as the destination's post writes it, for a label. A reader
    in another country (a seller abroad) gets the Latin-script format and region names."""
    return postal_lines(
        country=order.ship_to_country,
        name=order.ship_to_name,
        street=order.ship_to_street,
        city=order.ship_to_city,
        city_area=order.ship_to_city_area,
        region=order.ship_to_region,
        postal_code=order.ship_to_postal_code,
        latin=bool(reader_country) and reader_country != order.ship_to_country,
    )
