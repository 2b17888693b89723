"""Seller portal forms: they parse and check input; the services decide and write."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from caravan.catalog.identifiers import is_valid_gtin
from caravan.catalog.models import Attribute, Category
from caravan.catalog.selectors import list_attributes, list_leaf_categories
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput
from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.errors import DomainError, ValidationFailed
from caravan.kernel.money import MINOR_UNITS
from caravan.kernel.uploads import read_image
from caravan.offers.models import Offer
from caravan.offers.services import MAX_HANDLING_DAYS, MAX_ORDER_QUANTITY, MAX_STOCK

# Messages for the stable codes of kernel errors; an unknown code shows the error's own text.
ERROR_MESSAGES = {
    "tracking_required": _("Enter the carrier and the tracking number."),
    "tracking_too_long": _("The carrier or the tracking number is too long."),
    "invalid_transition": _("This order can no longer be marked shipped."),
    "price_not_positive": _("The price must be above zero."),
    "price_precision": _("Too many decimal places in the price."),
    "currency_mismatch": _("Prices must be in your shop's currency."),
    "invalid_stock": _("Stock must be between 0 and %(max_stock)s."),
    "invalid_handling_days": _("Handling time must be 0 to %(max_days)s days."),
    "offer_exists": _("You already have an offer on this variant."),
    "name_required": _("A product needs a name in Russian and English."),
    "variant_required": _("A product needs at least one variant."),
    "invalid_gtin": _("Not a valid GTIN: it has 8, 12, 13 or 14 digits, the last a check digit."),
    "unknown_attribute": _("Pick attributes from the list."),
    "not_found": _("This item no longer exists."),
    "compare_at_not_above_price": _("The compare-at price must be above the price."),
    "invalid_min_order": _("The minimum per order must be between 1 and %(max_order)s."),
    "invalid_max_order": _(
        "The maximum per order must be at least the minimum and at most %(max_order)s."
    ),
    "invalid_mpn": _("A part number has at most 64 printable characters."),
    "partial_match": _(
        "Some of these variants are already in the catalog as one product: offer on it "
        "instead, and propose only the variants it does not have."
    ),
    "ambiguous_match": _(
        "These variants belong to different products already in the catalog: offer on each "
        "of them instead."
    ),
    "duplicate_variant": _("Two of these variants are the same catalog variant."),
}


def error_message(error: DomainError) -> str:
    message = ERROR_MESSAGES.get(error.code)
    if message is None:
        return error.message
    return str(message) % {
        "max_stock": MAX_STOCK,
        "max_days": MAX_HANDLING_DAYS,
        "max_order": MAX_ORDER_QUANTITY,
    }


MAX_PRICE = Decimal("999999999999.99")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class PriceField(forms.Field):
    """A price typed by a person: "1 499,90" and "1499.90" both mean 1499.90."""

    widget = forms.TextInput
    max_length = 24

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Price"))
        super().__init__(**kwargs)
        self.currency: str | None = None
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": self.max_length}
        )

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        invalid = ValidationError(
            _("Enter a price as a number, for example 1499.90."), code="invalid_price"
        )
        if len(text) > self.max_length:
            raise invalid
        text = _SPACES.sub("", text).replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise invalid from error
        if not amount.is_finite():
            raise invalid
        if amount <= 0:
            raise ValidationError(_("The price must be above zero."), code="price_not_positive")
        if amount > MAX_PRICE:
            raise ValidationError(_("This price is too large."), code="price_too_large")
        places = MINOR_UNITS.get(self.currency or "", 2)
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValidationError(
                _("Use at most %(places)s decimal places.") % {"places": places},
                code="price_precision",
            )
        return amount


def _stock_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=MAX_STOCK,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        **kwargs,
    )


def _handling_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Handling days"),
        min_value=0,
        max_value=MAX_HANDLING_DAYS,
        help_text=_("Days from payment to hand-over to the carrier."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        **kwargs,
    )


class CurrencyFormMixin:
    """Tells every price field the seller's currency, for its decimal places."""

    fields: dict[str, forms.Field]

    def set_currency(self, currency: str) -> None:
        for field in self.fields.values():
            if isinstance(field, PriceField):
                field.currency = currency
                field.widget.attrs["placeholder"] = currency


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=80)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class CancelForm(forms.Form):
    """The seller cannot fulfil a paid parcel: the buyer reads the reason."""

    reason = forms.CharField(
        label=_("Why can you not fulfil it?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The buyer reads this. The order is cancelled and paid back in full."),
    )


class OfferInlineForm(CurrencyFormMixin, forms.Form):
    """One row of the offers table. Its inputs sit in table cells, tied to the row's <form>
    element by the HTML form attribute (a form cannot wrap a table row)."""

    price = PriceField()
    stock = _stock_field()

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_currency(currency)
        for name, field in self.fields.items():
            field.widget.attrs.update({"form": self.form_id, "aria-label": str(field.label)})
            field.widget.attrs["class"] = f"inline-input inline-{name}"

    @property
    def form_id(self) -> str:
        return f"{self.prefix}-form"


def _order_limit_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_ORDER_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        **kwargs,
    )


class OfferTermsForm(CurrencyFormMixin, forms.Form):
    """Everything a seller sets on an offer; the offer services check the terms as a whole."""

    price = PriceField()
    compare_at_price = PriceField(
        label=_("Compare-at price"),
        required=False,
        help_text=_("Optional: the former price, shown struck through. Must be above the price."),
    )
    stock = _stock_field()
    # Left out of a post, these keep the offer's current value (or the default for a new
    # offer), so a client that sends only price and stock changes only those.
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Offer.Condition.choices,
        initial=Offer.Condition.NEW,
        required=False,
    )
    handling_days = _handling_field(initial=1)
    ships_from = forms.ChoiceField(label=_("Ships from"), choices=COUNTRY_CHOICES, required=False)
    min_order_quantity = _order_limit_field(_("Minimum per order"), initial=1, required=False)
    max_order_quantity = _order_limit_field(
        _("Maximum per order"), required=False, help_text=_("Empty: no limit of your own.")
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_currency(currency)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        price, compare_at = cleaned.get("price"), cleaned.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at <= price:
            self.add_error(
                "compare_at_price",
                ValidationError(
                    _("The compare-at price must be above the price."),
                    code="compare_at_not_above_price",
                ),
            )
        minimum = cleaned.get("min_order_quantity") or 1
        maximum = cleaned.get("max_order_quantity")
        if maximum is not None and maximum < minimum:
            self.add_error(
                "max_order_quantity",
                ValidationError(
                    _("The maximum cannot be below the minimum."), code="invalid_max_order"
                ),
            )
        return cleaned


class OfferEditForm(OfferTermsForm):
    is_active = forms.BooleanField(
        label=_("Active: buyers can see and buy this offer"), required=False
    )


class NewOfferForm(OfferTermsForm):
    pass


# Images: the bytes decide, not the file name or the browser's content type.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGES = 8


def validate_image(upload: UploadedFile) -> File:
    """The picture re-encoded without its metadata (kernel.uploads.read_image), named by its
    real type; a ValidationError that names the file otherwise."""
    name = upload.name or "image"
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB.") % {"name": name}, code="image_too_large"
        )
    try:
        image = read_image(upload)
    except ValidationFailed as error:
        raise ValidationError(f"{name}: {error.message}", code=error.code) from error
    stem = PurePath(name).stem[:80] or "image"
    return ContentFile(image.content, name=f"{stem}.{image.extension}")


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "image/png,image/jpeg,image/webp"

    def clean(self, data: Any, initial: Any = None) -> list[File]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > MAX_IMAGES:
            raise ValidationError(
                _("Upload at most %(count)s images.") % {"count": MAX_IMAGES}, code="too_many"
            )
        checked = [super(MultipleImageField, self).clean(upload, initial) for upload in uploads]
        cleaned: list[File] = []
        errors: list[ValidationError] = []
        for upload in checked:
            try:
                cleaned.append(validate_image(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:  # type: ignore[override]
        return f"{obj.parent.name} › {obj.name}" if obj.parent else obj.name


class AttributeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Attribute) -> str:  # type: ignore[override]
        return obj.name


def _text(label: Any, *, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


class ProductForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose a category")
    )
    name_ru = _text(_("Name in Russian"), max_length=200, required=True)
    name_en = _text(_("Name in English"), max_length=200, required=True)
    brand = _text(_("Brand"), max_length=80)
    description_ru = forms.CharField(
        label=_("Description in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    images = MultipleImageField(
        label=_("Images"),
        help_text=_("PNG, JPEG or WebP, up to 5 MB each. The first one is the cover."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = list_leaf_categories().order_by(
            "parent__position", "parent__slug", "position", "slug"
        )


class ProductEditForm(forms.Form):
    name_ru = _text(_("Name in Russian"), max_length=200, required=True)
    name_en = _text(_("Name in English"), max_length=200, required=True)
    brand = _text(_("Brand"), max_length=80)
    description_ru = forms.CharField(
        label=_("Description in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    new_images = MultipleImageField(
        label=_("Add images"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB each."),
    )


class _AttributeRowForm(forms.Form):
    attribute = AttributeChoiceField(
        label=_("Attribute"), queryset=Attribute.objects.none(), required=False
    )
    value_ru = _text(_("Value (ru)"), max_length=200)
    value_en = _text(_("Value (en)"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attribute_field = self.fields["attribute"]
        assert isinstance(attribute_field, forms.ModelChoiceField)
        attribute_field.queryset = list_attributes()
        attribute_field.empty_label = "—"
        for name in ("value_ru", "value_en"):
            self.fields[name].widget.attrs["placeholder"] = str(self.fields[name].label)
        # The rows show their column names once, above the first row: each input carries its
        # own name for a screen reader (a placeholder is not one).
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def option(self) -> AttributeInput | None:
        attribute = self.cleaned_data.get("attribute")
        if attribute is None:
            return None
        return AttributeInput(
            attribute.code, self.cleaned_data["value_ru"], self.cleaned_data["value_en"]
        )

    def _check_attribute_values(self) -> None:
        data = self.cleaned_data
        has_values = bool(data.get("value_ru") or data.get("value_en"))
        if data.get("attribute") is not None and not (
            data.get("value_ru") and data.get("value_en")
        ):
            raise ValidationError(_("Give the value in Russian and in English."))
        if data.get("attribute") is None and has_values:
            raise ValidationError(_("Choose the attribute this value belongs to."))


class SpecForm(_AttributeRowForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_attribute_values()
        return cleaned


class VariantForm(CurrencyFormMixin, _AttributeRowForm):
    attribute = AttributeChoiceField(
        label=_("Option"), queryset=Attribute.objects.none(), required=False
    )
    gtin = _text(_("GTIN / EAN"), max_length=14)
    mpn = _text(_("Part number (MPN)"), max_length=64)
    price = PriceField()
    stock = _stock_field()
    handling_days = _handling_field(initial=1)

    def clean_gtin(self) -> str:
        gtin: str = self.cleaned_data["gtin"].strip()
        if gtin and not is_valid_gtin(gtin):
            raise ValidationError(
                _("Not a valid GTIN: it has 8, 12, 13 or 14 digits, the last a check digit."),
                code="invalid_gtin",
            )
        return gtin

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_attribute_values()
        return cleaned


class _RowFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[Any]:
        return [form for form in self.forms if form.has_changed() and form.is_valid()]

    def extra_rows_used(self) -> bool:
        """Whether the rows after the first hold input, so the page shows them unfolded."""
        return self.is_bound and any(form.has_changed() for form in self.forms[1:])


class BaseSpecFormSet(_RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        codes = [form.cleaned_data["attribute"].code for form in self.filled_forms()]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Each attribute can appear once in the specification."))

    def specs(self) -> list[AttributeInput]:
        return [option for form in self.filled_forms() if (option := form.option())]


class BaseVariantFormSet(_RowFormSet):
    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form in self.forms:
            form.set_currency(currency)
            # A row counts as filled once the seller types into it; the default
            # handling time alone does not make a variant.
            form.empty_permitted = form.prefix != f"{self.prefix}-0"

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = self.filled_forms()
        if not filled:
            raise ValidationError(_("Add at least one variant with its price and stock."))
        options = [form.option() for form in filled]
        if len(filled) > 1 and any(option is None for option in options):
            raise ValidationError(
                _("With several variants, each needs an option such as a colour or a size.")
            )
        keys = [(option.code, option.value_en.lower()) for option in options if option]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Two variants have the same option value."))

    def variants(self) -> list[VariantInput]:
        return [
            VariantInput(
                options=[option] if (option := form.option()) else [],
                gtin=form.cleaned_data["gtin"],
                mpn=form.cleaned_data["mpn"].strip(),
            )
            for form in self.filled_forms()
        ]


MAX_ROWS = 5
SpecFormSet = cast(
    type[BaseSpecFormSet],
    forms.formset_factory(
        SpecForm, formset=BaseSpecFormSet, extra=MAX_ROWS, max_num=MAX_ROWS, validate_max=True
    ),
)
VariantFormSet = cast(
    type[BaseVariantFormSet],
    forms.formset_factory(
        VariantForm,
        formset=BaseVariantFormSet,
        extra=MAX_ROWS,
        max_num=MAX_ROWS,
        validate_max=True,
    ),
)


def build_product_input(
    *, form: ProductForm, specs: BaseSpecFormSet, variants: BaseVariantFormSet
) -> ProductInput:
    data = form.cleaned_data
    return ProductInput(
        category=data["category"],
        name_ru=data["name_ru"],
        name_en=data["name_en"],
        brand=data["brand"],
        description_ru=data["description_ru"],
        description_en=data["description_en"],
        specs=specs.specs(),
        variants=variants.variants(),
    )
