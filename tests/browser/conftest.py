"""Headless Chromium (Debian's package) driven by Playwright's sync API against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The steps live outside test_*.py modules; their asserts should still explain a failure.
pytest.register_assert_rewrite(
    "tests.browser.buyer_steps",
    "tests.browser.seller_steps",
    "tests.browser.listing_steps",
    "tests.browser.money_steps",
    "tests.browser.germany_steps",
    "tests.browser.helpers",
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every wait is bounded: a missing element fails in seconds, not at pytest's global timeout.
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    expect.set_options(timeout=TIMEOUT_MS)
    # Playwright's sync API keeps an event loop running in the test thread for as long as it
    # is open, and Django refuses ORM calls (the tests' own and the database flush between
    # tests) from a thread with a running loop unless told they are synchronous anyway.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    """Opens pages in fresh browser contexts (own cookies: one person each), closed after.
    Any Content-Security-Policy violation a page reports fails the test, and so does any
    serious or critical accessibility violation axe-core finds on a page it opened."""
    from .axe import AxeLog

    contexts = []
    violations: list[str] = []
    axe = AxeLog()

    def open_page(*, viewport: dict[str, int] = DESKTOP):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="en-US", timezone_id="UTC"
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS * 2)
        contexts.append(context)
        axe.install(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    _wait_for_axe(axe, contexts)
    for context in contexts:
        context.close()
    assert violations == []
    assert axe.violations == [], "axe-core found:\n" + "\n".join(axe.violations)


def _wait_for_axe(axe, contexts) -> None:  # type: ignore[no-untyped-def]
    """Lets the check of each test's last pages finish (a page left while axe ran is lost
    with its document; the pages before and after it are checked)."""
    pages = [page for context in contexts for page in context.pages if not page.is_closed()]
    for _ in range(20):
        if not pages or axe.pending() <= 0:
            return
        pages[-1].wait_for_timeout(100)


@pytest.fixture
def page_cache(settings):  # type: ignore[no-untyped-def]
    """The production default cache (per process, in memory) instead of the test suite's
    dummy one, so the anonymous page cache is on and "shows at once" is really checked."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "browser-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
