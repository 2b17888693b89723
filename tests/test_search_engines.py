"""What search engines see: robots.txt, the sitemap (home, categories, buyable products, each
with its last change), noindex on one visitor's pages, and gzip on public HTML only."""

import gzip
import re

from django.urls import reverse
from django.utils import timezone

from caravan.offers.models import ProductOfferSummary
from tests.factories import make_category, make_offer, make_product, make_seller, project


def test_robots_txt_keeps_crawlers_out_of_private_and_endless_pages_and_names_the_sitemap(
    client, db
):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /backoffice/\n"
        "Disallow: /api/\n"
        "Disallow: /sandbox/\n"
        "Disallow: /search/\n"
        "Disallow: /i18n/\n"
        "Disallow: /currency/\n"
        "\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )


def test_the_sitemap_index_lists_the_home_category_and_product_sitemaps(client, db):
    response = client.get("/sitemap.xml")

    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert response.status_code == 200
    assert locations == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-products.xml",
    ]


def test_the_product_sitemap_lists_buyable_products_with_their_last_change(client, db):
    offer = make_offer(seller=make_seller())
    not_buyable = make_product()
    project(not_buyable)
    summary = ProductOfferSummary.objects.select_related("product", "best_offer").get(
        product=offer.product
    )
    newest = max(summary.product.updated_at, summary.best_offer.updated_at)

    response = client.get("/sitemap-products.xml")

    body = response.content.decode()
    product = offer.product
    expected = reverse(
        "storefront:product_slug", kwargs={"public_id": product.public_id, "slug": product.slug}
    )
    assert re.findall(r"<loc>([^<]+)</loc>", body) == [f"http://testserver{expected}"]
    assert re.findall(r"<lastmod>([^<]+)</lastmod>", body) == [
        timezone.localdate(newest).isoformat()
    ]
    assert not_buyable.public_id not in body


def test_the_category_sitemap_dates_a_category_by_its_latest_buyable_product(client, db):
    parent = make_category(slug="phones")
    leaf = make_category(slug="smartphones", parent=parent)
    make_category(slug="empty")
    variant = make_product(category=leaf).variants.get()
    offer = make_offer(seller=make_seller(), variant=variant)
    newest = timezone.localdate(max(offer.product.updated_at, offer.updated_at)).isoformat()

    body = client.get("/sitemap-categories.xml").content.decode()

    entries = re.findall(
        r"<loc>http://testserver/c/([^/]+)/</loc>(?:<lastmod>([^<]+)</lastmod>)?",
        body.replace("\n", "").replace(" ", ""),
    )
    assert dict(entries) == {"phones": newest, "smartphones": newest, "empty": ""}


def test_private_pages_answer_noindex_and_public_ones_do_not(client, db):
    private = ["/cart/", "/checkout/", "/account/login/", "/orders/", "/seller/", "/backoffice/"]
    public = ["/", "/robots.txt", "/seller/sell/"]

    tagged = {path: client.get(path).headers.get("X-Robots-Tag") for path in private + public}

    assert tagged == {
        **{path: "noindex, nofollow" for path in private},
        **{path: None for path in public},
    }


def test_public_html_is_gzipped_when_the_browser_accepts_it(client, db):
    make_offer(seller=make_seller())

    response = client.get("/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"</html>" in gzip.decompress(response.content)


def test_private_pages_are_never_gzipped(client, db):
    response = client.get("/account/login/", headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"</html>" in response.content


def test_a_head_request_tells_the_compressed_get(client, db):
    get = client.get("/", headers={"accept-encoding": "gzip"})

    head = client.head("/", headers={"accept-encoding": "gzip"})

    assert head["Content-Encoding"] == "gzip"
    assert head.content == b""
    # Django pads each compressed response with up to 100 random bytes (BREACH).
    assert abs(int(head["Content-Length"]) - int(get["Content-Length"])) <= 100
