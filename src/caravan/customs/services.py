"""Customs writes: loading the shipped import rules and VAT rates (customs.rule_data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from . import rule_data
from .models import ImportRule, VatRate


@dataclass(frozen=True)
class LoadResult:
    rules: int
    vat_rates: int


def upsert_rows(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, keys: tuple[str, ...]
) -> int:
    """Create or update each row by its natural key. Shared with the data migration, which
    passes its historical model."""
    # A historical model may predate fields later added to rule_data: those are left out.
    known = {field.name for field in model._meta.get_fields()}
    count = 0
    for row in rows:
        row = {name: value for name, value in row.items() if name in known}
        lookup = {key: row[key] for key in keys}
        defaults = {name: value for name, value in row.items() if name not in keys}
        model._default_manager.update_or_create(defaults=defaults, **lookup)
        count += 1
    return count


@transaction.atomic
def load_customs_rules() -> LoadResult:
    """The shipped rules and rates, again: rows are found by their natural key and brought
    in line with rule_data; rows the operator added stay as they are."""
    return LoadResult(
        rules=upsert_rows(
            ImportRule,
            rule_data.IMPORT_RULES,
            keys=("destination", "regime", "effective_from"),
        ),
        vat_rates=upsert_rows(VatRate, rule_data.VAT_RATES, keys=("country", "effective_from")),
    )
