"""Content-Security-Policy, enforced on every response that does not set its own.

Every script and stylesheet is a static file served by the app (no CDN, no inline script,
style attribute or event handler in a template: the tests check the pages), so the policy
allows the app's own origin only. `data:` images are allowed for the icons stylesheets embed
(the API's Swagger page). A response that needs a stricter policy (the sandboxed message and
document frames) sets its own header, which is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"


def policy_text(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = policy_text(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if HEADER not in response.headers:
            response.headers[HEADER] = self.policy
        return response
