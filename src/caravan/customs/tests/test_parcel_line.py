import pytest
from tests.factories import make_product

from caravan.catalog.services import update_product_customs, update_variant_measurements
from caravan.customs.landed import ParcelLine, parcel_line_for
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money


def test_a_variant_with_its_details_becomes_a_parcel_line(db):
    variant = make_product().variants.get()
    update_product_customs(
        product=variant.product, hs_code="851830", eaeu_code="", origin_country="CN"
    )
    update_variant_measurements(
        variant=variant, net_weight_grams=240, length_mm=None, width_mm=None, height_mm=None
    )
    variant.refresh_from_db()

    line = parcel_line_for(variant=variant, unit_value=Money("19.90", "EUR"), quantity=2)

    assert line == ParcelLine("851830", "CN", Money("19.90", "EUR"), 2, 240)


def test_a_variant_without_hs_code_or_weight_says_what_is_missing(db):
    variant = make_product(name_en="Mug", hs_code="", net_weight_grams=None).variants.get()

    with pytest.raises(ValidationFailed) as error:
        parcel_line_for(variant=variant, unit_value=Money("5", "EUR"), quantity=1)

    assert error.value.code == "customs_details_missing"
    assert error.value.message == "Mug lacks customs details: HS code, net weight."
