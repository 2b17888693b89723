"""Country filters shared by every interface app's tag library."""

from django import template

from caravan.kernel.countries import COUNTRY_FLAGS, country_name

register = template.Library()


@register.filter
def flag(code: str) -> str:
    return COUNTRY_FLAGS.get(code, "")


@register.filter
def country(code: str) -> str:
    return country_name(code)
