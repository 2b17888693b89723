"""An operator's edits in the Django admin reach the listings and the product page, as the
services' own changes do (catalog.admin._AnnouncesProductEdits, offers.admin.OfferAdmin)."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from caravan.catalog.models import Product
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.search.models import PendingProjection
from caravan.search.selectors import ProductQuery, list_products
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingMethod, WeightBand
from tests.factories import default_rates, make_offer, make_product, make_seller, project

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The fields an admin change form would post as shown: inputs, checked boxes, selected
    options and text areas (the management forms of its inlines included)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name")
        if tag == "input" and name and named.get("type") not in ("submit", "button", "file"):
            if named.get("type") != "checkbox" or "checked" in named:
                self.fields[name] = named.get("value") or (
                    "on" if named.get("type") == "checkbox" else ""
                )
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in named:
            self.fields[self._select] = named.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.lstrip("\n")


def _post_as_shown(client, url: str, changes: dict[str, str | None]):  # type: ignore[no-untyped-def]
    """Open the change form, change the given fields (None unticks or empties one) and save."""
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    fields = {**parser.fields, **changes}
    return client.post(url, {name: value for name, value in fields.items() if value is not None})


def _listed(text: str) -> list[str]:
    listing = list_products(query=ProductQuery(text=text))
    return [summary.product.name_en for summary in listing.page.object_list]


@pytest.fixture
def teapot():
    default_rates()
    product = make_product(name_en="Copper teapot", name_ru="Медный чайник")
    offer = make_offer(seller=make_seller(name="Moscow Goods"), variant=product.variants.get())
    project(product)
    return product, offer


def test_a_product_the_operator_hides_in_the_admin_leaves_the_listings(admin_client, teapot):
    product, _offer = teapot
    before = _listed("teapot")
    version = Product.objects.get(pk=product.pk).updated_at

    answer = _post_as_shown(
        admin_client,
        reverse("admin:catalog_product_change", args=[product.pk]),
        {"is_active": None},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert before == ["Copper teapot"]
    assert _listed("teapot") == []
    assert Product.objects.get(pk=product.pk).updated_at > version


def test_a_product_renamed_in_the_admin_is_found_by_its_new_name(admin_client, teapot):
    product, _offer = teapot

    answer = _post_as_shown(
        admin_client,
        reverse("admin:catalog_product_change", args=[product.pk]),
        {"name_en": "Copper kettle"},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert (_listed("kettle"), _listed("teapot")) == (["Copper kettle"], [])


def test_a_specification_deleted_in_the_admin_moves_the_products_version(admin_client, teapot):
    product, _offer = teapot
    version = Product.objects.get(pk=product.pk).updated_at
    attribute_value = product.attribute_values.first()

    answer = admin_client.post(
        reverse("admin:catalog_attributevalue_delete", args=[attribute_value.pk]), {"post": "yes"}
    )

    assert answer.status_code == 302
    assert Product.objects.get(pk=product.pk).updated_at > version
    assert list(PendingProjection.objects.values_list("product_id", flat=True)) == [product.pk]


def test_an_offer_repriced_in_the_admin_is_sorted_and_shown_at_its_new_price(admin_client, teapot):
    _product, offer = teapot

    answer = _post_as_shown(
        admin_client,
        reverse("admin:offers_offer_change", args=[offer.pk]),
        {"price_amount": "2500.00"},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))
    row = list_products(query=ProductQuery(text="teapot")).page.object_list[0]

    assert answer.status_code == 302
    assert Offer.objects.get(pk=offer.pk).reference_price_amount == Decimal("2500.00")
    assert row.best_offer.price_amount == Decimal("2500.00")


def test_an_offer_deleted_in_the_admin_leaves_the_listings(admin_client, teapot):
    _product, offer = teapot

    answer = admin_client.post(
        reverse("admin:offers_offer_delete", args=[offer.pk]), {"post": "yes"}
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert _listed("teapot") == []


def test_a_delivery_price_changed_in_the_admin_reaches_the_listing(admin_client, teapot):
    product, offer = teapot
    band = WeightBand.objects.get(rate__method__profile__seller=offer.seller)
    landed = ProductOfferSummary.objects.get(product=product).landed_reference_amount

    answer = _post_as_shown(
        admin_client,
        reverse("admin:shipping_weightband_change", args=[band.pk]),
        {"price_amount": "500.00"},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert landed == Decimal("1300.00")
    assert ProductOfferSummary.objects.get(product=product).landed_reference_amount == Decimal(
        "1500.00"
    )


def test_a_flat_delivery_method_edited_in_the_admin_is_what_quotes_read(admin_client, teapot):
    product, offer = teapot
    method = ShippingMethod.objects.get(seller=offer.seller)

    answer = _post_as_shown(
        admin_client,
        reverse("admin:shipping_shippingmethod_change", args=[method.pk]),
        {"is_active": None},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert ProductOfferSummary.objects.get(product=product).is_buyable is False
    assert _listed("teapot") == []


def test_a_chinese_category_name_added_in_the_admin_finds_the_categorys_products(
    admin_client, teapot
):
    product, _offer = teapot
    before = _listed("茶具")

    answer = _post_as_shown(
        admin_client,
        reverse("admin:catalog_category_change", args=[product.category_id]),
        {
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "zh-hans",
            "translations-0-name": "茶具",
            "translations-0-category": str(product.category_id),
        },
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert (before, _listed("茶具")) == ([], ["Copper teapot"])


def test_the_admin_cannot_change_an_existing_sellers_currency(admin_client, teapot):
    _product, offer = teapot
    url = reverse("admin:sellers_seller_change", args=[offer.seller_id])

    answer = _post_as_shown(admin_client, url, {"currency": "EUR"})

    assert answer.status_code == 302
    assert Seller.objects.get(pk=offer.seller_id).currency == "RUB"
    assert 'name="currency"' not in admin_client.get(url).content.decode()


def test_the_admin_refuses_an_offer_price_a_seller_could_not_set(admin_client, teapot):
    _product, offer = teapot
    url = reverse("admin:offers_offer_change", args=[offer.pk])

    free = _post_as_shown(admin_client, url, {"price_amount": "0"})
    foreign = _post_as_shown(admin_client, url, {"currency": "EUR"})

    assert (free.status_code, foreign.status_code) == (200, 200)
    assert "The price must be above zero" in free.content.decode()
    assert "Offers of Moscow Goods are priced in RUB" in foreign.content.decode()
    assert Offer.objects.filter(pk=offer.pk).values_list("price_amount", "currency").get() == (
        Decimal("1000.00"),
        "RUB",
    )


def test_a_seller_renamed_in_the_admin_is_named_on_its_cards_and_product_page(
    admin_client, client, teapot
):
    product, offer = teapot
    version = ProductOfferSummary.objects.get(product=product).version
    page = client.get(f"/p/{product.public_id}/").content.decode()

    answer = _post_as_shown(
        admin_client,
        reverse("admin:sellers_seller_change", args=[offer.seller_id]),
        {"name": "Moscow Wares"},
    )
    project(*PendingProjection.objects.values_list("product_id", flat=True))

    assert answer.status_code == 302
    assert ("Moscow Goods" in page, "Moscow Wares" in page) == (True, False)
    assert ProductOfferSummary.objects.get(product=product).version == version + 1
    renamed = client.get(f"/p/{product.public_id}/").content.decode()
    assert ("Moscow Goods" in renamed, "Moscow Wares" in renamed) == (False, True)
    listing = client.get("/search/?q=teapot").content.decode()
    assert ("Moscow Goods" in listing, "Moscow Wares" in listing) == (False, True)
