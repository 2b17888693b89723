"""axe-core on every page a browser test opens (issue 11): axe.min.js, as shipped inside the
axe-playwright-python package, is added to every document by an init script and runs once the
page has loaded; its serious and critical violations are reported back through a binding and
fail the test at teardown, with the page, rule, impact and target selectors.

An init script and a binding, not `page.evaluate` after each step: Playwright's sync API runs
event handlers concurrently with the test, so an evaluate from a load handler races the next
click. Neither is subject to the page's Content-Security-Policy (both go through the DevTools
protocol), so the policy stays in enforcement mode while axe runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
FAILING_IMPACTS = ("serious", "critical")
# Every rule axe enables by default (WCAG 2.0-2.2 A/AA and best practices), plus WCAG 2.2's
# target size (2.5.8, 24x24 CSS px), which axe leaves off unless asked.
RUN_OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}

RUNNER = """
(() => {
  // about:blank (a new tab before its first navigation) is no page of ours.
  if (window.top !== window || !window.axe || !location.protocol.startsWith("http")) return;
  const check = () => {
    const url = location.pathname + location.search;
    window.__axeStarted(url);
    axe.run(document, OPTIONS).then((results) => {
      const failing = results.violations
        .filter((rule) => IMPACTS.includes(rule.impact))
        .map((rule) => ({
          id: rule.id,
          impact: rule.impact,
          help: rule.help,
          targets: rule.nodes.slice(0, 8).map((node) => node.target.join(" ")),
          count: rule.nodes.length,
        }));
      window.__axeReport(url, failing);
    });
  };
  if (document.readyState === "complete") check();
  else window.addEventListener("load", check, { once: true });
})();
""".replace("OPTIONS", json.dumps(RUN_OPTIONS)).replace(
    "IMPACTS", json.dumps(list(FAILING_IMPACTS))
)


@dataclass
class AxeLog:
    """What axe found in one test's pages: checked pages, and the failing rules by page."""

    started: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def install(self, context) -> None:  # type: ignore[no-untyped-def]
        context.expose_binding("__axeStarted", lambda source, url: self.started.append(url))
        context.expose_binding("__axeReport", lambda source, url, rules: self._report(url, rules))
        context.add_init_script(script=AXE_SOURCE + "\n" + RUNNER)

    def _report(self, url: str, rules: list[dict[str, object]]) -> None:
        self.checked.append(url)
        for rule in rules:
            targets = "; ".join(str(target) for target in rule["targets"])  # type: ignore[attr-defined]
            self.violations.append(
                f"{url}: {rule['id']} ({rule['impact']}, {rule['count']} nodes): {rule['help']}"
                f" -> {targets}"
            )

    def pending(self) -> int:
        return len(self.started) - len(self.checked)
