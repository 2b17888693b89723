"""Sign in, register, reset a password, sign out. Signing in keeps the anonymous cart.

Each door is throttled (accounts.throttling): a refusal is the form's error with status 429.
Registration and password reset answer the same page whether or not the email has an
account; the address gets a message instead (issue 11)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caravan.accounts import throttling
from caravan.accounts.services import (
    RegistrationLinks,
    complete_registration,
    start_registration,
)
from caravan.kernel.errors import ValidationFailed

from ..forms import PasswordResetRequestForm, RegisterForm, SignInForm
from ..preferences import with_buyer_language
from ..session import sign_in, sign_out
from .common import error_message, safe_next

FIELD_OF_ERROR = {"invalid_email": "email", "weak_password": "password"}
REGISTRATION_EMAIL_SESSION_KEY = "registration_email"
TOO_MANY_REQUESTS = 429


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sign_in(request, form.get_user())
        return with_buyer_language(request, redirect(next_url))
    status = TOO_MANY_REQUESTS if form.is_bound and form.is_throttled else 200
    return render(request, "storefront/login.html", {"form": form, "next": next_url}, status=status)


def _registration_links(request: HttpRequest) -> RegistrationLinks:
    def confirm(token: str) -> str:
        return request.build_absolute_uri(reverse("storefront:register_confirm", args=[token]))

    return RegistrationLinks(
        confirm=confirm,
        sign_in=request.build_absolute_uri(reverse("storefront:login")),
        password_reset=request.build_absolute_uri(reverse("storefront:password_reset")),
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = RegisterForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        try:
            throttling.attempt(request, throttling.REGISTRATION, account=email)
            start_registration(
                email=email,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                next_path=next_url,
                links=_registration_links(request),
            )
        except throttling.Throttled as refusal:
            form.add_error(None, refusal.message)
            status = TOO_MANY_REQUESTS
        except ValidationFailed as error:
            form.add_error(FIELD_OF_ERROR.get(error.code), error_message(error))
        else:
            request.session[REGISTRATION_EMAIL_SESSION_KEY] = email
            return redirect("storefront:register_sent")
    return render(
        request, "storefront/register.html", {"form": form, "next": next_url}, status=status
    )


@require_GET
def register_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/register_sent.html",
        {"email": request.session.get(REGISTRATION_EMAIL_SESSION_KEY, "")},
    )


@require_GET
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = complete_registration(token=token)
    except ValidationFailed as error:
        return render(
            request, "storefront/register_invalid.html", {"message": error.message}, status=400
        )
    sign_in(request, registration.user)
    request.session.pop(REGISTRATION_EMAIL_SESSION_KEY, None)
    target = registration.next_path
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("storefront:home")
    return with_buyer_language(request, redirect(target))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset (one-time link by email; nothing is sent, and nothing said, for an
    address without an account), throttled per address and per IP."""

    form_class = PasswordResetRequestForm
    template_name = "storefront/password_reset.html"
    email_template_name = "storefront/password_reset_email.txt"
    subject_template_name = "storefront/password_reset_subject.txt"
    success_url = reverse_lazy("storefront:password_reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            throttling.attempt(
                self.request,
                throttling.PASSWORD_RESET,
                account=form.cleaned_data["email"].strip().lower(),
            )
        except throttling.Throttled as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(
                self.get_context_data(form=form), status=TOO_MANY_REQUESTS
            )
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "storefront/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "storefront/password_reset_confirm.html"
    success_url = reverse_lazy("storefront:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "storefront/password_reset_complete.html"


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    return redirect("storefront:home")
