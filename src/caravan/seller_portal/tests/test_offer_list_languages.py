"""The offers list in a German or Chinese portal reads the names and option labels of a page
of offers in one query each, not one per row, and shows them in that language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import make_offer, make_product

from caravan.catalog.models import AttributeValue
from caravan.catalog.services import set_attribute_value_translations

from .portal_helpers import owner_of

pytestmark = pytest.mark.django_db


def list_in(client, language: str) -> tuple[str, int]:
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("seller_portal:offers"))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("language", ["de", "zh-hans"])
def test_more_offers_cost_no_more_queries_in_german_or_chinese(client, market, language):
    client.force_login(owner_of(market.seller_ru))
    list_in(client, language)  # the first request of a session reads what later ones keep
    _body, one_offer = list_in(client, language)
    for _ in range(3):
        make_offer(seller=market.seller_ru, variant=make_product().variants.get())

    _body, four_offers = list_in(client, language)

    assert four_offers == one_offer


def test_the_german_portal_shows_the_german_option_label(client, market):
    value = AttributeValue.objects.get(product=market.product, variant__isnull=False)
    set_attribute_value_translations(
        product=market.product, translations={"de": {value.id: "Schwarz"}}
    )
    client.force_login(owner_of(market.seller_ru))

    body, _queries = list_in(client, "de")

    assert '<div class="muted small">Schwarz · ' in body
