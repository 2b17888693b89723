"""The floor the storefront is measured against: a bare Django 5.2 project (the middleware
`startproject` generates, DEBUG off) with one view that reads 20 rows and returns JSON.

    gunicorn --chdir bench bare_django:application --workers 2    # DATABASE_URL as for Caravan

bench/pages.py serves it beside the storefront, the same way, in the same run.
"""

from __future__ import annotations

import os
import secrets

import dj_database_url
import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path


def rows(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, public_id, name_en FROM catalog_product ORDER BY id LIMIT 20")
        found = [
            {"id": id_, "public_id": public_id, "name": name}
            for id_, public_id, name in cursor.fetchall()
        ]
    return JsonResponse({"products": found})


urlpatterns = [path("rows/", rows)]

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)},
    USE_TZ=True,
)
django.setup()
application = get_wsgi_application()
