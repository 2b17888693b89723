"""The demo catalog carries what customs needs, and a demo parcel can be quoted offline."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from caravan.catalog.classification import hs_code_error
from caravan.catalog.models import AttributeValue, Product, Variant
from caravan.customs.landed import ParcelLine, landed_cost
from caravan.customs.models import ImportRule
from caravan.customs.rule_data import IMPORT_RULES
from caravan.demo.vocabulary import MADE_IN
from caravan.kernel.money import Money
from caravan.offers.models import Offer

APPROVED = Product.objects.filter(is_approved=True)


def test_demo_products_carry_hs_codes_origins_weights_and_boxes(db):
    call_command("seed_demo", "--products", "40", stdout=io.StringIO())

    made_in_by_name = {english: code for code, (_ru, english) in MADE_IN.items()}
    for product in APPROVED:
        assert hs_code_error(product.hs_code) is None, product.hs_code
        assert not product.eaeu_code or product.eaeu_code.startswith(product.hs_code)
        made_in = AttributeValue.objects.get(product=product, attribute__code="made-in")
        expected = made_in_by_name[made_in.value_en]
        assert product.origin_country == (expected if expected != "VN" else "")
    variants = Variant.objects.filter(product__in=APPROVED)
    assert not variants.filter(net_weight_grams__isnull=True).exists()
    assert not variants.filter(length_mm__isnull=True).exists()
    assert ImportRule.objects.count() == len(IMPORT_RULES)


def test_a_demo_parcel_from_china_to_russia_is_quoted_at_the_seeded_cbr_rate(db):
    call_command("seed_demo", "--products", "40", stdout=io.StringIO())
    offer = (
        Offer.objects.filter(seller__country="CN", variant__product__is_approved=True)
        .select_related("variant__product")
        .order_by("id")
        .first()
    )
    assert offer is not None
    product = offer.variant.product
    today = timezone.localdate()

    cost = landed_cost(
        lines=[
            ParcelLine(
                hs_code=product.hs_code,
                origin_country=product.origin_country,
                unit_value=offer.price,
                quantity=1,
                net_weight_grams=offer.variant.net_weight_grams or 0,
            )
        ],
        delivery=Money("0", offer.price.currency),
        ships_from="CN",
        destination="RU",
        on=today,
    )

    assert cost.rule is not None and cost.rule.destination == "EAEU"
    assert cost.customs_rate is not None
    assert cost.customs_rate.source.startswith("cbr")
    assert cost.customs_rate.rate_date == today
