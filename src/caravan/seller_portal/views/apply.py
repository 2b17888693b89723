"""Applying to sell and accepting a staff invitation: the portal pages for people who are not
(yet) staff of an approved shop, so they use sign-in rather than the seller_view decorator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caravan.accounts.models import User
from caravan.kernel.errors import DomainError, NotFound
from caravan.sellers.models import Seller
from caravan.sellers.selectors import (
    find_application,
    find_invitation,
    get_membership,
    list_documents,
)
from caravan.sellers.services.onboarding import (
    ApplicationInvalid,
    DocumentUpload,
    remove_document,
    save_application,
    submit_application,
)
from caravan.sellers.services.staff import accept_invitation, invitation_problem

from ..access import resolve_seller_access
from ..shop_forms import ApplicationForm, application_initial


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _working_seller(user: User) -> Seller | None:
    """The approved (active or suspended) shop the user works for, if any."""
    try:
        seller = get_membership(user=user).seller
    except NotFound:
        return None
    return None if seller.is_applying else seller


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
def sell(request: HttpRequest) -> HttpResponse:
    """ "Sell on Caravan": one page that explains selling here and starts the application,
    for anyone; a member of an approved shop goes straight to the portal."""
    application = None
    if request.user.is_authenticated:
        user = _user(request)
        if _working_seller(user) is not None:
            return redirect("seller_portal:dashboard")
        application = find_application(user=user)
    return render(
        request,
        "seller_portal/sell.html",
        {"application": application, "apply_url": reverse("seller_portal:apply")},
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _user(request)
    if _working_seller(user) is not None:
        return redirect("seller_portal:dashboard")
    application = find_application(user=user)
    documents = list(list_documents(seller=application)) if application else []
    if application is not None and not application.can_edit_application:
        return render(
            request,
            "seller_portal/apply/status.html",
            {"application": application, "documents": documents},
        )
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("document")
            uploads = (
                [DocumentUpload(kind=form.cleaned_data.get("document_kind") or "", file=upload)]
                if upload
                else []
            )
            submitting = request.POST.get("action") == "submit"
            try:
                if submitting:
                    submit_application(
                        user=user,
                        data=form.application_input(),
                        documents=uploads,
                        site_url=site_url(request),
                    )
                else:
                    save_application(user=user, data=form.application_input(), documents=uploads)
            except ApplicationInvalid as error:
                form.add_service_errors(error.errors)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if submitting:
                    messages.success(
                        request, _("Application sent. We will email you the decision.")
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("seller_portal:apply")
    else:
        form = ApplicationForm(initial=application_initial(application))
    return render(
        request,
        "seller_portal/apply/form.html",
        {"form": form, "application": application, "documents": documents},
        status=200 if not form.errors else 400,
    )


@require_POST
def apply_document_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        remove_document(user=_user(request), document_public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document removed."))
    return redirect("seller_portal:apply")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees whom it invites; accepting needs the invited account."""
    try:
        found = find_invitation(token=token)
    except NotFound as error:
        raise Http404(error.message) from error
    user = _user(request) if request.user.is_authenticated else None
    if request.method == "POST":
        if user is None:
            return redirect_to_login(request.get_full_path())
        try:
            accept_invitation(token=token, user=user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("seller_portal:invitation", token=token)
        messages.success(
            request, _("Welcome to the staff of %(name)s.") % {"name": found.seller.name}
        )
        landing = resolve_seller_access(request=request).landing_page()
        return redirect(landing or "storefront:home")
    problem = invitation_problem(invitation=found, user=user)
    return render(
        request,
        "seller_portal/invitation.html",
        {
            "invitation": found,
            "problem": problem.message if problem else "",
            "next": request.get_full_path(),
        },
    )
