""" "Sell on Caravan": one page explains selling and starts the application, whoever opens it."""

from urllib.parse import quote

from django.urls import reverse
from tests.factories import make_seller, make_user

from caravan.sellers.services.onboarding import save_application
from caravan.sellers.tests.helpers import RUSSIAN_COMPANY

from .portal_helpers import owner_of

SELL = "/seller/sell/"
APPLY = "/seller/apply/"


def test_an_anonymous_visitor_reads_how_selling_works_and_can_register_to_apply(client, db):
    response = client.get(SELL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "How it works" in page
    assert f'href="{reverse("storefront:register")}?next={quote(APPLY)}"' in page
    assert f'href="{reverse("storefront:login")}?next={quote(APPLY)}"' in page
    assert 'data-testid="start-application"' not in page


def test_the_sell_page_is_public_for_search_engines(client, db):
    response = client.get(SELL)

    assert "X-Robots-Tag" not in response.headers


def test_a_signed_in_buyer_starts_the_application_from_the_sell_page(client, db):
    client.force_login(make_user())

    page = client.get(SELL).content.decode()

    assert f'href="{APPLY}" data-testid="start-application"' in page
    assert 'data-testid="register-to-apply"' not in page


def test_an_applicant_with_a_draft_continues_it(client, db):
    user = make_user()
    save_application(user=user, data=RUSSIAN_COMPANY, documents=[])
    client.force_login(user)

    page = client.get(SELL).content.decode()

    assert f'href="{APPLY}" data-testid="continue-application"' in page


def test_staff_of_an_approved_shop_go_straight_to_the_portal(client, db):
    client.force_login(owner_of(make_seller()))

    response = client.get(SELL)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:dashboard")


def test_every_page_links_sell_on_caravan_to_the_sell_page(client, db):
    page = client.get(reverse("storefront:home")).content.decode()

    assert f'<a href="{SELL}">Sell on Caravan</a>' in page
    assert f'<a href="{reverse("seller_portal:dashboard")}">Sell on Caravan</a>' not in page
