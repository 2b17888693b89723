"""The axe-core check itself: a page with serious and critical violations is reported with
its rules, impacts and targets (every other browser test relies on it staying silent)."""

from __future__ import annotations

import pytest

from .axe import AxeLog
from .conftest import DESKTOP

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Probe</title></head><body><main>
<h1>Probe</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<p><a href="/a" style="display:inline-block;width:10px;height:10px">a</a><a href="/b"
 style="display:inline-block;width:10px;height:10px">b</a></p>
<p style="color:#aaa">Quiet grey text on white.</p>
</main></body></html>"""


def test_a_page_with_violations_is_reported_rule_by_rule(browser, live_server):
    # given a page served with a missing alt text, two 10 px links side by side and grey text
    log = AxeLog()
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    log.install(context)
    context.route(
        "**/axe-probe/", lambda route: route.fulfill(body=BROKEN_PAGE, content_type="text/html")
    )
    page = context.new_page()

    # when it is opened and axe has run
    page.goto("/axe-probe/")
    for _ in range(50):
        if log.checked:
            break
        page.wait_for_timeout(100)
    context.close()

    # then each failing rule is one line naming the page, rule, impact and targets
    assert log.started == ["/axe-probe/"]
    assert log.checked == ["/axe-probe/"]
    assert sorted(line.split(":", 2)[1].split(" (")[0].strip() for line in log.violations) == [
        "color-contrast",
        "image-alt",
        "target-size",
    ]
    image_alt = next(line for line in log.violations if " image-alt " in line)
    assert image_alt == (
        "/axe-probe/: image-alt (critical, 1 nodes): Images must have alternative text -> img"
    )
