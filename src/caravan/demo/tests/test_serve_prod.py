"""`make serve-prod`: the environment and the three processes it starts (the run itself is
checked by hand and recorded in docs/decisions/0013-rough-edges.md: it needs Redis and minutes)."""

from pathlib import Path

from caravan.demo.serve_prod import processes, production_environment, secret_key


def test_the_environment_runs_the_production_settings_over_plain_http_with_redis(tmp_path):
    env = production_environment(base={}, var_dir=tmp_path, host="127.0.0.1", port=8000)

    assert env == {
        "DJANGO_SETTINGS_MODULE": "caravan.config.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'caravan.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1:8000",
        "EMAIL_BACKEND": "caravan.notifications.console.ReadableConsoleBackend",
        "PAYMENT_ALLOW_SANDBOX": "1",
        "SERVE_MEDIA": "1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CARAVAN_VAR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": (tmp_path / "secret-key").read_text(),
    }


def test_the_operators_own_values_win_but_the_settings_module_is_always_production(tmp_path):
    base = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/caravan",
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "SECRET_KEY": "k" * 64,
        "DJANGO_SETTINGS_MODULE": "caravan.config.settings.dev",
        "PATH": "/usr/bin",
    }

    env = production_environment(base=base, var_dir=tmp_path, host="0.0.0.0", port=8080)

    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/caravan"
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/5"
    assert env["SECRET_KEY"] == "k" * 64
    assert env["PATH"] == "/usr/bin"
    assert env["DJANGO_SETTINGS_MODULE"] == "caravan.config.settings.production"
    assert env["ALLOWED_HOSTS"] == "0.0.0.0,127.0.0.1,localhost"
    assert env["SITE_URL"] == "http://0.0.0.0:8080"


def test_the_secret_key_is_made_once_and_kept(tmp_path):
    first = secret_key(tmp_path)

    second = secret_key(tmp_path)

    assert first == second
    assert len(first) >= 80
    assert (tmp_path / "secret-key").stat().st_mode & 0o777 == 0o600


def test_web_worker_and_the_scheduler_are_started(tmp_path):
    bin_dir = Path("/venv/bin")

    started = processes(bin_dir=bin_dir, var_dir=tmp_path, host="127.0.0.1", port=8000)

    assert [(process.name, process.argv) for process in started] == [
        (
            "web",
            [
                "/venv/bin/gunicorn",
                "caravan.config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                "127.0.0.1:8000",
                "--access-logfile",
                "-",
            ],
        ),
        (
            "worker",
            [
                "/venv/bin/celery",
                "--app",
                "caravan.config.celery",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ],
        ),
        (
            "beat",
            [
                "/venv/bin/celery",
                "--app",
                "caravan.config.celery",
                "beat",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
                "--loglevel",
                "INFO",
            ],
        ),
    ]


def test_the_schedule_beat_runs_expires_unpaid_orders_and_releases_escrow(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "caravan.payments.tasks.expire_unpaid_orders",
        "caravan.finance.tasks.release_escrow",
    } <= tasks
