from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import operator_required


@operator_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html")
