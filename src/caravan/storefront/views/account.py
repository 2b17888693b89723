"""Sign in, register, sign out. Signing in or registering keeps the anonymous cart."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caravan.accounts.services import register_user
from caravan.kernel.errors import ValidationFailed

from ..forms import RegisterForm, SignInForm
from ..session import sign_in, sign_out
from .common import error_message, safe_next

FIELD_OF_ERROR = {"email_taken": "email", "invalid_email": "email", "weak_password": "password"}


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sign_in(request, form.get_user())
        return redirect(next_url)
    return render(request, "storefront/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = register_user(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationFailed as error:
            form.add_error(FIELD_OF_ERROR.get(error.code), error_message(error))
        else:
            sign_in(request, user)
            return redirect(next_url)
    return render(request, "storefront/register.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    return redirect("storefront:home")
