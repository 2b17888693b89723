"""CN22 or CN23 for a cross-border parcel, and the PDF read back."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from caravan.catalog.models import Product, Variant
from caravan.fx.services import record_rate
from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.orders.models import SellerOrder
from caravan.parcels.declarations import build_declaration, declare_parcel, postal_charges
from caravan.parcels.models import SdrRate
from caravan.parcels.pdf import declaration_pdf
from caravan.parcels.sdr import parse_cbr_sdr, record_sdr_rate
from caravan.sellers.models import Seller

from .helpers import owner_of, paid_order, seller_order_of, ship

pytestmark = pytest.mark.django_db

CBR_DAY = b"""<?xml version="1.0" encoding="windows-1251"?>
<ValCurs Date="05.12.2026" name="Foreign Currency Market">
<Valute ID="R01375"><NumCode>156</NumCode><CharCode>CNY</CharCode><Nominal>1</Nominal>
<Value>11,0542</Value></Valute>
<Valute ID="R01589"><NumCode>960</NumCode><CharCode>XDR</CharCode><Nominal>1</Nominal>
<Value>107,4492</Value></Valute>
</ValCurs>"""


def customs_details(market, *, hs_code="851830", origin="CN", grams=250):
    Product.objects.filter(id=market.product.id).update(hs_code=hs_code, origin_country=origin)
    Variant.objects.filter(product=market.product).update(net_weight_grams=grams)


def rates(*, cny_in_rub="12.50", rub_per_sdr="107.4492"):
    today = now().date()
    record_rate(base="CNY", quote="RUB", rate=Decimal(cny_in_rub), source="cbr", rate_date=today)
    SdrRate.objects.update_or_create(
        rate_date=today, defaults={"rub_per_sdr": Decimal(rub_per_sdr), "source": "cbr"}
    )


def cn_parcel(market, *, quantity=1):
    seller_order = seller_order_of(paid_order(market, quantity_cn=quantity), market.seller_cn)
    return ship(seller_order, tracking="LP00123456789CN", carrier="other")


def test_the_cbr_file_gives_roubles_per_sdr_and_its_date():
    assert parse_cbr_sdr(CBR_DAY) == (date(2026, 12, 5), Decimal("107.4492"))


def test_recording_the_sdr_rate_twice_keeps_one_row_per_day():
    record_sdr_rate(content=CBR_DAY)
    record_sdr_rate(content=CBR_DAY)

    assert list(SdrRate.objects.values_list("rate_date", "rub_per_sdr", "source")) == [
        (date(2026, 12, 5), Decimal("107.4492"), "cbr")
    ]


def test_a_file_without_xdr_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        parse_cbr_sdr(CBR_DAY.replace(b"XDR", b"XXX"))

    assert refused.value.code == "sdr_missing"


def test_a_parcel_up_to_300_sdr_gets_a_cn22_with_its_contents(market):
    customs_details(market)
    rates()
    parcel = cn_parcel(market, quantity=2)

    declaration = build_declaration(parcel)

    assert declaration.form == "CN22"
    assert declaration.category == "sale of goods"
    assert [
        (
            line.description,
            line.quantity,
            line.hs_code,
            line.origin_country,
            line.net_weight_grams,
            str(line.value),
        )
        for line in declaration.lines
    ] == [("Wireless Headphones, Black", 2, "851830", "CN", 500, str(declaration.total_value))]
    assert (declaration.total_value.amount, declaration.total_value.currency) == (
        Decimal("300.00"),
        "CNY",
    )
    assert declaration.value_in_rub.amount == Decimal("3750.00")
    assert declaration.value_in_sdr == Decimal("34.90")
    assert (
        declaration.recipient.name,
        declaration.recipient.country,
        declaration.recipient.region,
    ) == ("Ivan Petrov", "Russia", "Москва")
    assert declaration.gaps == []


@pytest.mark.parametrize(
    ("rub_per_sdr", "form", "sdr"),
    [
        ("6.2500", "CN22", Decimal("300.00")),  # 1875 RUB: exactly 300 SDR
        ("6.2498", "CN23", Decimal("300.01")),  # just over
        ("6.2600", "CN22", Decimal("299.52")),  # just under
    ],
)
def test_cn23_above_300_sdr(market, rub_per_sdr, form, sdr):
    customs_details(market)
    rates(rub_per_sdr=rub_per_sdr)
    parcel = cn_parcel(market, quantity=1)

    declaration = build_declaration(parcel)

    assert (declaration.form, declaration.value_in_sdr) == (form, sdr)


def test_without_an_sdr_rate_no_form_is_chosen(market):
    customs_details(market)
    record_rate(base="CNY", quote="RUB", rate=Decimal("12.50"), source="cbr")
    parcel = cn_parcel(market)

    with pytest.raises(NotFound) as refused:
        build_declaration(parcel)

    assert refused.value.code == "sdr_rate_missing"


def test_a_domestic_parcel_needs_no_declaration(market):
    rates()
    parcel = ship(seller_order_of(paid_order(market), market.seller_ru))

    with pytest.raises(ValidationFailed) as refused:
        build_declaration(parcel)

    assert refused.value.code == "declaration_not_needed"


def test_missing_customs_details_are_named(market):
    rates()
    # Placement refuses a cross-border parcel without them (ADR 0010): the seller removed
    # them after this order was placed.
    parcel = cn_parcel(market)
    customs_details(market, hs_code="", origin="", grams=None)

    declaration = build_declaration(parcel)

    assert declaration.gaps == [
        "Wireless Headphones, Black has no HS code.",
        "Wireless Headphones, Black has no net weight.",
    ]
    assert declaration.total_net_weight_grams is None


def test_the_pdf_reads_back_with_the_declarations_fields(market):
    customs_details(market)
    rates(cny_in_rub="250.00")  # 150 CNY = 37 500 RUB = 349.00 SDR: a CN23
    parcel = cn_parcel(market)

    document = declaration_pdf(build_declaration(parcel))
    pages = PdfReader(BytesIO(document)).pages
    # Words as they read; a line the layout wraps is one sentence again.
    text = " ".join(" ".join(page.extract_text() for page in pages).split())

    for expected in [
        "CN23",
        "CUSTOMS DECLARATION",
        "LP00123456789CN",
        "Category of item: Sale of goods",
        "Wireless Headphones, Black",
        "851830",
        "250 g",
        "150.00",
        "349.00 SDR",
        "Ivan Petrov",
        "Tverskaya 1, flat 2",
        "Shenzhen Tech",
        "1 SDR = 107.4492 RUB",
        "1 CNY = 250 RUB",
    ]:
        assert expected in text, expected


def test_the_seller_prints_its_parcels_declaration_and_another_seller_cannot(client, market):
    customs_details(market)
    rates()
    parcel = cn_parcel(market)
    url = reverse(
        "seller_portal:parcel_declaration", args=[parcel.seller_order.public_id, parcel.id]
    )

    client.force_login(owner_of(market.seller_ru))
    refused = client.get(url)
    client.force_login(owner_of(market.seller_cn))
    printed = client.get(url)
    page = client.get(reverse("seller_portal:order", args=[parcel.seller_order.public_id]))

    assert refused.status_code == 404
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert printed["Content-Disposition"] == 'inline; filename="CN22-LP00123456789CN.pdf"'
    assert printed.content.startswith(b"%PDF-")
    assert b'data-testid="print-declaration"' in page.content


def test_the_pdf_reads_back_the_postal_charges_in_the_declared_currency(market):
    customs_details(market)
    rates(cny_in_rub="250.00")
    parcel = cn_parcel(market)
    delivery = parcel.seller_order.delivery_amount

    document = declaration_pdf(build_declaration(parcel))
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(document)).pages).split()
    )

    # One parcel carries the whole order: the whole delivery charge (25 CNY in the market).
    assert delivery == Decimal("25.00")
    assert "Postal charges/Fees" in text
    assert "25.00 CNY: this parcel's share of the order's delivery charge" in text


def test_the_delivery_charge_is_shared_by_value_in_shipping_order_and_adds_up(market):
    # given an order of three units (450 CNY of goods, 25 CNY delivery) shipped 1 + 2
    customs_details(market)
    rates()
    seller_order = seller_order_of(paid_order(market, quantity_cn=3), market.seller_cn)
    first = ship(seller_order, quantity=1, tracking="LP00000000001CN", carrier="other")

    # when the first parcel is declared before the second ships, and again after
    alone = postal_charges(first)
    second = ship(seller_order, quantity=2, tracking="LP00000000002CN", carrier="other")

    # then the first keeps a third (8.333 rounds to 8.33), the second takes the rest
    assert alone == Money("8.33", "CNY")
    assert postal_charges(first) == Money("8.33", "CNY")
    assert postal_charges(second) == Money("16.67", "CNY")


def test_free_delivery_declares_no_postal_charges(market):
    customs_details(market)
    rates()
    parcel = cn_parcel(market)
    SellerOrder.objects.filter(id=parcel.seller_order_id).update(
        delivery_amount=0, total_amount=F("total_amount") - F("delivery_amount")
    )
    parcel.refresh_from_db()

    assert build_declaration(parcel).postal_charges == Money("0.00", "CNY")


def pdf_text(declaration) -> str:
    pages = PdfReader(BytesIO(declaration_pdf(declaration))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_reprint_after_the_seller_edits_the_product_prints_the_same_form(market):
    # given a parcel whose declaration was printed once
    customs_details(market)
    rates()
    parcel = cn_parcel(market)
    first = pdf_text(declare_parcel(seller=market.seller_cn, parcel_id=parcel.id))

    # when the seller changes the product's customs details and the delivery charge changes
    customs_details(market, hs_code="852910", origin="VN", grams=900)
    SellerOrder.objects.filter(id=parcel.seller_order_id).update(
        delivery_amount=99, total_amount=F("total_amount") - F("delivery_amount") + 99
    )
    again = declare_parcel(seller=market.seller_cn, parcel_id=parcel.id)

    # then the reprint says what the first print said
    assert pdf_text(again) == first
    assert [(line.hs_code, line.origin_country, line.net_weight_grams) for line in again.lines] == [
        ("851830", "CN", 250)
    ]
    assert again.postal_charges == Money("25.00", "CNY")
    assert "851830" in first and "852910" not in first


def test_a_reprint_after_the_seller_moves_prints_the_first_sender(market):
    # given a parcel whose declaration was printed once
    customs_details(market)
    rates()
    parcel = cn_parcel(market)
    first = declare_parcel(seller=market.seller_cn, parcel_id=parcel.id)

    # when the seller renames itself and moves its return address
    Seller.objects.filter(id=market.seller_cn.id).update(
        legal_name="New Name Trading Ltd",
        return_street="1 New Road",
        return_city="Dongguan",
        return_postal_code="523000",
        phone="+86 769 0000 0000",
    )
    again = declare_parcel(seller=market.seller_cn, parcel_id=parcel.id)

    # then the reprint names the sender the parcel left with
    assert again.sender == first.sender
    assert pdf_text(again) == pdf_text(first)
    assert "Dongguan" not in pdf_text(again)


def test_a_declaration_with_gaps_is_not_frozen_until_the_seller_fills_them(market):
    rates()
    parcel = cn_parcel(market)
    customs_details(market, hs_code="", origin="", grams=None)

    with_gaps = declare_parcel(seller=market.seller_cn, parcel_id=parcel.id)
    parcel.refresh_from_db()
    frozen_before = parcel.declared_at
    customs_details(market)
    complete = declare_parcel(seller=market.seller_cn, parcel_id=parcel.id)
    parcel.refresh_from_db()

    assert len(with_gaps.gaps) == 2
    assert frozen_before is None
    assert complete.gaps == []
    assert parcel.declared_at is not None
    assert list(
        parcel.lines.values_list(
            "declared_hs_code", "declared_origin_country", "declared_unit_net_weight_grams"
        )
    ) == [("851830", "CN", 250)]


def test_another_seller_cannot_declare_the_parcel(market):
    customs_details(market)
    rates()
    parcel = cn_parcel(market)

    with pytest.raises(NotFound):
        declare_parcel(seller=market.seller_ru, parcel_id=parcel.id)

    parcel.refresh_from_db()
    assert parcel.declared_at is None


def test_the_countries_are_in_english_whatever_the_sellers_language(market):
    customs_details(market)
    rates()
    parcel = cn_parcel(market)

    with translation.override("ru"):
        declaration = build_declaration(parcel)

    assert (declaration.sender.country, declaration.recipient.country) == ("China", "Russia")
