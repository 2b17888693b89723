from collections.abc import Sequence

from celery import shared_task

from .services import refresh_product_summaries


@shared_task(name="caravan.offers.tasks.refresh_product_summaries", acks_late=True)
def refresh_product_summaries_task(product_ids: Sequence[int]) -> int:
    # Safe to run twice: a summary is recomputed from the offers as they are now.
    return refresh_product_summaries(product_ids=product_ids)
