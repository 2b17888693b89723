"""Colour contrast at WCAG AA: the stylesheet's colour pairs, computed with the WCAG 2 formula."""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[2] / "static" / "caravan" / "css"
NORMAL_TEXT = 4.5
WHITE = "#ffffff"

LIGHT_BACKGROUNDS = ["--bg", "--card", "--ok-bg", "--warn-bg", "--bad-bg", "--info-bg"]
TEXT_COLOURS = ["--ink", "--ink-2", "--muted", "--ok", "--warn", "--bad", "--brand"]


def css_variables() -> dict[str, str]:
    text = (CSS_DIR / "caravan.css").read_text() + (CSS_DIR / "seller.css").read_text()
    return {
        name: value.lower()
        for name, value in re.findall(r"(--[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", text)
    }


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_follows_the_wcag_formula():
    # given black and white, and the same colour twice
    # when their contrast is computed
    # then it is 21:1 and 1:1
    assert contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize("background", LIGHT_BACKGROUNDS)
@pytest.mark.parametrize("foreground", TEXT_COLOURS)
def test_every_text_colour_meets_aa_on_every_light_background(foreground, background):
    # given the stylesheet's custom properties
    variables = css_variables()
    # when a text colour is set on one of the light backgrounds the pages use
    ratio = contrast_ratio(variables[foreground], variables[background])
    # then the pair meets AA for normal text
    assert ratio >= NORMAL_TEXT, f"{foreground} on {background}: {ratio:.2f}"


@pytest.mark.parametrize("background", ["--brand", "--brand-dark", "--ink", "--ok", "--bad"])
def test_white_text_meets_aa_on_filled_backgrounds(background):
    # given the stylesheet's custom properties
    variables = css_variables()
    # when white text sits on a filled button, badge or header part
    ratio = contrast_ratio(WHITE, variables[background])
    # then it meets AA for normal text
    assert ratio >= NORMAL_TEXT, f"white on {background}: {ratio:.2f}"


def test_portal_accent_meets_aa_on_its_background_and_on_cards():
    # given the seller portal's accent colours
    variables = css_variables()
    # when the accent is the text colour of the current tab
    # then it meets AA on its own background and on a card
    assert (
        contrast_ratio(variables["--portal-accent"], variables["--portal-accent-bg"]) >= NORMAL_TEXT
    )
    assert contrast_ratio(variables["--portal-accent"], variables["--card"]) >= NORMAL_TEXT


def test_white_text_on_the_home_hero_and_category_marks_meets_aa():
    # given the storefront stylesheet's filled areas that carry white text
    storefront = (CSS_DIR / "storefront.css").read_text()
    hero = re.search(r"\.hero-text \{[^}]*\}", storefront)
    assert hero is not None
    marks = re.findall(r"\.category-mark \{[^}]*background: (#[0-9a-f]{6})", storefront)
    fills = re.findall(r"#[0-9a-f]{6}", hero.group(0).split("color:")[0]) + marks
    # when white is set on each gradient stop and each category mark colour
    ratios = {fill: contrast_ratio(WHITE, fill) for fill in fills}
    # then every one meets AA for normal text
    assert len(fills) >= 8
    assert all(ratio >= NORMAL_TEXT for ratio in ratios.values()), ratios
