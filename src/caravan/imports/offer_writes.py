"""The batched UPDATE of existing offers an import applies."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Field

from caravan.offers.models import Offer

# Every column an import may change on an existing offer.
UPDATE_FIELDS = [
    "seller_sku",
    "price_amount",
    "reference_price_amount",
    "stock_quantity",
    "handling_days",
    "ships_from",
    "is_active",
    "condition",
    "compare_at_amount",
    "min_order_quantity",
    "max_order_quantity",
    "updated_at",
]


def concrete_field(name: str) -> Field[Any, Any]:
    field = Offer._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field


def update_offers(offers: list[Offer]) -> None:
    """One UPDATE statement run for every offer (executemany): Django's bulk_update builds a
    CASE expression per column and row, which costs more than the writes themselves."""
    fields = [concrete_field(name) for name in UPDATE_FIELDS]
    assignments = ", ".join(
        f"{connection.ops.quote_name(str(field.column))} = %s" for field in fields
    )
    statement = (
        f"UPDATE {connection.ops.quote_name(Offer._meta.db_table)} SET {assignments} "
        f"WHERE {connection.ops.quote_name('id')} = %s AND "
        f"{connection.ops.quote_name('seller_id')} = %s"
    )
    rows = [
        [
            *(
                field.get_db_prep_save(getattr(offer, field.attname), connection)
                for field in fields
            ),
            offer.id,
            offer.seller_id,
        ]
        for offer in offers
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)
