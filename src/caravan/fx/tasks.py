from celery import shared_task

from .importing import ImportResult
from .importing import refresh_rates as refresh


@shared_task(name="caravan.fx.tasks.refresh_rates")
def refresh_rates() -> dict[str, str]:
    """Celery beat's rate refresh: each feed's date and new rows, or its error code."""
    return {
        source: (
            f"{outcome.rate_date.isoformat()}: {outcome.created} new"
            if isinstance(outcome, ImportResult)
            else str(getattr(outcome, "code", type(outcome).__name__))
        )
        for source, outcome in refresh().items()
    }
