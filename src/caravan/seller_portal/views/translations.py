"""A product's translations, edited by the seller who proposed it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caravan.catalog.selectors import list_attribute_value_groups, list_product_translations
from caravan.kernel.errors import DomainError
from caravan.offers.proposals import get_seller_product
from caravan.offers.translations import translate_seller_product

from ..access import Permission, SellerRequest, seller_view
from ..forms import error_message
from ..translation_forms import OriginalLanguageForm, TranslationForm, translated_languages


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_PRODUCTS)
def product_translations(request: SellerRequest, public_id: str) -> HttpResponse:
    seller = request.seller_access.seller
    product = get_seller_product(seller=seller, public_id=public_id)
    existing = list_product_translations(product=product)
    values = list_attribute_value_groups(product=product)
    data = request.POST if request.method == "POST" else None
    original = OriginalLanguageForm(data, initial={"original_language": product.original_language})
    forms = [
        TranslationForm(
            data,
            language=code,
            language_name=str(name),
            existing=existing.get(code),
            values=values,
        )
        for code, name in translated_languages()
    ]
    if request.method == "POST" and all([original.is_valid(), *[f.is_valid() for f in forms]]):
        try:
            translate_seller_product(
                seller=seller,
                public_id=public_id,
                original_language=original.cleaned_data["original_language"],
                translations={form.language: form.translation() for form in forms},
                value_translations={form.language: form.value_translations() for form in forms},
            )
        except DomainError as error:
            original.add_error(None, error_message(error))
        else:
            messages.success(request, _("Translations saved."))
            return redirect("seller_portal:product_edit", public_id=product.public_id)
    return render(
        request,
        "seller_portal/products/translations.html",
        {"section": "products", "product": product, "original": original, "forms": forms},
    )
