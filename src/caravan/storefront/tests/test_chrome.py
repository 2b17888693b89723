"""The page's chrome rendered once per process, language and named values (storefront.chrome)."""

from django.template import engines
from django.utils import translation

from caravan.storefront.chrome import forget_copies

BLOCK = '{% load storefront %}{% once "test-block" slug %}{{ slug }}/{{ other }}{% endonce %}'


def render(**context):
    return engines["django"].from_string(BLOCK).render(context)


def test_a_block_is_reused_for_the_same_language_and_values():
    forget_copies()
    first = render(slug="phones", other="first")

    again = render(slug="phones", other="second")

    assert (first, again) == ("phones/first", "phones/first")


def test_a_block_is_rendered_anew_for_another_value_or_language():
    forget_copies()
    render(slug="phones", other="first")

    other_value = render(slug="shoes", other="second")
    with translation.override("ru"):
        other_language = render(slug="phones", other="third")

    assert (other_value, other_language) == ("shoes/second", "phones/third")


def test_a_setting_change_forgets_every_block(settings):
    forget_copies()
    render(slug="phones", other="first")

    settings.STATIC_URL = "/elsewhere/"
    after = render(slug="phones", other="second")

    assert after == "phones/second"
