"""Catalog text in the buyer's language (docs/decisions/0016-languages.md, "Catalog text").

Russian and English live in the rows' own columns (`name_ru`, `name_en`: every product has
both). Any shipped language may also have a translation row (ProductTranslation,
CategoryTranslation, AttributeTranslation, AttributeValueTranslation, VariantTranslation),
which wins over a column. A product records the language its seller wrote in
(`original_language`); when the buyer's language has no text, the buyer reads the seller's
English, else the original, and the page says so (`Shown.is_original_fallback`, with the
text's `lang`).

The rows' `name` / `description` properties call `shown_text`; a selector that lists many
rows attaches their translations first (`attach_product_translations`, one query), and a
row nobody attached to reads its own translations once (one query per row, cached on it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

# The attribute a row's translations are kept under: {language: {field: text}}.
CACHE_ATTRIBUTE = "_caravan_translations"
COLUMN_LANGUAGES = ("ru", "en")
# The text fields a translation row may carry, by model: what `attach` keeps on the owner.
TEXT_FIELDS = ("name", "description", "value", "label")
# Kept out of attribute values' facet keys and labels, whose parts it separates
# (offers.facets).
FACET_LABEL_SEPARATOR = "="


def normalise_attribute_value(value: str) -> str:
    """How attribute values are compared: "Black ", "black" and "BLACK" are one value. A
    facet filter carries this form of the English value; a translation of the value is found
    by it (AttributeValueTranslation.value_key), so filtering never depends on a language."""
    return " ".join(value.replace(FACET_LABEL_SEPARATOR, "-").split()).lower()


def buyer_language() -> str:
    """The active language as settings.LANGUAGES spells it ("zh-hans", not "zh-Hans")."""
    return (get_language() or "ru").lower()


@dataclass(frozen=True)
class Shown:
    """A piece of catalog text as one buyer reads it. `language` is the text's own language
    (for the `lang` attribute); `is_original_fallback` says the buyer's language had none."""

    text: str
    language: str
    is_original_fallback: bool
    # The fallback is in the seller's original language (English, which comes first, had
    # no text): the note says "in the seller's language" rather than "not translated".
    in_original_language: bool = False


def _column(obj: Any, field: str, language: str) -> str:
    if language not in COLUMN_LANGUAGES:
        return ""
    return str(getattr(obj, f"{field}_{language}", "") or "")


def _translated(obj: Any, field: str, language: str) -> str:
    translations: dict[str, dict[str, str]] = getattr(obj, CACHE_ATTRIBUTE)
    return translations.get(language, {}).get(field, "")


def text_in(obj: Any, field: str, language: str) -> str:
    """The row's text in this language, or "" when it has none."""
    return _translated(obj, field, language) or _column(obj, field, language)


def shown_text(obj: Any, field: str, *, original_language: str = "") -> Shown:
    """The text in the buyer's language, else in English (the seller's own: every product is
    named in English too, and a German or Chinese buyer reads English far more often than
    Russian), else in the original language, else Russian."""
    if not hasattr(obj, CACHE_ATTRIBUTE):
        load = getattr(obj, "load_translations", None)
        setattr(obj, CACHE_ATTRIBUTE, load() if load is not None else {})
    language = buyer_language()
    text = text_in(obj, field, language)
    if text:
        return Shown(text=text, language=language, is_original_fallback=False)
    # A field the seller left empty in every language (a description) is no fallback.
    for fallback in ("en", original_language, "ru"):
        text = text_in(obj, field, fallback)
        if text:
            return Shown(
                text=text,
                language=fallback,
                is_original_fallback=True,
                in_original_language=fallback == original_language,
            )
    return Shown(text="", language=language, is_original_fallback=False)


def column_or_shown(obj: Any, field: str, *, original_language: str = "") -> Shown:
    """Like shown_text, but a Russian or English buyer reads the row's own columns without
    loading any translation (rows exist only for the other languages: the services refuse
    ru and en), so those pages read no translation rows at all."""
    language = buyer_language()
    if language in COLUMN_LANGUAGES:
        text = _column(obj, field, language)
        if text:
            return Shown(text=text, language=language, is_original_fallback=False)
        other = "en" if language == "ru" else "ru"
        text = _column(obj, field, other)
        return Shown(
            text=text,
            language=other,
            is_original_fallback=bool(text),
            in_original_language=other == original_language,
        )
    return shown_text(obj, field, original_language=original_language)


def attach(rows: Iterable[Any], translations: Iterable[Any], *, owner: str) -> None:
    """Keep each row's translations on it, so its `name` needs no query of its own."""
    by_owner: dict[int, dict[str, dict[str, str]]] = {}
    for translation in translations:
        fields = {name: value for name in TEXT_FIELDS if (value := getattr(translation, name, ""))}
        by_owner.setdefault(getattr(translation, f"{owner}_id"), {})[translation.language] = fields
    for row in rows:
        setattr(row, CACHE_ATTRIBUTE, by_owner.get(row.id, {}))
