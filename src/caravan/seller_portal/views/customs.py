"""A product's customs details, edited by the seller who proposed it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caravan.catalog.services import update_customs_details
from caravan.kernel.errors import DomainError
from caravan.offers.proposals import get_seller_proposal

from ..access import Permission, SellerRequest, seller_view
from ..customs_forms import ProductCustomsForm, VariantMeasurementsForm
from ..forms import error_message


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_PRODUCTS)
def product_customs(request: SellerRequest, public_id: str) -> HttpResponse:
    proposal = get_seller_proposal(seller=request.seller_access.seller, public_id=public_id)
    product = proposal.product
    data = request.POST if request.method == "POST" else None
    form = ProductCustomsForm(data, initial=ProductCustomsForm.initial_for(product))
    rows = [VariantMeasurementsForm(data, variant=variant) for variant in product.variants.all()]
    if request.method == "POST" and all([form.is_valid(), *[row.is_valid() for row in rows]]):
        try:
            update_customs_details(
                product=product,
                hs_code=form.cleaned_data["hs_code"],
                eaeu_code=form.cleaned_data["eaeu_code"],
                origin_country=form.cleaned_data["origin_country"],
                measurements={row.variant.id: row.measurements() for row in rows},
            )
        except DomainError as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("Customs details saved."))
            return redirect("seller_portal:product_edit", public_id=product.public_id)
    return render(
        request,
        "seller_portal/products/customs.html",
        {"section": "products", "product": product, "form": form, "rows": rows},
    )
