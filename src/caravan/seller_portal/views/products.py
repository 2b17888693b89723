"""The seller's own products: the list, a new product with its first offers, and edits."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caravan.catalog.selectors import list_product_translations
from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money
from caravan.offers.matching import MatchedBy
from caravan.offers.moderation import resubmit_proposal
from caravan.offers.proposals import (
    OfferTerms,
    ProposalOutcome,
    get_seller_proposal,
    list_seller_products,
    propose_product_with_offers,
    update_seller_product,
)
from caravan.offers.selectors import seller_offers_by_variant

from ..access import Permission, SellerRequest, seller_view
from ..forms import (
    ProductEditForm,
    ProductForm,
    SpecFormSet,
    VariantFormSet,
    build_product_input,
    error_message,
)

PRODUCTS_PER_PAGE = 25


@seller_view(Permission.MANAGE_PRODUCTS)
def product_list(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    paginator = Paginator(list_seller_products(seller=seller), PRODUCTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "seller_portal/products/list.html", {"section": "products", "page": page}
    )


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_PRODUCTS)
def product_new(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ProductForm(data, files)
    specs = SpecFormSet(data, prefix="spec")
    variants = VariantFormSet(data, prefix="variant", currency=seller.currency)
    if request.method == "POST" and all([form.is_valid(), specs.is_valid(), variants.is_valid()]):
        product_input = build_product_input(form=form, specs=specs, variants=variants)
        offers = [
            OfferTerms(
                price=Money(row.cleaned_data["price"], seller.currency),
                stock_quantity=row.cleaned_data["stock"],
                handling_days=row.cleaned_data["handling_days"],
            )
            for row in variants.filled_forms()
        ]
        try:
            outcome = propose_product_with_offers(
                seller=seller,
                data=product_input,
                offers=offers,
                images=form.cleaned_data["images"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            _announce(request, outcome)
            return redirect("seller_portal:offers" if outcome.matched else "seller_portal:products")
    return render(
        request,
        "seller_portal/products/new.html",
        {
            "section": "products",
            "form": form,
            "specs": specs,
            "variants": variants,
            "currency": seller.currency,
        },
    )


def _announce(request: SellerRequest, outcome: ProposalOutcome) -> None:
    """Tell the seller what proposing did: a match to an existing product, or a new one
    waiting for moderation."""
    values = {"product": outcome.product.name, "count": len(outcome.offers)}
    if outcome.match is not None:
        how = (
            _("its GTIN")
            if MatchedBy.GTIN in outcome.match.matched_by
            else _("its brand and part number")
        )
        messages.info(
            request,
            _(
                "%(product)s is already in the catalog (recognised by %(how)s), so no copy was "
                "made: your %(count)s offer(s) were added to it."
            )
            % {**values, "how": how},
        )
    else:
        messages.success(
            request,
            _(
                "%(product)s was sent for moderation with %(count)s offer(s). Buyers see it "
                "once an operator approves it."
            )
            % values,
        )


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_PRODUCTS)
def product_edit(request: SellerRequest, public_id: str) -> HttpResponse:
    seller = request.seller_access.seller
    proposal = get_seller_proposal(seller=seller, public_id=public_id)
    product = proposal.product
    initial = {
        "name_ru": product.name_ru,
        "name_en": product.name_en,
        "brand": product.brand,
        "description_ru": product.description_ru,
        "description_en": product.description_en,
    }
    if request.method == "POST":
        form = ProductEditForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            try:
                update_seller_product(
                    seller=seller,
                    public_id=product.public_id,
                    name_ru=form.cleaned_data["name_ru"],
                    name_en=form.cleaned_data["name_en"],
                    description_ru=form.cleaned_data["description_ru"],
                    description_en=form.cleaned_data["description_en"],
                    brand=form.cleaned_data["brand"],
                    new_images=form.cleaned_data["new_images"],
                )
            except DomainError as error:
                form.add_error(None, error_message(error))
            else:
                if "resubmit" in request.POST and proposal.status == proposal.Status.REJECTED:
                    return _resubmit(request, public_id=product.public_id)
                messages.success(request, _("Product saved."))
                return redirect("seller_portal:product_edit", public_id=product.public_id)
    else:
        form = ProductEditForm(initial=initial)
    variants = list(product.variants.all())
    offers = seller_offers_by_variant(seller=seller, variant_ids=[v.id for v in variants])
    return render(
        request,
        "seller_portal/products/edit.html",
        {
            "section": "products",
            "proposal": proposal,
            "product": product,
            "form": form,
            "variants": [(variant, offers.get(variant.id)) for variant in variants],
            "translated_languages": [
                row.get_language_display()
                for row in list_product_translations(product=product).values()
            ],
        },
    )


def _resubmit(request: SellerRequest, *, public_id: str) -> HttpResponse:
    try:
        resubmit_proposal(
            seller=request.seller_access.seller,
            public_id=public_id,
            actor=request.user,  # type: ignore[arg-type]
        )
    except DomainError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("Saved and sent for moderation again."))
    return redirect("seller_portal:product_edit", public_id=public_id)
