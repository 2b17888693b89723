"""Production serves static files under content-hashed names with a year-long, immutable
cache lifetime (WhiteNoise over CompressedManifestStaticFilesStorage), and every command runs
before collectstatic has written the manifest (the favicon's URL is looked up per request)."""

import os
import re
import subprocess
import sys

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("check")
call_command("collectstatic", "--noinput", verbosity=0)
url = static("caravan/css/caravan.css")
response = Client().get(url)
icon = Client().get("/favicon.ico")
print(url, response.status_code, response["Cache-Control"], icon["Location"], sep="|")
"""


def test_production_serves_hashed_static_files_with_a_long_cache_lifetime(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caravan.config.settings.production",
        "SECRET_KEY": "s" * 64,
        "PAYMENT_ALLOW_SANDBOX": "1",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "CARAVAN_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'caravan.sqlite3'}",
    }
    env.pop("REDIS_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    url, status, cache_control, icon = result.stdout.strip().splitlines()[-1].split("|")
    assert re.fullmatch(r"/static/caravan/css/caravan\.[0-9a-f]{12}\.css", url)
    assert (status, cache_control) == ("200", "max-age=315360000, public, immutable")
    assert re.fullmatch(r"/static/caravan/favicon\.[0-9a-f]{12}\.svg", icon)


DEMO_SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
url = static("caravan/css/seller.css")
response = Client().get(url)
print(settings.DEBUG, url, response.status_code, sep="|")
"""


def test_the_demo_serves_its_stylesheets_with_debug_off_and_no_collectstatic(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caravan.config.settings.dev",
        "CARAVAN_VAR": str(tmp_path),
    }
    env.pop("DEBUG", None)

    result = subprocess.run(
        [sys.executable, "-c", DEMO_SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False|/static/caravan/css/seller.css|200"
