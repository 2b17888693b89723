"""The seller's offers: search and filter, inline price and stock edits, the full edit page,
and a new offer on a product already in the catalog."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.catalog.selectors import attach_product_names, attach_variant_labels
from caravan.kernel.errors import DomainError, NotFound
from caravan.kernel.money import Money
from caravan.offers.matching import find_catalog_products, get_offerable_variant
from caravan.offers.models import Offer
from caravan.offers.selectors import (
    LOW_STOCK_THRESHOLD,
    OfferFilter,
    get_seller_offer,
    seller_offers_by_variant,
)
from caravan.offers.services import create_offer, update_offer
from caravan.search.selectors import find_products_to_offer, search_seller_offers

from ..access import Permission, SellerRequest, seller_view
from ..forms import NewOfferForm, OfferEditForm, OfferInlineForm, error_message

OFFERS_PER_PAGE = 25
MAX_QUERY_LENGTH = 200


def _inline_form(offer: Offer, data: Any = None) -> OfferInlineForm:
    return OfferInlineForm(
        data,
        currency=offer.currency,
        prefix=f"offer-{offer.public_id}",
        initial={"price": offer.price_amount, "stock": offer.stock_quantity},
    )


def _row(offer: Offer, form: OfferInlineForm | None = None, saved: bool = False) -> dict[str, Any]:
    return {"offer": offer, "form": form or _inline_form(offer), "saved": saved}


@seller_view(Permission.MANAGE_OFFERS)
def offer_list(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    show = request.GET.get("show", OfferFilter.ALL)
    if show not in OfferFilter.CHOICES:
        show = OfferFilter.ALL
    paginator = Paginator(
        search_seller_offers(seller=seller, text=text, show=show), OFFERS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    # Names and option labels in the seller's portal language: one query each for the page
    # in German or Chinese (none in Russian or English), not one per row.
    attach_product_names([offer.product for offer in page.object_list])
    attach_variant_labels([offer.variant for offer in page.object_list])
    return render(
        request,
        "seller_portal/offers/list.html",
        {
            "section": "offers",
            "page": page,
            "rows": [_row(offer) for offer in page.object_list],
            "text": text,
            "show": show,
            "filters": [(value, _label(value)) for value in OfferFilter.CHOICES],
            "low_stock_threshold": LOW_STOCK_THRESHOLD,
        },
    )


def _label(value: str) -> str:
    return {
        OfferFilter.ALL: _("All"),
        OfferFilter.ACTIVE: _("Active"),
        OfferFilter.INACTIVE: _("Inactive"),
        OfferFilter.LOW_STOCK: _("Low stock"),
    }[value]


def _safe_next(request: SellerRequest) -> str:
    """Back to the list page the row was posted from, never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("seller_portal:offers")


@require_POST
@seller_view(Permission.MANAGE_OFFERS)
def offer_inline_update(request: SellerRequest, public_id: str) -> HttpResponse:
    """htmx posts one row; the answer is that row again, saved or with its errors."""
    seller = request.seller_access.seller
    offer = get_seller_offer(seller=seller, public_id=public_id)
    form = _inline_form(offer, request.POST)
    saved = False
    if form.is_valid():
        try:
            offer = update_offer(
                seller=seller,
                offer_public_id=offer.public_id,
                price=Money(form.cleaned_data["price"], offer.currency),
                stock_quantity=form.cleaned_data["stock"],
            )
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            saved = True
            form = _inline_form(offer)
    if not request.htmx:  # type: ignore[attr-defined]
        if saved:
            messages.success(request, _("Offer saved."))
            return redirect(_safe_next(request))
        return render(
            request,
            "seller_portal/offers/list.html",
            {
                "section": "offers",
                "page": None,
                "rows": [_row(offer, form)],
                "text": "",
                "show": OfferFilter.ALL,
                "filters": [(value, _label(value)) for value in OfferFilter.CHOICES],
                "low_stock_threshold": LOW_STOCK_THRESHOLD,
            },
            status=400,
        )
    return render(
        request,
        "seller_portal/offers/_row.html",
        {"row": _row(offer, form, saved=saved), "low_stock_threshold": LOW_STOCK_THRESHOLD},
    )


def _terms(form: NewOfferForm | OfferEditForm, currency: str) -> dict[str, Any]:
    """The form's offer terms as the offer services take them."""
    data = form.cleaned_data
    compare_at = data["compare_at_price"]
    return {
        "price": Money(data["price"], currency),
        "compare_at_price": Money(compare_at, currency) if compare_at is not None else None,
        "stock_quantity": data["stock"],
        "handling_days": data["handling_days"],
        "max_order_quantity": data["max_order_quantity"],
        # Empty: the offer's current value, or the service's default for a new offer.
        **{
            name: data[name]
            for name in ("condition", "ships_from", "min_order_quantity")
            if data[name] not in ("", None)
        },
    }


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def offer_edit(request: SellerRequest, public_id: str) -> HttpResponse:
    seller = request.seller_access.seller
    offer = get_seller_offer(seller=seller, public_id=public_id)
    initial = {
        "price": offer.price_amount,
        "compare_at_price": offer.compare_at_amount,
        "stock": offer.stock_quantity,
        "condition": offer.condition,
        "handling_days": offer.handling_days,
        "ships_from": offer.ships_from,
        "min_order_quantity": offer.min_order_quantity,
        "max_order_quantity": offer.max_order_quantity,
        "is_active": offer.is_active,
    }
    form = OfferEditForm(
        request.POST if request.method == "POST" else None,
        currency=offer.currency,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_offer(
                seller=seller,
                offer_public_id=offer.public_id,
                is_active=form.cleaned_data["is_active"],
                **_terms(form, offer.currency),
            )
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("Offer saved."))
            return redirect("seller_portal:offers")
    return render(
        request,
        "seller_portal/offers/edit.html",
        {"section": "offers", "offer": offer, "form": form},
    )


class LookupMode:
    TEXT = "text"
    GTIN = "gtin"
    MPN = "mpn"
    CHOICES = (TEXT, GTIN, MPN)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def offer_new(request: SellerRequest) -> HttpResponse:
    """Find a catalog product by name, GTIN or brand + part number, pick a variant, set the
    terms of the offer."""
    seller = request.seller_access.seller
    mode = request.GET.get("by", LookupMode.TEXT)
    if mode not in LookupMode.CHOICES:
        mode = LookupMode.TEXT
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    gtin = request.GET.get("gtin", "").strip()[:14]
    brand = request.GET.get("brand", "").strip()[:80]
    mpn = request.GET.get("mpn", "").strip()[:64]
    variant_id = request.GET.get("variant") or request.POST.get("variant") or ""
    variant = None
    if variant_id:
        try:
            variant = get_offerable_variant(public_id=variant_id[:16])
        except NotFound:
            messages.error(request, _("This product is no longer in the catalog."))
            return redirect("seller_portal:offer_new")
    searched = {
        LookupMode.TEXT: bool(text),
        LookupMode.GTIN: bool(gtin),
        LookupMode.MPN: bool(brand and mpn),
    }[mode]
    results = []
    if searched and variant is None and mode == LookupMode.TEXT:
        # Words go through the buyers' search: word forms, transliteration, typos.
        results = [summary.product for summary in find_products_to_offer(text=text)]
    elif searched and variant is None:
        results = find_catalog_products(
            text=text if mode == LookupMode.TEXT else "",
            gtin=gtin if mode == LookupMode.GTIN else "",
            brand=brand if mode == LookupMode.MPN else "",
            mpn=mpn if mode == LookupMode.MPN else "",
        )
    variant_ids = [item.id for product in results for item in product.variants.all()]
    if variant is not None:
        variant_ids.append(variant.id)
    existing = seller_offers_by_variant(seller=seller, variant_ids=variant_ids)
    form = NewOfferForm(
        request.POST if request.method == "POST" else None,
        currency=seller.currency,
        initial={"ships_from": seller.country},
    )
    if request.method == "POST" and variant is not None and form.is_valid():
        try:
            create_offer(seller=seller, variant=variant, **_terms(form, seller.currency))
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            if variant.product.is_approved:
                note = _("Your offer on %(product)s is live.")
            else:
                note = _(
                    "Your offer on %(product)s is saved; buyers see it once the product "
                    "passes moderation."
                )
            messages.success(request, note % {"product": variant.product.name})
            return redirect("seller_portal:offers")
    return render(
        request,
        "seller_portal/offers/new.html",
        {
            "section": "offers",
            "mode": mode,
            "modes": LookupMode,
            "text": text,
            "gtin": gtin,
            "brand": brand,
            "mpn": mpn,
            "searched": searched,
            "results": [
                {
                    "product": product,
                    "variants": [(item, existing.get(item.id)) for item in product.variants.all()],
                }
                for product in results
            ],
            "variant": variant,
            "existing_offer": existing.get(variant.id) if variant is not None else None,
            "form": form,
            "currency": seller.currency,
        },
    )
