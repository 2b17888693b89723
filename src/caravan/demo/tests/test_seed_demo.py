"""The demo data set: what it contains, that it comes out the same every time, and that
running it again on a loaded database changes nothing."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from caravan.accounts.models import Address, User
from caravan.catalog.models import AttributeValue, Category, Product
from caravan.demo.management.commands.seed_demo import logins_text
from caravan.demo.vocabulary import DEMO_PASSWORD
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import quote_table
from caravan.offers.models import Offer, ProductOfferSummary, ProductProposal
from caravan.sellers.models import Membership, Seller
from caravan.shipping.models import ProfileMethod

# The catalog and the sellers buyers see; the demo also leaves work for the operator.
APPROVED = Product.objects.filter(is_approved=True)
ACTIVE = Seller.objects.filter(status="active")

SMALL = "40"


def seed(*args: str) -> str:
    """Seed as `make demo` does: what its commits set off (the listing projection) runs."""
    output = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=output)
    return output.getvalue()


def catalog_snapshot() -> list[tuple[str, str, str, list[tuple[str, str, Decimal, int]]]]:
    return [
        (
            product.name_en,
            product.name_ru,
            product.category.slug,
            sorted(
                (
                    offer.seller.slug,
                    offer.variant.label_en,
                    offer.price_amount,
                    offer.stock_quantity,
                )
                for offer in product.offers.all()
            ),
        )
        for product in APPROVED.select_related("category")
        .prefetch_related("offers__seller", "offers__variant")
        .order_by("name_en")
    ]


def test_seed_demo_builds_a_marketplace_of_sellers_countries_currencies_and_categories(db):
    output = seed("--products", SMALL)

    assert ACTIVE.count() == 11
    assert set(ACTIVE.values_list("country", flat=True)) == {
        "RU",
        "CN",
        "DE",
        "TR",
        "KZ",
        "IT",
    }
    assert set(Offer.objects.values_list("currency", flat=True)) == {
        "RUB",
        "CNY",
        "EUR",
        "TRY",
        "KZT",
    }
    assert Category.objects.filter(parent__isnull=True).count() == 6
    assert Category.objects.filter(parent__isnull=False).count() == 17
    assert Category.objects.filter(parent__isnull=False, parent__parent__isnull=False).count() == 0
    leaves_with_products = set(APPROVED.values_list("category__slug", flat=True))
    assert len(leaves_with_products) == 17
    assert APPROVED.count() == 40
    assert "Demo loaded" in output


def test_every_demo_product_has_both_languages_an_image_specs_and_a_buyable_offer(db):
    seed("--products", SMALL)

    for product in APPROVED.prefetch_related("images"):
        assert product.name_ru and product.name_en
        assert product.description_ru and product.description_en
        assert product.name_ru != product.name_en
        assert product.cover_image == product.images.all()[0].image.name
        assert default_storage.exists(product.cover_image)
    assert not APPROVED.filter(offers__isnull=True).exists()
    assert ProductOfferSummary.objects.filter(is_buyable=True).count() == 40
    assert not APPROVED.exclude(
        id__in=AttributeValue.objects.filter(variant__isnull=True).values("product_id")
    ).exists()


def test_demo_pictures_are_small_600_pixel_jpegs(db):
    seed("--products", SMALL)

    for product in APPROVED.all()[:5]:
        with default_storage.open(product.cover_image) as stored:
            data = stored.read()
        picture = Image.open(io.BytesIO(data))
        assert (picture.format, picture.size) == ("JPEG", (600, 600))
        assert len(data) < 60_000


def test_sellers_price_offers_and_delivery_in_their_own_currency(db):
    seed("--products", SMALL)

    for seller in ACTIVE.all():
        assert set(seller.offers.values_list("currency", flat=True)) <= {seller.currency}
        methods = ProfileMethod.objects.filter(profile__seller=seller, profile__is_default=True)
        assert 1 <= methods.count() <= 3
        assert set(methods.values_list("currency", flat=True)) == {seller.currency}
    competed = ProductOfferSummary.objects.filter(seller_count__gte=2).count()
    assert competed >= 8
    assert Offer.objects.filter(stock_quantity__gt=0, stock_quantity__lte=3).exists()


def test_the_demo_records_the_shipped_rate_snapshot_dated_the_seeding_day(db):
    seed("--products", SMALL)

    today = timezone.localdate()
    # The demo's past orders recorded the same figures on their own days; today's come last.
    rates = {
        rate.base: (rate.rate, rate.source, rate.rate_date)
        for rate in ExchangeRate.objects.filter(quote="RUB", source="cbr-snapshot", rate_date=today)
    }
    assert set(rates) == {"BYN", "CNY", "EUR", "GBP", "JPY", "KRW", "KZT", "TRY", "USD"}
    assert rates["CNY"] == (Decimal("11.0542"), "cbr-snapshot", today)
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {
        "cbr-snapshot",
        "cbr-snapshot-cross",
        "ecb-snapshot",
        "ecb-snapshot-cross",
    }
    # Offline, a buyer paying in euros can check out a yuan offer: the rate is fresh.
    assert quote_table(currency="EUR").require_fresh("CNY").rate_date == today


def test_demo_logins_work_with_the_documented_password(db):
    output = seed("--products", SMALL)

    buyer = User.objects.get(email="buyer@caravan.demo")
    operator = User.objects.get(email="operator@caravan.demo")
    moscow = User.objects.get(email="seller.moscow@caravan.demo")
    shenzhen = User.objects.get(email="seller.shenzhen@caravan.demo")
    for user in (buyer, operator, moscow, shenzhen):
        assert user.check_password(DEMO_PASSWORD)
    assert (operator.is_staff, operator.is_superuser) == (True, True)
    assert (buyer.is_staff, moscow.is_staff) == (False, False)
    assert buyer.addresses.count() == 1
    abroad = {
        address.user.email: (address.country, address.region, address.postal_code, address.phone)
        for address in Address.objects.filter(user__email__startswith="buyer.").exclude(
            user__email="buyer.petersburg@caravan.demo"
        )
    }
    assert abroad == {
        "buyer.berlin@caravan.demo": ("DE", "", "10117", "+4930901820"),
        "buyer.almaty@caravan.demo": ("KZ", "", "050010", "+77015550123"),
        "buyer.newyork@caravan.demo": ("US", "NY", "10001", "+12125550147"),
        "buyer.shanghai@caravan.demo": ("CN", "上海市", "200120", "+8613912345678"),
    }
    assert "buyer.berlin@caravan.demo" in output
    assert "buyer.almaty@caravan.demo" in output
    owned = Membership.objects.filter(role=Membership.Role.OWNER)
    assert owned.get(user=moscow).seller.country == "RU"
    assert owned.get(user=shenzhen).seller.currency == "CNY"
    for text in (
        "buyer@caravan.demo",
        "seller.moscow@caravan.demo",
        "seller.shenzhen@caravan.demo",
        "operator@caravan.demo",
        DEMO_PASSWORD,
        "http://127.0.0.1:8000/",
        "/seller/",
        "/admin/",
    ):
        assert text in output


def test_running_seed_demo_again_changes_nothing(db):
    seed("--products", SMALL)
    before = (
        User.objects.count(),
        APPROVED.count(),
        Offer.objects.count(),
        ExchangeRate.objects.count(),
    )
    snapshot = catalog_snapshot()

    output = seed("--products", SMALL)

    after = (
        User.objects.count(),
        APPROVED.count(),
        Offer.objects.count(),
        ExchangeRate.objects.count(),
    )
    assert after == before
    assert catalog_snapshot() == snapshot
    assert "already loaded" in output
    assert "operator@caravan.demo" in output


def test_reset_reseeds_the_same_names_prices_and_stock(db):
    seed("--products", SMALL)
    first = catalog_snapshot()

    seed("--reset", "--products", SMALL)

    assert catalog_snapshot() == first
    assert APPROVED.count() == 40
    assert ACTIVE.count() == 11


def test_demo_products_keep_their_names_and_prices_across_runs_and_machines(db):
    seed("--products", SMALL)

    earphones = Product.objects.get(name_en="Klang Pulse Lite Sports Earphones with Charging Case")

    assert earphones.name_ru == "Спортивные наушники Klang Pulse Lite с зарядным кейсом"
    offers = sorted(
        (offer.seller.slug, offer.variant.label_en, offer.price_amount, offer.currency)
        for offer in earphones.offers.select_related("seller", "variant")
    )
    assert offers == [
        ("berliner-kaufhaus", "Navy", Decimal("34.99"), "EUR"),
        ("gadget-house", "Navy", Decimal("3390.00"), "RUB"),
        ("shenzhen-techdirect", "Navy", Decimal("229.00"), "CNY"),
    ]
    assert earphones.offer_summary.seller_count == 3
    assert earphones.offer_summary.best_offer.seller.slug == "shenzhen-techdirect"


@pytest.mark.django_db
def test_the_back_office_queues_have_work_waiting():
    call_command("seed_demo", products=12, stdout=io.StringIO())

    assert list(Seller.objects.exclude(status="active").values_list("name", "status")) == [
        ("Kazan Craft", "submitted")
    ]
    assert sorted(
        ProductProposal.objects.filter(status="pending").values_list("product__name_en", flat=True)
    ) == ["Volga Home 1.7 L Electric Kettle", "Volga Home Wool Throw 140x200"]


def test_the_closing_banner_names_the_address_and_port_the_demo_is_served_on():
    # given the demo served on another port
    # when the closing banner is written for it
    text = logins_text(site_url="http://127.0.0.1:8080/")
    # then it names that port and every address uses it
    lines = text.splitlines()
    assert lines[1] == "Caravan demo marketplace, served at http://127.0.0.1:8080/ (port 8080)"
    assert lines[2:5] == [
        "  storefront     http://127.0.0.1:8080/",
        "  seller portal  http://127.0.0.1:8080/seller/",
        "  back office    http://127.0.0.1:8080/backoffice/  (and the Django admin at /admin/)",
    ]
    assert ":8000" not in text


def test_the_closing_banner_defaults_to_port_8000():
    # given no address
    # when the closing banner is written
    text = logins_text()
    # then it names the default address and port
    assert text.splitlines()[1] == (
        "Caravan demo marketplace, served at http://127.0.0.1:8000/ (port 8000)"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:99999", "--url 'http://127.0.0.1:99999' has no valid port"),
        ("127.0.0.1:8080", "--url must be an http(s) address with a host, not '127.0.0.1:8080'"),
    ],
)
def test_a_bad_url_is_refused_before_anything_is_seeded(db, url, message):
    # given an empty database
    # when seed-demo is given an address it cannot name a port for
    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", products=1, url=url, stdout=io.StringIO())
    # then it says why and seeds nothing
    assert str(raised.value).startswith(message)
    assert User.objects.count() == 0


def test_make_demo_passes_its_host_and_port_to_the_banner():
    # given the Makefile
    root = Path(__file__).resolve().parents[4]
    # when `make demo` is planned for another port
    plan = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0", "PORT=8080"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # then seed-demo is told that address, and the server listens on it
    assert ".venv/bin/caravan seed-demo --url http://0.0.0.0:8080" in plan
    assert ".venv/bin/caravan runserver 0.0.0.0:8080 --noreload" in plan
