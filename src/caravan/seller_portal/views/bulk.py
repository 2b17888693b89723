"""Bulk import and export of the seller's offers: upload a CSV or XLSX, read the dry-run
preview, confirm (or discard); download the offers or a template in the same format."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caravan.catalog.selectors import list_attributes, list_leaf_categories
from caravan.imports.columns import COLUMNS, REQUIRED_COLUMNS
from caravan.imports.exporting import csv_chunks, export_rows, template_rows, write_xlsx
from caravan.imports.models import OfferImport
from caravan.imports.readers import MAX_ROWS, MAX_UPLOAD_BYTES
from caravan.imports.selectors import get_seller_import, list_seller_imports
from caravan.imports.services import apply_import, discard_import, preview_import
from caravan.kernel.clock import now
from caravan.kernel.errors import DomainError

from ..access import Permission, SellerRequest, seller_view
from ..forms import error_message

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("Up to 8 MB and 20,000 rows. Nothing changes until you confirm."),
    )


def _page(request: SellerRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    seller = request.seller_access.seller
    return render(
        request,
        "seller_portal/bulk/index.html",
        {
            "section": "bulk",
            "form": form,
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS,
            "categories": list_leaf_categories().order_by("parent__position", "position", "slug"),
            "attributes": list_attributes(),
            "imports": list_seller_imports(seller=seller),
            "max_rows": MAX_ROWS,
            "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def bulk_home(request: SellerRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        offer_import = preview_import(
            seller=request.seller_access.seller,
            uploaded_by=request.user,  # type: ignore[arg-type]
            upload=form.cleaned_data["file"],
        )
    except DomainError as error:
        form.add_error("file", error_message(error))
        return _page(request, form, status=400)
    return redirect("seller_portal:bulk_preview", public_id=offer_import.public_id)


@require_GET
@seller_view(Permission.MANAGE_OFFERS)
def bulk_preview(request: SellerRequest, public_id: str) -> HttpResponse:
    offer_import = get_seller_import(seller=request.seller_access.seller, public_id=public_id)
    return render(
        request,
        "seller_portal/bulk/preview.html",
        {
            "section": "bulk",
            "offer_import": offer_import,
            "is_previewed": offer_import.status == OfferImport.Status.PREVIEWED,
            "writes": offer_import.create_count + offer_import.update_count,
            # Only the first few hundred problems are kept; say so when there were more.
            "hidden_errors": _error_rows(offer_import) < offer_import.error_count,
        },
    )


def _error_rows(offer_import: OfferImport) -> int:
    return len({error["line"] for error in offer_import.errors})


@require_POST
@seller_view(Permission.MANAGE_OFFERS)
def bulk_apply(request: SellerRequest, public_id: str) -> HttpResponse:
    try:
        offer_import = apply_import(seller=request.seller_access.seller, public_id=public_id)
    except DomainError as error:
        if error.code == "not_found":
            raise
        messages.error(request, error_message(error))
    else:
        messages.success(
            request,
            _("Done: %(created)s offers added, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": offer_import.create_count,
                "updated": offer_import.update_count,
                "unchanged": offer_import.unchanged_count,
            },
        )
    return redirect("seller_portal:bulk_preview", public_id=public_id)


@require_POST
@seller_view(Permission.MANAGE_OFFERS)
def bulk_discard(request: SellerRequest, public_id: str) -> HttpResponse:
    try:
        discard_import(seller=request.seller_access.seller, public_id=public_id)
    except DomainError as error:
        if error.code == "not_found":
            raise
        messages.error(request, error_message(error))
        return redirect("seller_portal:bulk_preview", public_id=public_id)
    messages.success(request, _("The file was discarded; nothing changed."))
    return redirect("seller_portal:bulk")


def _download(response: StreamingHttpResponse) -> HttpResponse:
    # seller_view is typed for HttpResponse; a streamed download is its sibling class.
    return cast(HttpResponse, response)


def _file_format(request: SellerRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


@require_GET
@seller_view(Permission.MANAGE_OFFERS)
def bulk_export(request: SellerRequest) -> HttpResponse:
    """Every offer of the shop, streamed: the file the import reads back unchanged."""
    seller = request.seller_access.seller
    stem = f"offers-{slugify(seller.slug or seller.public_id)}-{now():%Y%m%d}"
    rows = export_rows(seller=seller)
    if _file_format(request) == "xlsx":
        return _download(
            FileResponse(
                write_xlsx(rows),
                as_attachment=True,
                filename=f"{stem}.xlsx",
                content_type=XLSX_TYPE,
            )
        )
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return _download(response)


@require_GET
@seller_view(Permission.MANAGE_OFFERS)
def bulk_template(request: SellerRequest) -> HttpResponse:
    first = list_leaf_categories().order_by("parent__position", "position", "slug").first()
    rows = template_rows(category_slug=first.slug if first else "")
    if _file_format(request) == "xlsx":
        return _download(
            FileResponse(
                write_xlsx(rows),
                as_attachment=True,
                filename="caravan-offers-template.xlsx",
                content_type=XLSX_TYPE,
            )
        )
    response = HttpResponse("".join(csv_chunks(rows)), content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="caravan-offers-template.csv"'
    return response
