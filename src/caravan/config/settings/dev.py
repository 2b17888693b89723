"""Local development and the demo. DEBUG is off unless the environment turns it on (DEBUG=1):
a visitor of the demo sees the site's own 404 and 500 pages, never Django's debug page."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
# Static files straight from the source tree, as runserver does with DEBUG on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Mail is printed to the console, readably (recipient, subject, plain text); the mailbox page
# /account/messages/ shows each user the messages Caravan sent them, HTML included.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "caravan.notifications.console.ReadableConsoleBackend"
)
