"""The shop's money: balances per currency, the statement of every ledger entry (filtered,
paginated, exported as CSV) and the payouts with their remittance advice. Owner and finance
only; everything is read for the signed-in member's own seller."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from caravan.kernel.money import CURRENCY_CHOICES
from caravan.ledger.selectors import seller_balances
from caravan.payouts.models import Payout
from caravan.payouts.selectors import get_seller_remittance, list_seller_payouts

from ..access import Permission, SellerRequest, seller_view
from ..statement import SELLER_KINDS, kind_label, seller_statement, statement_csv_rows

STATEMENT_PER_PAGE = 50
PAYOUTS_PER_PAGE = 20
CSV_TYPE = "text/csv; charset=utf-8"


class DateInput(forms.DateInput):
    input_type = "date"


class StatementFilterForm(forms.Form):
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Entry"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"), required=False, widget=DateInput
    )
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=DateInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency_field = self.fields["currency"]
        assert isinstance(currency_field, forms.ChoiceField)
        currency_field.choices = [("", _("All currencies")), *CURRENCY_CHOICES]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("All entries"))] + [
            (kind.value, kind_label(kind.value).capitalize()) for kind in SELLER_KINDS
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since: date | None = cleaned.get("since")
        until: date | None = cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The valid filters as the statement takes them; none when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "currency": data.get("currency") or None,
            "kinds": [data["kind"]] if data.get("kind") else None,
            "since": data.get("since"),
            "until": data.get("until"),
        }


@require_GET
@seller_view(Permission.VIEW_FINANCE)
def finance(request: SellerRequest) -> HttpResponse:
    """Balances per currency and the payouts, newest first."""
    seller = request.seller_access.seller
    payouts = Paginator(list_seller_payouts(seller=seller), PAYOUTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "seller_portal/finance/index.html",
        {
            "section": "finance",
            "balances": seller_balances(seller_id=seller.id),
            "payouts": payouts,
            "payout_statuses": Payout.Status,
        },
    )


@require_GET
@seller_view(Permission.VIEW_FINANCE)
def finance_statement(request: SellerRequest) -> HttpResponse:
    """Every entry on the seller's accounts, newest first, with the running balance."""
    form = StatementFilterForm(request.GET or None)
    rows = seller_statement(seller=request.seller_access.seller, **form.filters())
    rows.reverse()
    page = Paginator(rows, STATEMENT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "seller_portal/finance/statement.html",
        {
            "section": "finance",
            "form": form,
            "page": page,
            "export_query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@seller_view(Permission.VIEW_FINANCE)
def finance_statement_export(request: SellerRequest) -> HttpResponse:
    """The filtered statement as CSV, oldest first."""
    form = StatementFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "seller_portal/finance/statement.html",
            {"section": "finance", "form": form, "page": None, "export_query": ""},
            status=400,
        )
    seller = request.seller_access.seller
    rows = seller_statement(seller=seller, **form.filters())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets read the file as UTF-8
    csv.writer(buffer).writerows(statement_csv_rows(rows))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="statement-{seller.public_id}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@seller_view(Permission.VIEW_FINANCE)
def finance_remittance(request: SellerRequest, public_id: str) -> HttpResponse:
    """The remittance advice of one of the seller's own payouts (404 for anyone else's)."""
    document = get_seller_remittance(seller=request.seller_access.seller, public_id=public_id)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
