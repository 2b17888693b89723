"""The product's translations page: the name and description in each language that has no
column of its own (Russian and English are edited on the product page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import ProductTranslation
from caravan.catalog.services import TranslationInput
from caravan.catalog.translations import COLUMN_LANGUAGES


def translated_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES if code not in COLUMN_LANGUAGES]


class OriginalLanguageForm(forms.Form):
    original_language = forms.ChoiceField(
        label=_("Language you wrote the product in"),
        choices=settings.LANGUAGES,
        help_text=_("Buyers whose language has no translation read the product in this one."),
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
    ) -> None:
        initial = {"name": existing.name, "description": existing.description} if existing else {}
        super().__init__(data, prefix=language, initial=initial)
        self.language = language
        self.language_name = language_name
        # The browser spell-checks and screen readers pronounce each box in its language.
        for field in self.fields.values():
            field.widget.attrs["lang"] = language

    def translation(self) -> TranslationInput:
        return TranslationInput(
            name=self.cleaned_data["name"], description=self.cleaned_data["description"]
        )
