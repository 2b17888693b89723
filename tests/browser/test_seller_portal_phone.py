"""The seller portal on a 390 px wide phone: an owner's eleven sections wrap into rows of cells
that neither overlap nor cut a word, all inside the screen."""

from __future__ import annotations

import pytest

from caravan.seller_portal.tests.portal_helpers import owner_of
from tests.factories import PASSWORD, make_seller

from .conftest import PHONE
from .helpers import sign_in

pytestmark = pytest.mark.browser

NAV_BOXES = """els => els.map(e => {
  const r = e.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          clipped: e.scrollWidth > e.clientWidth, height: r.height};
})"""


def overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j
        and a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    ]


def test_an_owner_sees_every_portal_section_on_a_phone(new_page, screenshot_dir):  # type: ignore[no-untyped-def]
    owner = owner_of(make_seller(name="Moscow Goods"))
    page = new_page(viewport=PHONE)
    sign_in(page, email=owner.email, password=PASSWORD, next_url="/seller/")

    boxes = page.eval_on_selector_all(".portal-nav a", NAV_BOXES)
    page.screenshot(path=str(screenshot_dir / "seller-portal-390.png"))

    assert len(boxes) == 11
    assert overlapping(boxes) == []
    assert [index for index, box in enumerate(boxes) if box["clipped"]] == []
    assert [index for index, box in enumerate(boxes) if box["left"] < 0 or box["right"] > 390] == []
    assert min(box["height"] for box in boxes) >= 44
    assert page.evaluate("document.documentElement.scrollWidth") == 390
