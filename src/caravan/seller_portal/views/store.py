"""The shop's public face (logo, descriptions) and where its money goes (payout account)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caravan.kernel.errors import DomainError
from caravan.sellers.selectors import get_payout_details
from caravan.sellers.services.onboarding import ApplicationInvalid
from caravan.sellers.services.profile import update_payout_details, update_store_profile
from caravan.sellers.validators import bank_scheme

from ..access import Permission, SellerRequest, seller_view
from ..shop_forms import PayoutForm, StoreProfileForm


@seller_view(Permission.MANAGE_PROFILE)
@require_http_methods(["GET", "POST"])
def store_profile(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    if request.method == "POST":
        form = StoreProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                update_store_profile(
                    seller=seller,
                    actor=request.user,  # type: ignore[arg-type]
                    description_ru=form.cleaned_data["description_ru"],
                    description_en=form.cleaned_data["description_en"],
                    logo=form.cleaned_data.get("logo"),
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ApplicationInvalid as error:
                for field, errors in error.errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Store profile saved."))
                return redirect("seller_portal:store_profile")
    else:
        form = StoreProfileForm(
            initial={
                "description_ru": seller.description_ru,
                "description_en": seller.description_en,
            }
        )
    return render(
        request,
        "seller_portal/store_profile.html",
        {"section": "store", "form": form, "seller": seller},
        status=400 if form.errors else 200,
    )


@seller_view(Permission.MANAGE_PAYOUT)
@require_http_methods(["GET", "POST"])
def payout(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    details = get_payout_details(seller=seller)
    if request.method == "POST":
        form = PayoutForm(request.POST)
        if form.is_valid():
            try:
                update_payout_details(
                    seller=seller,
                    actor=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ApplicationInvalid as error:
                form.add_service_errors(error.errors)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Payout details saved."))
                return redirect("seller_portal:payout")
    else:
        form = PayoutForm(
            initial={
                "currency": details.currency,
                "bank_country": details.bank_country,
                "account_holder": details.account_holder,
                "bank_name": details.bank_name,
                "iban": details.iban,
                "bic": details.bic,
                "bik": details.bik,
                "account_number": details.account_number,
            }
        )
    return render(
        request,
        "seller_portal/payout.html",
        {
            "section": "payout",
            "form": form,
            "details": details,
            "scheme": bank_scheme(details.bank_country) if details.bank_country else "",
        },
        status=400 if form.errors else 200,
    )
