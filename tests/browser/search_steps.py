"""Issue 4 in the browser: narrowing a search by its facets, with the counts the page shows
checked against what ticking them gives, and taking a filter off again."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from caravan.catalog.models import Category

from .helpers import shot


def facet_counts(page: Page, name: str) -> dict[str, int]:
    """The options of one checkbox facet and the count shown beside each."""
    counts: dict[str, int] = {}
    for label in page.get_by_test_id(f"facet-{name}").locator("label.check").all():
        value = label.locator("input").get_attribute("value") or ""
        counts[value] = int(label.locator(".facet-count").inner_text())
    return counts


def result_count(page: Page) -> int:
    return int(re.sub(r"\D", "", page.get_by_test_id("result-count").inner_text()))


def narrow_a_search_by_facets(page: Page, shots: Path) -> None:
    # The department with the most products, searched by its English name.
    top = max(Category.objects.filter(parent=None), key=lambda c: (c.products.count(), -c.id))
    children = Category.objects.filter(parent=top)
    top = max(children, key=lambda c: (c.products.count(), -c.id)) if children else top
    page.goto(f"/search/?q={top.name_en.split()[0].lower()}")
    page.wait_for_load_state("load")
    everything = result_count(page)
    assert everything > 1

    # Each country's count is what ticking it alone gives.
    countries = facet_counts(page, "ships_from")
    assert countries, "the facet lists where the results ship from"
    country, expected = min(countries.items(), key=lambda item: (item[1], item[0]))
    page.get_by_test_id("facet-ships_from").locator(f"input[value={country}]").check()
    expect(page).to_have_url(re.compile(rf"ships_from={country}"))
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(rf"^{expected} products?$"))
    # The other countries still count what they would add.
    assert facet_counts(page, "ships_from") == countries
    expect(page.get_by_test_id("chosen-filters").locator(".chip-chosen")).to_have_count(1)

    # Fastest delivery first: the promises on the cards never get longer down the page.
    page.get_by_test_id("sort-fastest").click()
    expect(page).to_have_url(re.compile(r"sort=fastest"))
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(rf"^{expected} "))
    shot(page, shots, "09-search-facets")

    # Taking the filter off brings every result back, sorted as chosen.
    page.get_by_test_id("chosen-filters").locator(".chip-chosen").first.click()
    expect(page).not_to_have_url(re.compile(r"ships_from="))
    expect(page).to_have_url(re.compile(r"sort=fastest"))
    assert result_count(page) == everything
