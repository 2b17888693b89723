"""Forms of the back office's finance pages. They check the shape of the input; the rules
(how much can be refunded, what a commission rule may be) are the services' and come back as
form errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caravan.catalog.models import Category
from caravan.kernel.money import CURRENCY_CHOICES
from caravan.orders.models import OrderLine, SellerOrder
from caravan.payouts.statements import MAX_STATEMENT_BYTES
from caravan.sellers.models import Seller

REASON_MAX = 255


def query_without_page(data: QueryDict) -> str:
    """The current filters, for the pagination links."""
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


class RefundForm(forms.Form):
    """An amount in the buyer currency, or quantities per line; always a reason."""

    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("In the currency the buyer paid. Leave empty to refund lines."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, seller_order: SellerOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seller_order = seller_order
        self.order_lines: list[OrderLine] = list(seller_order.lines.all())
        for line in self.order_lines:
            self.fields[self.line_field(line)] = forms.IntegerField(
                label=line.product_name,
                required=False,
                min_value=0,
                max_value=line.quantity,
            )

    @staticmethod
    def line_field(line: OrderLine) -> str:
        return f"line_{line.id}"

    def line_rows(self) -> list[tuple[OrderLine, forms.BoundField]]:
        return [(line, self[self.line_field(line)]) for line in self.order_lines]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [
            (line.id, cleaned[self.line_field(line)])
            for line in self.order_lines
            if cleaned.get(self.line_field(line))
        ]
        amount: Decimal | None = cleaned.get("amount")
        if amount is not None and lines:
            raise forms.ValidationError(_("Refund either an amount or some lines, not both."))
        if amount is None and not lines and not self.errors:
            raise forms.ValidationError(_("Enter an amount or the quantities to refund."))
        if amount is not None and amount <= 0:
            self.add_error("amount", _("Enter a positive amount."))
        cleaned["lines"] = lines
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement (CSV)"),
        help_text=gettext_lazy(
            "Columns: payout id, status (settled, failed or returned), reason. Up to 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The statement is larger than 5 MB"))
        return upload


class ReconcileForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Provider"))
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, providers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in providers]


class CommissionRateForm(forms.Form):
    percent = forms.DecimalField(
        label=gettext_lazy("Percent"), max_digits=7, decimal_places=4, min_value=Decimal(0)
    )
    minimum_fee = forms.DecimalField(
        label=gettext_lazy("Minimum fee per line"),
        max_digits=16,
        decimal_places=4,
        min_value=Decimal(0),
        initial=Decimal(0),
    )
    minimum_fee_currency = forms.ChoiceField(
        label=gettext_lazy("Minimum fee currency"), choices=CURRENCY_CHOICES
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)


class CommissionRuleForm(CommissionRateForm):
    """A new rule: its scope (category, seller; empty means every one) and its rate."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every category"),
    )
    seller = forms.ModelChoiceField(
        label=gettext_lazy("Seller"),
        queryset=Seller.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every seller"),
    )
    field_order = ["category", "seller", "percent", "minimum_fee", "minimum_fee_currency", "note"]

    def __init__(self, *args: Any, categories: Any, sellers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        seller = self.fields["seller"]
        assert isinstance(category, forms.ModelChoiceField)
        assert isinstance(seller, forms.ModelChoiceField)
        category.queryset = categories
        seller.queryset = sellers


# Which field a service's error code belongs to; the rest go on top of the form.
COMMISSION_ERROR_FIELDS = {
    "percent_invalid": "percent",
    "percent_out_of_range": "percent",
    "percent_precision": "percent",
    "currency_unknown": "minimum_fee_currency",
    "minimum_negative": "minimum_fee",
    "minimum_too_large": "minimum_fee",
    "minimum_precision": "minimum_fee",
    "note_too_long": "note",
}
