"""Settings shared by every environment; values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = Path(os.environ.get("CARAVAN_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("CARAVAN_VAR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "caravan-insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: its runserver adds the embedded mode's scheduler (kernel.scheduler).
    "caravan.kernel",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",
    "caravan.ledger",
    "caravan.accounts",
    "caravan.sellers",
    "caravan.catalog",
    "caravan.fx",
    "caravan.offers",
    "caravan.shipping",
    "caravan.commissions",
    "caravan.payouts",
    "caravan.customs",
    "caravan.search",
    "caravan.cart",
    "caravan.orders",
    "caravan.payments",
    "caravan.conversations",
    "caravan.parcels",
    "caravan.finance",
    "caravan.notifications",
    "caravan.imports",
    "caravan.storefront",
    "caravan.seller_portal",
    "caravan.backoffice",
    "caravan.api",
    "caravan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caravan.kernel.middleware.HeadAsGetMiddleware",
    "caravan.kernel.content_security.ContentSecurityPolicyMiddleware",
    # Outside every view, so the page cache stores plain HTML and each visitor's copy (with
    # their CSRF token and header) is compressed on the way out; static files never get here
    # (WhiteNoise answers them, precompressed); inside HeadAsGet, so a HEAD tells the GET's
    # encoding and length. Private pages stay uncompressed (BREACH, kernel.private_pages).
    "caravan.kernel.private_pages.PublicGZipMiddleware",
    "caravan.kernel.private_pages.NoIndexMiddleware",
    # Django's session and authentication middleware with the user-id hint: a signed-in
    # request reads its session and its user in one cache round trip (ADR 0022).
    "caravan.accounts.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "caravan.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view (and CSRF's check) reads the body: see docs/decisions/0009-doors.md.
    "caravan.kernel.uploads.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "caravan.config.urls"

# One visitor's pages: answered with X-Robots-Tag: noindex and never compressed
# (caravan.kernel.private_pages); the views named in PUBLIC_VIEW_NAMES are exceptions.
PRIVATE_PATH_PREFIXES = [
    "/cart/",
    "/checkout/",
    "/account/",
    "/orders/",
    "/unsubscribe/",
    "/seller/",
    "/backoffice/",
    "/admin/",
    "/api/",
    "/sandbox/",
    "/payments/",
]
PUBLIC_VIEW_NAMES = ["seller_portal:sell"]
# What robots.txt asks crawlers not to fetch: pages nobody links to publicly, endless result
# pages, and requests that change a visitor's settings.
ROBOTS_DISALLOW = [
    "/admin/",
    "/backoffice/",
    "/api/",
    "/sandbox/",
    "/search/",
    "/i18n/",
    "/currency/",
]
WSGI_APPLICATION = "caravan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # After Django's built-in one, whose csrf_token it replaces (kernel.csrf);
                # before the storefront's, which puts a marker there in a page to be cached.
                "caravan.kernel.csrf.csrf",
                "caravan.storefront.context_processors.storefront",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'caravan.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters, and a statement run five times on a connection becomes a
    # prepared statement: PostgreSQL stops planning it again (ADR 0025: planning was about
    # 5 of a checkout's 16 ms of server time). DATABASE_PREPARE_THRESHOLD=0 turns it off
    # (behind a pooler that cannot keep prepared statements, such as PgBouncer before 1.21
    # in transaction mode).
    _prepare_threshold = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))
    if _prepare_threshold > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": _prepare_threshold}
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
# English is the source language; every other one ships a complete catalog in each of the
# three catalogs (kernel/tests/test_translations.py). Django's code "zh-hans" reads the
# locale directory "zh_Hans".
LANGUAGES = [
    ("ru", _("Russian")),
    ("en", _("English")),
    ("de", _("German")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
# Dates as Caravan's pages write them per language (Russian months in the genitive, "5
# декабря"): caravan/config/formats overrides Django's where they differ.
FORMAT_MODULE_PATH = ["caravan.config.formats"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The shared stylesheet and vendored htmx live in src/caravan/static, outside any app.
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Sellers' documents: outside MEDIA_ROOT and never served by URL (the back office streams them).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Uploads (docs/decisions/0009-doors.md). A request whose declared length is over
# MAX_UPLOAD_REQUEST_BYTES is refused unread (eight 5 MB product images fit); the files of any
# request are counted as they stream and the parse stops there. Each form then checks its
# own, smaller limit (a document 10 MB, a logo 2 MB, an image 5 MB, an offer file 8 MB).
MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("MAX_UPLOAD_REQUEST_BYTES", 45 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "caravan.kernel.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Form fields without files, and files kept in memory before they spill to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Caravan <no-reply@caravan.example>")
# SMTP in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS);
# EMAIL_BACKEND picks another backend, e.g. the console one on a machine without a mail server.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CACHES = {
    "default": (
        {
            "BACKEND": "caravan.kernel.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The throttles' counters: the same shared Redis under their own prefix, so clearing the
    # page cache never resets them (docs/decisions/0009-doors.md).
    "throttle": (
        {
            "BACKEND": "caravan.kernel.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "throttle",
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}

# Throttles (accounts.throttling; docs/decisions/0009-doors.md), as django-ratelimit rates:
# attempts per window. Sign-in counts failed passwords; the other doors count every attempt.
AUTHENTICATION_BACKENDS = ["caravan.accounts.backends.ThrottledModelBackend"]
RATELIMIT_USE_CACHE = "throttle"
# The client's address: REMOTE_ADDR, or the header a trusted reverse proxy sets.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
THROTTLE_RATES = {
    "sign-in-account": os.environ.get("THROTTLE_SIGN_IN_ACCOUNT", "10/15m"),
    "sign-in-ip": os.environ.get("THROTTLE_SIGN_IN_IP", "50/15m"),
    "register-account": os.environ.get("THROTTLE_REGISTER_ACCOUNT", "5/h"),
    "register-ip": os.environ.get("THROTTLE_REGISTER_IP", "20/h"),
    "password-reset-account": os.environ.get("THROTTLE_PASSWORD_RESET_ACCOUNT", "5/h"),
    "password-reset-ip": os.environ.get("THROTTLE_PASSWORD_RESET_IP", "20/h"),
    "api-user": os.environ.get("THROTTLE_API_USER", "600/m"),
    "api-ip": os.environ.get("THROTTLE_API_IP", "300/m"),
}
if os.environ.get("REDIS_URL"):
    # Sessions are read from the shared cache and written through to the database: a signed-in
    # page then costs no session query. Not with the per-process cache, whose copy of a session
    # another process changed would be stale. Django's cached_db, whose cache read also fetches
    # the signed-in user's copy (accounts.sessions, ADR 0022).
    SESSION_ENGINE = "caravan.accounts.sessions"
# The signed-in user's row read from the cache (accounts.user_cache): only with a cache all
# processes share, or one process's copy would outlive a password change made in another.
USER_CACHE = bool(os.environ.get("REDIS_URL"))

# The storefront's page cache and its fragment caches (cards, filters, the category tree and
# rates: docs/decisions/0008-page-cache-per-product.md). The benchmarks turn them off to
# measure what a page costs when the cache misses.
STOREFRONT_PAGE_CACHE = env_bool("STOREFRONT_PAGE_CACHE", True)
STOREFRONT_CARD_CACHE = env_bool("STOREFRONT_CARD_CACHE", True)
# How long a listing page's order, total and facet counts are reused (ADR 0023,
# storefront.memo.remembered_listing); its cards are always current. 0: never.
STOREFRONT_LISTING_SECONDS = int(os.environ.get("STOREFRONT_LISTING_SECONDS", "5"))
# The rates, shipping tables and facet groups a browsing page reads from the shared cache
# (storefront.memo, REMEMBER_SECONDS) are also kept in each process until the shared copy
# expires (ADR 0026). Only with a cache all processes share: the per-process default cache
# is the process's own memory already.
STOREFRONT_PROCESS_MEMO = env_bool("STOREFRONT_PROCESS_MEMO", bool(os.environ.get("REDIS_URL")))

# Background work: in-process unless a broker is configured.
MARKETPLACE_CURRENCY = "RUB"
# Where a visitor who has chosen nothing is taken to live: delivery is quoted there.
MARKETPLACE_COUNTRY = os.environ.get("MARKETPLACE_COUNTRY", "RU")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Runs CELERY_BEAT_SCHEDULE in a thread of `caravan runserver` where no beat runs (the demo):
# on only in the dev settings (docs/decisions/0019-inprocess-scheduler.md).
CARAVAN_INPROCESS_SCHEDULER = False
CELERY_BEAT_SCHEDULE = {
    # Listing projections whose queued drain was lost or failed (docs/decisions/0007).
    "drain-pending-projections": {
        "task": "caravan.search.tasks.drain_pending_projections",
        "schedule": 60.0,
    },
    "expire-unpaid-orders": {
        "task": "caravan.payments.tasks.expire_unpaid_orders",
        "schedule": 60.0,
    },
    # Exchange rates from the Central Bank of Russia and the ECB (docs/decisions/0006).
    "refresh-fx-rates": {
        "task": "caravan.fx.tasks.refresh_rates",
        "schedule": 3 * 3600.0,
    },
    # Auto-confirms delivery and releases escrow whose protection window is over.
    "release-escrow": {
        "task": "caravan.finance.tasks.release_escrow",
        "schedule": 3600.0,
    },
    # Refunds the provider could not take yet (timeouts, 5xx) are tried again.
    "retry-refunds": {
        "task": "caravan.payments.tasks.retry_refunds",
        "schedule": 600.0,
    },
    # Yesterday's provider payments and refunds against ours, every morning.
    "reconcile-payments": {
        "task": "caravan.finance.tasks.reconcile_yesterday",
        "schedule": 24 * 3600.0,
    },
    # Checkout idempotency keys are kept 24 hours.
    "purge-checkout-attempts": {
        "task": "caravan.cart.tasks.purge_checkout_attempts",
        "schedule": 3600.0,
    },
    # Messages whose send failed or whose task was lost, again (docs/decisions/0011).
    "send-due-messages": {
        "task": "caravan.notifications.tasks.send_due_messages",
        "schedule": 60.0,
    },
    # One reminder per paid seller order not shipped a day before its ship-by date.
    "remind-ship-by": {
        "task": "caravan.notifications.tasks.remind_ship_by",
        "schedule": 3600.0,
    },
    # Offer-import previews nobody confirmed, and their private files.
    "purge-stale-imports": {
        "task": "caravan.imports.tasks.purge_stale_imports",
        "schedule": 3600.0,
    },
    # Carriers asked about parcels on their way; the sandbox moves demo parcels along.
    "poll-parcel-tracking": {
        "task": "caravan.parcels.tasks.poll_tracking",
        "schedule": 900.0,
    },
    # The CBR's roubles per SDR, which chooses CN22 or CN23 (docs/decisions/0017).
    "import-sdr-rate": {
        "task": "caravan.parcels.tasks.import_sdr_rate",
        "schedule": 6 * 3600.0,
    },
}

# Search: "sqlite" (FTS5) or "postgresql" (full text with pg_trgm); empty follows the
# database's vendor. See docs/decisions/0004-search.md.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "")

# Money (docs/decisions/0006-money.md). The currencies a buyer may choose in the header.
BUYER_CURRENCIES = env_list("BUYER_CURRENCIES", ["RUB", "EUR", "USD", "CNY", "KZT", "BYN"])
# The operator's margin on a conversion, in basis points of the mid rate.
FX_MARGIN_BPS = int(os.environ.get("FX_MARGIN_BPS", "150"))
# A rate older than this stops cross-currency checkout (a weekend plus a day by default).
FX_MAX_RATE_AGE_HOURS = int(os.environ.get("FX_MAX_RATE_AGE_HOURS", "72"))
FX_FEED_TIMEOUT_SECONDS = 10
FX_FEED_URLS = {
    "cbr": os.environ.get("FX_CBR_URL", "https://www.cbr.ru/scripts/XML_daily.asp"),
    "ecb": os.environ.get(
        "FX_ECB_URL", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    ),
}
# Escrow: the buyer's protection window after delivery, and how long after the latest
# promised date an unconfirmed delivery counts as confirmed.
ESCROW_PROTECTION_DAYS = int(os.environ.get("ESCROW_PROTECTION_DAYS", "15"))
AUTO_CONFIRM_DAYS = int(os.environ.get("AUTO_CONFIRM_DAYS", "7"))
# The commission when no rule row applies (the back office's default rule overrides it).
COMMISSION_DEFAULT = {"percent": "5.00", "minimum_fee": "10.00", "minimum_fee_currency": "RUB"}
# Smallest balance paid out per currency; what is below waits for the next run.
PAYOUT_MINIMUMS = {"RUB": "1000", "CNY": "100", "EUR": "20", "USD": "20", "KZT": "10000"}
# The operator's own account that pays sellers out, printed on every payout file. The
# defaults describe the demo operator; a real one sets every field from the environment.
PAYOUT_PAYER = {
    "name": os.environ.get("PAYOUT_PAYER_NAME", "ООО «Караван Маркет» (demo)"),
    "inn": os.environ.get("PAYOUT_PAYER_INN", "7707083893"),
    "kpp": os.environ.get("PAYOUT_PAYER_KPP", "773601001"),
    "account_number": os.environ.get("PAYOUT_PAYER_ACCOUNT", "40702810900000000001"),
    "bank_name": os.environ.get("PAYOUT_PAYER_BANK", "ПАО Сбербанк"),
    "bik": os.environ.get("PAYOUT_PAYER_BIK", "044525225"),
    "correspondent_account": os.environ.get(
        "PAYOUT_PAYER_CORRESPONDENT_ACCOUNT", "30101810400000000225"
    ),
    "iban": os.environ.get("PAYOUT_PAYER_IBAN", ""),
    "bic": os.environ.get("PAYOUT_PAYER_BIC", "SABRRUMM"),
    "country": os.environ.get("PAYOUT_PAYER_COUNTRY", "RU"),
}

# Payments: the sandbox provider stands in for a hosted payment page. Production refuses it
# (and the default webhook secret) unless PAYMENT_ALLOW_SANDBOX is set on purpose.
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "sandbox")

# Carriers (docs/decisions/0017-parcels.md). The sandbox carrier moves a demo parcel one
# step every this many hours from its shipping; CDEK is polled when its keys are set
# (https://api.edu.cdek.ru is CDEK's test environment).
SANDBOX_CARRIER_STEP_HOURS = float(os.environ.get("SANDBOX_CARRIER_STEP_HOURS", "6"))
CDEK_API_URL = os.environ.get("CDEK_API_URL", "https://api.cdek.ru")
CDEK_CLIENT_ID = os.environ.get("CDEK_CLIENT_ID", "")
CDEK_CLIENT_SECRET = os.environ.get("CDEK_CLIENT_SECRET", "")
# A customs declaration converts the parcel's value into roubles at this feed's rate of
# the shipping day, then into SDR at the CBR's roubles per SDR (parcels.sdr).
CUSTOMS_DECLARATION_RATE_SOURCE = "cbr"
DEFAULT_PAYMENT_WEBHOOK_SECRET = "sandbox-webhook-secret"
PAYMENT_WEBHOOK_SECRET = os.environ.get("PAYMENT_WEBHOOK_SECRET", DEFAULT_PAYMENT_WEBHOOK_SECRET)
PAYMENT_ALLOW_SANDBOX = env_bool("PAYMENT_ALLOW_SANDBOX", False)
PAYMENT_HTTP_TIMEOUT_SECONDS = 15
# How many reverse proxies stand in front of Caravan: a provider notification's sender is
# the address the nearest of them appended to X-Forwarded-For (0: the socket's address).
PAYMENT_TRUSTED_PROXIES = int(os.environ.get("PAYMENT_TRUSTED_PROXIES", "0"))
YOOKASSA_SHOP_ID = os.environ.get("YOOKASSA_SHOP_ID", "")
YOOKASSA_SECRET_KEY = os.environ.get("YOOKASSA_SECRET_KEY", "")
YOOKASSA_API_URL = "https://api.yookassa.ru/v3"
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_URL = "https://api.stripe.com/v1"
PAYMENT_WEBHOOK_TOLERANCE_SECONDS = 300
PAYMENT_DEADLINE_MINUTES = int(os.environ.get("PAYMENT_DEADLINE_MINUTES", "30"))

# Notifications (docs/decisions/0011-notifications.md). Links in messages start with the site's
# public address; text messages go through SMS_GATEWAY ("sandbox" sends nothing, "smsru").
NOTIFICATIONS_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "sandbox")
SMSRU_API_ID = os.environ.get("SMSRU_API_ID", "")
SMSRU_SENDER = os.environ.get("SMSRU_SENDER", "")
SMSRU_API_URL = os.environ.get("SMSRU_API_URL", "https://sms.ru")
# SMS.ru's test mode: requests are checked and answered but nothing is sent or charged.
SMSRU_TEST = env_bool("SMSRU_TEST", False)
SMS_HTTP_TIMEOUT_SECONDS = 10

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Enforced by caravan.kernel.content_security on every response that sets no policy of its own.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
