"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 and not env_bool("CARAVAN_ALLOW_WEAK_SECRET", False):
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# Static files under content-hashed names (collectstatic writes the manifest), so WhiteNoise
# serves them with a year-long, immutable cache lifetime; a changed file gets a new name.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Product images: an object store or the proxy serves /media/ in a real deployment; a single
# machine running the demo the production way lets Django serve it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

# Payments: the sandbox takes no money and its default webhook secret is public, so production
# runs it only when the operator says so (a demo served the production way). A real provider's
# credentials are checked by `check --deploy` (caravan.payments.checks).
if PAYMENT_PROVIDER == "sandbox" and not PAYMENT_ALLOW_SANDBOX:  # noqa: F405
    _default_secret = PAYMENT_WEBHOOK_SECRET in ("", DEFAULT_PAYMENT_WEBHOOK_SECRET)  # noqa: F405
    raise ImproperlyConfigured(
        "PAYMENT_PROVIDER is 'sandbox', which takes no money"
        + (
            ", and PAYMENT_WEBHOOK_SECRET is empty or the default published with Caravan"
            if _default_secret
            else ""
        )
        + ": set PAYMENT_PROVIDER to yookassa or stripe with its credentials, or "
        "PAYMENT_ALLOW_SANDBOX=1 to run the sandbox on purpose"
    )
