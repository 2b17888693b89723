"""Every form control on the storefront's pages has a label a screen reader can announce."""

from html.parser import HTMLParser

import pytest
from tests.factories import fill_cart

from caravan.catalog.models import ProductImage

pytestmark = pytest.mark.django_db

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class ControlCollector(HTMLParser):
    """Form controls with how they are named: a wrapping label, label[for], aria-label(ledby)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_targets.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and (attributes.get("type") or "text") in UNLABELLED_TYPES:
                return
            attributes["_wrapped"] = "yes" if self.open_labels else None
            attributes["_tag"] = tag
            self.controls.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.open_labels:
            self.open_labels -= 1


def unlabelled_controls(page: str) -> list[dict[str, str | None]]:
    collector = ControlCollector()
    collector.feed(page)
    return [
        control
        for control in collector.controls
        if not control["_wrapped"]
        and not control.get("aria-label")
        and not control.get("aria-labelledby")
        and control.get("id") not in collector.label_targets
    ]


def add_images(product, count):
    for position in range(count):
        ProductImage.objects.create(
            product=product, image=f"products/photo-{position}.png", position=position
        )


def test_the_collector_finds_an_unlabelled_radio():
    # given a page with a bare radio, a wrapped checkbox and a labelled text input
    page = (
        '<input type="radio" name="gallery" id="g-1">'
        '<label><input type="checkbox" name="a"> A</label>'
        '<label for="q">Q</label><input type="search" id="q" name="q">'
        '<input type="hidden" name="csrf">'
    )
    # when its controls are checked
    controls = unlabelled_controls(page)
    # then only the radio is reported
    assert [control["id"] for control in controls] == ["g-1"]


def test_a_product_with_one_image_shows_it_without_a_radio(client, market):
    # given a product with one image
    add_images(market.product, 1)
    # when its page is shown
    response = client.get(f"/p/{market.product.public_id}/{market.product.slug}/")
    # then the image shows on its own, with no gallery radio and nothing unlabelled
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="gallery-image gallery-image-only"' in page
    assert 'type="radio"' not in page
    assert unlabelled_controls(page) == []


def test_a_product_with_three_images_labels_each_radio_with_its_thumbnail(client, market):
    # given a product with three images
    add_images(market.product, 3)
    # when its page is shown
    response = client.get(f"/p/{market.product.public_id}/{market.product.slug}/")
    # then three radios are shown, each with a thumbnail label
    page = response.content.decode()
    assert page.count('class="gallery-radio"') == 3
    assert page.count('<label for="gallery-') == 3
    assert unlabelled_controls(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=headphones",
        "/search/?q=nothing-matches-this",
        "/account/login/",
        "/account/register/",
        "/account/password-reset/",
        "/cart/",
    ],
)
def test_every_control_on_an_anonymous_page_is_labelled(client, market, path):
    # given the demo-like market
    # when an anonymous visitor opens a storefront page
    response = client.get(path)
    # then every form control on it is labelled
    assert response.status_code == 200
    assert unlabelled_controls(response.content.decode()) == []


def test_every_control_on_the_category_page_is_labelled(client, market):
    # given a category with a product
    category = market.product.category
    # when its listing (with the filters form) is shown
    response = client.get(f"/c/{category.slug}/")
    # then every form control on it is labelled
    assert response.status_code == 200
    assert unlabelled_controls(response.content.decode()) == []


def test_every_control_on_the_cart_and_checkout_of_a_buyer_is_labelled(market, signed_in):
    # given a signed-in buyer with two sellers' offers in the cart
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    browser = signed_in(market.buyer)
    # when the cart and the checkout are shown
    pages = [browser.get(path) for path in ["/cart/", "/checkout/", "/orders/"]]
    # then every form control on them is labelled
    assert [response.status_code for response in pages] == [200, 200, 200]
    assert [unlabelled_controls(response.content.decode()) for response in pages] == [[], [], []]
