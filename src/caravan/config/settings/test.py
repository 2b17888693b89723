"""Settings for the test suite: fast hashing, in-memory files, eager tasks."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="caravan-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="caravan-test-private-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(
    "DATABASE_URL"
):
    DATABASES["default"]["NAME"] = os.path.join(tempfile.gettempdir(), "caravan-test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": ""}

# Tests read English unless they switch language themselves (ru is checked explicitly).
LANGUAGE_CODE = "en"

# The anonymous page cache would answer a test's second request from the first; tests of
# the cache itself switch to a real local-memory cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Real counters, so the throttle tests count; conftest empties them before every test.
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}
