"""The product's translations page: the name and description in each language that has no
column of its own (Russian and English are edited on the product page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import ProductTranslation
from caravan.catalog.selectors import AttributeValueGroup
from caravan.catalog.services import TranslationInput
from caravan.catalog.translations import COLUMN_LANGUAGES


def translated_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES if code not in COLUMN_LANGUAGES]


class OriginalLanguageForm(forms.Form):
    original_language = forms.ChoiceField(
        label=_("Language you wrote the product in"),
        choices=settings.LANGUAGES,
        help_text=_(
            "Buyers whose language has no translation read your English text, or this language"
            " when there is no English."
        ),
    )


class TranslationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        data: Any,
        *,
        language: str,
        language_name: str,
        existing: ProductTranslation | None,
        values: list[AttributeValueGroup] = [],  # noqa: B006 (never mutated)
    ) -> None:
        initial = {"name": existing.name, "description": existing.description} if existing else {}
        super().__init__(data, prefix=language, initial=initial)
        self.language = language
        self.language_name = language_name
        # One box per distinct attribute value, labelled with what the buyer would otherwise
        # read ("Colour: Black"): the seller's own free text, so the seller translates it.
        self.values = {f"value_{group.value_ids[0]}": group for group in values}
        for name, group in self.values.items():
            original = (
                group.value_en
                if group.value_en == group.value_ru
                else (f"{group.value_ru} / {group.value_en}")
            )
            self.fields[name] = forms.CharField(
                label=f"{group.attribute.name}: {original}",
                max_length=200,
                required=False,
                initial=group.translations.get(language, ""),
            )
        # The browser spell-checks and screen readers pronounce each box in its language.
        for field in self.fields.values():
            field.widget.attrs["lang"] = language

    def translation(self) -> TranslationInput:
        return TranslationInput(
            name=self.cleaned_data["name"], description=self.cleaned_data["description"]
        )

    def value_translations(self) -> dict[int, str]:
        """The translated values by attribute value id (every row of each group)."""
        return {
            value_id: self.cleaned_data[name]
            for name, group in self.values.items()
            for value_id in group.value_ids
        }

    def value_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.values]
