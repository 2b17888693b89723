"""German and Simplified Chinese, the languages added after Russian: a buyer or a seller who
asks for one of them gets the whole page, the domain's errors and the states in it, and the
language switcher offers them by their own names."""

from __future__ import annotations

import pytest
from django.utils import translation

# The kernel may not import the apps above it (the import-linter contract), so the domain
# strings are reached through the test factories, which call the real services.
from tests.factories import fill_cart, make_user, place_market_order

from caravan.kernel.countries import country_name
from caravan.kernel.errors import OutOfStock


@pytest.mark.parametrize(
    ("language", "message"),
    [("de", "Bei diesem Verkäufer nur noch 5 verfügbar"), ("zh-hans", "该卖家仅剩 5 件")],
)
def test_a_domain_error_reads_in_the_buyers_language_with_its_number(market, language, message):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 4)])

    with translation.override(language), pytest.raises(OutOfStock) as caught:
        fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])

    assert caught.value.message == message


@pytest.mark.parametrize(
    ("language", "state"), [("de", "wartet auf Zahlung"), ("zh-hans", "待付款")]
)
def test_order_states_read_in_german_and_chinese(market, language, state):
    order = place_market_order(market)

    with translation.override(language):
        states = [order.get_status_display()] + [
            seller_order.get_status_display() for seller_order in order.seller_orders.all()
        ]

    assert states == [state, state, state]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("de", ["China", "Vereinigte Staaten", "Vereinigtes Königreich", "Deutschland"]),
        ("zh-hans", ["中国", "美国", "英国", "德国"]),
    ],
)
def test_country_names_read_in_german_and_chinese(language, names):
    with translation.override(language):
        shown = [country_name(code) for code in ("CN", "US", "GB", "DE")]

    assert shown == names


def test_the_storefront_answers_in_german_to_a_german_browser(client, market):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.8").content.decode()

    assert '<html lang="de">' in html
    assert 'placeholder="Unter Millionen von Produkten suchen"' in html  # base.html
    assert ">Anmelden</a>" in html  # _user_nav.html
    assert "Waren von Verkäufern über Grenzen hinweg, in einem Warenkorb" in html  # home.html


def test_the_storefront_answers_in_simplified_chinese_to_a_browser_in_china(client, market):
    # Browsers in mainland China send zh-CN, which Django falls back to zh-hans for.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in html
    assert 'placeholder="在数百万商品中搜索"' in html
    assert ">登录</a>" in html
    assert "海外卖家的商品，一个购物车搞定" in html


def test_the_language_switcher_offers_every_language_by_its_own_name(client, market):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    offered = {
        code: html.split(f'data-testid="lang-{code}">', 1)[1].split("</button>", 1)[0]
        for code in ("ru", "en", "de", "zh-hans")
    }
    assert offered == {"ru": "RU", "en": "EN", "de": "DE", "zh-hans": "中文"}
    assert 'lang="zh-hans" title="简体中文"' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("de", "<h1>Das Verkäuferportal ist für Mitarbeiter von Shops</h1>"),
        ("zh-hans", "<h1>卖家中心仅供店铺员工使用</h1>"),
    ],
)
def test_the_seller_portal_answers_to_the_language_cookie(client, db, language, heading):
    client.force_login(make_user(email="shopper@example.com"))
    client.cookies["django_language"] = language

    response = client.get("/seller/")

    assert response.status_code == 403
    assert heading in response.content.decode()
