"""`make serve-prod`: the demo marketplace served the production way on this one machine.

    make serve-prod                        # or: .venv/bin/python -m caravan.demo.serve_prod
    HOST=0.0.0.0 PORT=8080 make serve-prod

Production settings (DEBUG off, hashed static files served by WhiteNoise with a year-long
cache lifetime, the page cache, sessions and throttles in Redis) with three processes:
gunicorn (2 workers), a Celery worker that sends mail and runs the scheduled jobs, and Celery
beat, the scheduler that expires unpaid orders every minute, releases escrow every hour,
refreshes exchange rates and the rest of settings.CELERY_BEAT_SCHEDULE. Redis is both the
cache and the broker, so it must be running (`.ci/run` starts it).

Plain HTTP on a local address: the HTTPS-only settings (redirect, secure cookies, HSTS) are
off and the sandbox payment provider is allowed, as bench/run.py does. The database is
`var/serve-prod/caravan.sqlite3` unless DATABASE_URL says otherwise; the first start builds
the demo data set in it. Ctrl+C (or SIGTERM) stops all three processes.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import redis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/2"
STOP_GRACE_SECONDS = 15


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]


def secret_key(var_dir: Path) -> str:
    """A key made on the first start and kept, so sessions outlive a restart."""
    path = var_dir / "secret-key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def production_environment(
    *, base: Mapping[str, str], var_dir: Path, host: str, port: int
) -> dict[str, str]:
    """The environment of every process: the operator's own values win over these defaults."""
    site = f"http://{host}:{port}"
    defaults = {
        "DATABASE_URL": f"sqlite:///{var_dir / 'caravan.sqlite3'}",
        "REDIS_URL": DEFAULT_REDIS_URL,
        "CELERY_BROKER_URL": DEFAULT_BROKER_URL,
        "ALLOWED_HOSTS": ",".join(dict.fromkeys([host, "127.0.0.1", "localhost"])),
        "SITE_URL": site,
        # Mail is printed by the worker, readably, as in the demo; set EMAIL_HOST and
        # EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend for real mail.
        "EMAIL_BACKEND": "caravan.notifications.console.ReadableConsoleBackend",
        "PAYMENT_ALLOW_SANDBOX": "1",
        "SERVE_MEDIA": "1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    env = {**defaults, **base}
    env["DJANGO_SETTINGS_MODULE"] = "caravan.config.settings.production"
    env["CARAVAN_VAR"] = str(var_dir)
    env.setdefault("MEDIA_ROOT", str(var_dir / "media"))
    env.setdefault("SECRET_KEY", secret_key(var_dir))
    return env


def processes(*, bin_dir: Path, var_dir: Path, host: str, port: int) -> list[Process]:
    celery = [str(bin_dir / "celery"), "--app", "caravan.config.celery"]
    return [
        Process(
            "web",
            [
                str(bin_dir / "gunicorn"),
                "caravan.config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"{host}:{port}",
                "--access-logfile",
                "-",
            ],
        ),
        Process("worker", [*celery, "worker", "--concurrency", "1", "--loglevel", "INFO"]),
        # One scheduler only: two would send every job twice (the jobs are safe to run twice,
        # but there is no reason to).
        Process(
            "beat",
            [
                *celery,
                "beat",
                "--schedule",
                str(var_dir / "celerybeat-schedule"),
                "--loglevel",
                "INFO",
            ],
        ),
    ]


def _caravan(bin_dir: Path, args: Sequence[str], env: Mapping[str, str]) -> str:
    result = subprocess.run(
        [str(bin_dir / "caravan"), *args], env=dict(env), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"caravan {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def prepare(*, bin_dir: Path, env: Mapping[str, str]) -> None:
    """Migrate, build the demo data on a new database, collect the hashed static files."""
    _caravan(bin_dir, ["migrate", "--noinput"], env)
    if database_is_empty(bin_dir=bin_dir, env=env):
        print("building the demo data set (first start) ...", flush=True)
        _caravan(bin_dir, ["seed-demo"], env)
    _caravan(bin_dir, ["collectstatic", "--noinput"], env)


def database_is_empty(*, bin_dir: Path, env: Mapping[str, str]) -> bool:
    script = "from caravan.accounts.models import User; print(User.objects.exists())"
    # Django 5.2 prints a line about its automatic imports before the output.
    return _caravan(bin_dir, ["shell", "--command", script], env).splitlines()[-1] == "False"


def check_redis(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {url} does not answer ({error}); start it first") from error


def run(children: list[tuple[Process, subprocess.Popen[bytes]]]) -> int:
    """Wait until a signal or the first child to exit, then stop every child."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exited: tuple[Process, int] | None = None
    while not stopping and exited is None:
        for process, child in children:
            code = child.poll()
            if code is not None:
                exited = (process, code)
                break
        time.sleep(0.5)
    if exited is not None:
        print(f"{exited[0].name} exited with status {exited[1]}; stopping the others", flush=True)
    for _, child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for _, child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return exited[1] if exited is not None else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--var", type=Path, default=Path("var") / "serve-prod")
    options = parser.parse_args(argv)
    bin_dir = Path(sys.executable).parent
    var_dir = options.var.resolve()
    env = production_environment(
        base=os.environ, var_dir=var_dir, host=options.host, port=options.port
    )
    check_redis(env["REDIS_URL"])
    check_redis(env["CELERY_BROKER_URL"])
    print("migrating and collecting static files ...", flush=True)
    prepare(bin_dir=bin_dir, env=env)
    children = [
        (process, subprocess.Popen(process.argv, env=env, start_new_session=True))
        for process in processes(
            bin_dir=bin_dir, var_dir=var_dir, host=options.host, port=options.port
        )
    ]
    print(
        f"Serving Caravan with the production settings at http://{options.host}:{options.port}"
        " (gunicorn, Celery worker and beat, Redis); Ctrl+C stops all three",
        flush=True,
    )
    return run(children)


if __name__ == "__main__":
    sys.exit(main())
