"""The header's account area, the one part of a cached page rendered for each visitor."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string


def render_user_nav(request: HttpRequest) -> str:
    return render_to_string("_user_nav.html", request=request)
