"""A web worker's start-up (caravan.config.wsgi): views loaded, start-up objects frozen."""

import subprocess
import sys

PROBE = """
import gc, sys
import caravan.config.wsgi
print(gc.get_freeze_count(), "caravan.storefront.views.catalog" in sys.modules)
"""


def test_loading_the_wsgi_application_loads_the_views_and_freezes_what_is_alive():
    # given a new Python process with the production settings' minimum
    environment = {
        "DJANGO_SETTINGS_MODULE": "caravan.config.settings.production",
        "SECRET_KEY": "k" * 64,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAYMENT_ALLOW_SANDBOX": "1",
        "PATH": "/usr/bin:/bin",
    }

    # when it loads the WSGI application, as gunicorn does
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    # then the views are imported and the objects alive then are out of the collector's sight
    frozen, views_loaded = probe.stdout.split()
    assert views_loaded == "True"
    assert int(frozen) > 50_000
