"""Catalog text in the buyer's language (docs/decisions/0016-languages.md, "Catalog text").

Russian and English live in the rows' own columns (`name_ru`, `name_en`: every product has
both). Any shipped language may also have a translation row (ProductTranslation,
CategoryTranslation), which wins over a column. A product records the language its seller
wrote in (`original_language`); when the buyer's language has no text, the buyer reads the
seller's original and the page says so (`Shown.is_original_fallback`, with the text's `lang`).

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
    # The fallback is in the seller's own language (not English because the original
    # language has no text either): the note says which.
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


def shown_text(obj: Any, field: str, *, original_language: str = "en") -> Shown:
    """The text in the buyer's language, else in the original one, else in English or
    Russian (a row always has those columns)."""
    if not hasattr(obj, CACHE_ATTRIBUTE):
        load = getattr(obj, "load_translations", None)
        setattr(obj, CACHE_ATTRIBUTE, load() if load is not None else {})
    language = buyer_language()
    text = text_in(obj, field, language)
    if text:
        return Shown(text=text, language=language, is_original_fallback=False)
    # A field the seller left empty in every language (a description) is no fallback.
    for fallback in (original_language, "en", "ru"):
        text = text_in(obj, field, fallback)
        if text:
            return Shown(
                text=text,
                language=fallback,
                is_original_fallback=True,
                in_original_language=fallback == original_language,
            )
    return Shown(text="", language=language, is_original_fallback=False)


def attach(rows: Iterable[Any], translations: Iterable[Any], *, owner: str) -> None:
    """Keep each row's translations on it, so its `name` needs no query of its own."""
    by_owner: dict[int, dict[str, dict[str, str]]] = {}
    for translation in translations:
        fields = {
            name: value
            for name in ("name", "description")
            if (value := getattr(translation, name, ""))
        }
        by_owner.setdefault(getattr(translation, f"{owner}_id"), {})[translation.language] = fields
    for row in rows:
        setattr(row, CACHE_ATTRIBUTE, by_owner.get(row.id, {}))
