"""Caravan speaks every language of settings.LANGUAGES from every layer: the domain catalog in
src/caravan/locale (read first, LOCALE_PATHS), then the storefront's and the seller portal's
own catalogs. English is the source language; every other one ships, and the last tests fail
the build when a string reaches one of its catalogs untranslated, fuzzy, with other
placeholders than the English, translated two ways, or not compiled."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

# The kernel may not import the apps above it (the import-linter contract), so the domain
# strings are reached through the test factories, which call the real services.
from tests.factories import fill_cart, make_user, place_market_order

from caravan.kernel.countries import country_name
from caravan.kernel.errors import OutOfStock, ValidationFailed

CARAVAN_DIR = Path(__file__).resolve().parents[2]
SOURCE_LANGUAGE = "en"
# Django's language code names the locale directory in its own spelling: zh-hans is zh_Hans.
SHIPPED_LOCALES = [
    translation.to_locale(code) for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE
]
CATALOG_DIRS = [
    CARAVAN_DIR / "locale",
    CARAVAN_DIR / "storefront" / "locale",
    CARAVAN_DIR / "seller_portal" / "locale",
]
CATALOGS = [
    directory / locale / "LC_MESSAGES" / "django.po"
    for locale in SHIPPED_LOCALES
    for directory in CATALOG_DIRS
]
# %(name)s, %s, {name} and HTML tags: what a translation must carry over unchanged.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|</?[a-z]+[^>]*>")


def catalog_id(path: Path) -> str:
    """ru-domain, de-storefront, zh_Hans-seller_portal."""
    return f"{path.parts[-3]}-{path.parts[-5]}"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def key(self) -> str:
        """The key gettext files the entry under: msgctxt, EOT, msgid."""
        if "msgctxt" in self.fields:
            return f"{self.fields['msgctxt']}\x04{self.msgid}"
        return self.msgid

    @property
    def translations(self) -> list[str]:
        return [value for name, value in self.fields.items() if name.startswith("msgstr")]


def read_catalog(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete `#~` entries are skipped, as msgfmt does)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if entry is None or (
            line.startswith(("#", "msgid ", "msgctxt ")) and "msgid" in entry.fields
        ):
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.fields[current] += ast.literal_eval(line)
        else:
            current, _, text = line.partition(" ")
            entry.fields[current] = ast.literal_eval(text)
    return entries


def lines_of(cart):
    return list(cart.lines.values_list("offer_id", "quantity"))


def test_a_domain_error_reads_in_russian_with_its_number(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 4)])

    # fill_cart adds to the buyer's one cart through cart.services.add_to_cart.
    with translation.override("ru"), pytest.raises(OutOfStock) as caught:
        fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])

    assert caught.value.message == "У этого продавца осталось только 5 шт."
    assert lines_of(cart) == [(market.offer_ru.id, 4)]


def test_a_refused_quantity_names_the_limit_in_russian(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    with translation.override("ru"), pytest.raises(ValidationFailed) as caught:
        fill_cart(user=market.buyer, lines=[(market.offer_ru, 100)])

    assert caught.value.message == "Количество должно быть от 1 до 99"
    assert lines_of(cart) == [(market.offer_ru.id, 1)]


def test_order_states_read_in_russian(market):
    order = place_market_order(market)

    with translation.override("ru"):
        order_state = order.get_status_display()
        seller_states = {
            seller_order.seller.name: seller_order.get_status_display()
            for seller_order in order.seller_orders.all()
        }

    assert order_state == "ожидает оплаты"
    assert seller_states == {"Moscow Goods": "ожидает оплаты", "Shenzhen Tech": "ожидает оплаты"}


def test_country_names_read_in_russian():
    with translation.override("ru"):
        names = [country_name(code) for code in ("CN", "US", "GB", "BY")]

    assert names == ["Китай", "США", "Великобритания", "Беларусь"]


def test_the_storefront_answers_in_russian_to_accept_language(client, market):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<html lang="ru">' in html
    assert 'placeholder="Искать среди миллионов товаров"' in html  # base.html
    assert ">Войти</a>" in html  # _user_nav.html
    assert "Товары продавцов из разных стран в одной корзине" in html  # storefront/home.html
    assert "Беспроводные наушники" in html  # the product's own Russian name


def test_the_seller_portal_answers_in_russian_to_the_language_cookie(client, db):
    client.force_login(make_user(email="shopper@example.com"))
    client.cookies["django_language"] = "ru"

    response = client.get("/seller/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Кабинет продавца — для сотрудников магазинов</h1>" in html
    assert "Вы вошли как shopper@example.com, а эта учётная запись" in html


def test_every_language_but_english_ships_all_three_catalogs():
    assert SHIPPED_LOCALES == ["ru", "de", "zh_Hans"]
    assert [path for path in CATALOGS if not path.is_file()] == []


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_every_catalog_entry_is_translated_and_reviewed(path):
    entries = read_catalog(path)

    untranslated = [
        (entry.line, entry.msgid) for entry in entries if entry.msgid and "" in entry.translations
    ]
    fuzzy = [(entry.line, entry.msgid) for entry in entries if "fuzzy" in entry.flags]

    assert len(entries) > 100
    assert {"untranslated": untranslated, "fuzzy": fuzzy} == {"untranslated": [], "fuzzy": []}


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_every_translation_keeps_the_placeholders_of_the_english(path):
    # A lost %(count)s prints a wrong sentence; a mistyped one raises KeyError on the page.
    differing = []
    for entry in read_catalog(path):
        if not entry.msgid:
            continue
        english = sorted(PLACEHOLDER.findall(entry.msgid))
        plural = sorted(PLACEHOLDER.findall(entry.fields.get("msgid_plural", entry.msgid)))
        for text in entry.translations:
            if sorted(PLACEHOLDER.findall(text)) not in (english, plural):
                differing.append((entry.line, entry.msgid, text))

    assert differing == []


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_no_string_is_translated_two_ways(locale):
    # Django merges every catalog into one lookup, so the catalog it reads first would
    # silently win for the whole site; a string needing two wordings needs a msgctxt.
    wordings: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for path in CATALOGS:
        if path.parts[-3] != locale:
            continue
        for entry in read_catalog(path):
            if entry.msgid:
                by_wording = wordings.setdefault(entry.key, {})
                by_wording.setdefault(tuple(entry.translations), []).append(path.parts[-5])

    conflicts = {key: found for key, found in wordings.items() if len(found) > 1}

    assert conflicts == {}


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_every_catalog_is_compiled_from_its_current_source(path):
    # Django reads only the .mo file: a .po edited without `make messages` changes nothing.
    expected: dict[object, str] = {}
    for entry in read_catalog(path):
        # msgfmt leaves out the header, fuzzy and untranslated entries (tested above).
        if not entry.msgid or "fuzzy" in entry.flags or "" in entry.translations:
            continue
        if "msgid_plural" in entry.fields:
            for index, text in enumerate(entry.translations):
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.translations[0]

    with path.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]

    assert {key: text for key, text in catalog.items() if key != ""} == expected
