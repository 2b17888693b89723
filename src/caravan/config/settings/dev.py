"""Local development and the demo. DEBUG is off unless the environment turns it on (DEBUG=1):
a visitor of the demo sees the site's own 404 and 500 pages, never Django's debug page."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BEAT_SCHEDULE, CELERY_BROKER_URL, env_bool

DEBUG = env_bool("DEBUG", False)
# Static files straight from the source tree, as runserver does with DEBUG on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Mail is printed to the console, readably (recipient, subject, plain text); the mailbox page
# /account/messages/ shows each user the messages Caravan sent them, HTML included.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "caravan.notifications.console.ReadableConsoleBackend"
)

# No beat runs beside `caravan runserver`: with no broker its thread runs the periodic jobs
# (expiring unpaid orders, releasing escrow, moving parcels...), docs/decisions/0019.
CARAVAN_INPROCESS_SCHEDULER = env_bool("CARAVAN_INPROCESS_SCHEDULER", not CELERY_BROKER_URL)
# The demo's sandbox parcels move while someone watches: the carrier is asked every minute
# (every 15 in production, where a real carrier's API is asked).
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "poll-parcel-tracking": {
        **CELERY_BEAT_SCHEDULE["poll-parcel-tracking"],
        "schedule": float(os.environ.get("PARCEL_POLL_SECONDS", "60")),
    },
}
