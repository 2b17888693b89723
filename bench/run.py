"""Serve the demo the production way and measure it.

    make bench            # or: .venv/bin/python bench/run.py [--duration 15] [--connections 16]

Builds a fresh demo database (SQLite by default; DATABASE_URL=postgres://... to use
PostgreSQL), starts gunicorn with 2 workers and the production settings (DEBUG off),
drives the home page, a category listing, a product page and search with wrk, then times
two-seller checkouts through the service layer. Prints the figures and appends them to
bench/RESULTS.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKDIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "RESULTS.md"
PORT = int(os.environ.get("BENCH_PORT", "18765"))


def bench_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "caravan.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SERVE_MEDIA": "1",
            # The benchmark pays through the sandbox on purpose (docs/decisions/0006).
            "PAYMENT_ALLOW_SANDBOX": "1",
            # The demo's applicant is emailed on submit; no mail server runs here.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Workers share the page cache and its versions, as in production.
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
            "CARAVAN_VAR": str(WORKDIR),
            "MEDIA_ROOT": str(WORKDIR / "media"),
        }
    )
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return result.stdout


def prepare(env: dict[str, str], products: int) -> None:
    if env["DATABASE_URL"].startswith("sqlite"):
        shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    caravan = str(BIN / "caravan")
    if not env["DATABASE_URL"].startswith("sqlite"):
        run([caravan, "flush", "--noinput"], env) if _has_tables(env) else None
    run([caravan, "migrate", "--noinput"], env)
    run([caravan, "seed-demo", "--products", str(products)], env)
    run([caravan, "collectstatic", "--noinput"], env)


def _has_tables(env: dict[str, str]) -> bool:
    try:
        run([str(BIN / "caravan"), "showmigrations", "accounts"], env)
    except subprocess.CalledProcessError:
        return False
    return True


def pick_urls(env: dict[str, str]) -> dict[str, str]:
    script = (
        "import django; django.setup();"
        "from caravan.catalog.models import Category;"
        "from caravan.offers.models import ProductOfferSummary as S;"
        "c = Category.objects.filter(parent__isnull=True).order_by('position','slug').first();"
        "p = S.objects.filter(is_buyable=True).order_by('-offer_count','product_id').first().product;"
        "from caravan.accounts.models import User;"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from importlib import import_module; from django.conf import settings;"
        "u = User.objects.get(email='buyer@caravan.demo');"
        "s = import_module(settings.SESSION_ENGINE).SessionStore();"
        "s[SESSION_KEY] = str(u.pk); s[HASH_SESSION_KEY] = u.get_session_auth_hash();"
        # The backend the site signs in with (ADR 0009's throttled one): a session naming
        # another is read as anonymous, and the signed-in rows would measure anonymous pages.
        "s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]; s.create();"
        "print(c.slug); print(p.public_id); print(s.session_key); print(u.pk)"
    )
    category, product, session_key, user_id = run([str(BIN / "python"), "-c", script], env).split()
    base = f"http://127.0.0.1:{PORT}"
    # As a browser after signing in: the session and the user-id hint (ADR 0022).
    signed_in = f"sessionid={session_key}; caravan_user={user_id}"
    return {
        "home page": (f"{base}/", ""),
        "category listing": (f"{base}/c/{category}/", ""),
        "product page": (f"{base}/p/{product}/", ""),
        "search": (f"{base}/search/?q=phone", ""),
        "category listing, signed in": (f"{base}/c/{category}/", signed_in),
        "product page, signed in": (f"{base}/p/{product}/", signed_in),
    }


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is taken by another server; set BENCH_PORT")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "caravan.config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not answer within 30 s")


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def measure(url: str, *, cookie: str, duration: int, connections: int) -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    # Warm each worker's caches before measuring.
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", *headers, url], check=True, capture_output=True)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *headers, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _seconds(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _seconds(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def measure_checkout(env: dict[str, str], orders: int) -> str:
    return run(
        [
            str(BIN / "python"),
            str(ROOT / "bench" / "checkout.py"),
            # The demo served by make bench is SQLite: one writer, so one process.
            "--workers",
            "1",
            "--skip-rush",
            "--orders",
            str(orders),
        ],
        env,
    ).strip()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL (default 15)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--products", type=int, default=320, help="demo products (default 320)")
    parser.add_argument("--orders", type=int, default=300, help="checkouts to time (default 300)")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args()

    env = bench_environment()
    print("preparing the demo database ...", flush=True)
    subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True
    )
    prepare(env, options.products)
    urls = pick_urls(env)
    server = start_server(env)
    rows = []
    try:
        for name, (url, cookie) in urls.items():
            figures = measure(
                url, cookie=cookie, duration=options.duration, connections=options.connections
            )
            rows.append((name, url.split(str(PORT), 1)[1], figures))
            print(
                f"{name:18} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
                f"p99 {figures['p99_ms']:6.1f} ms  non-2xx {figures['non_2xx']:.0f}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    checkout = measure_checkout(env, options.orders)
    print(checkout)
    if options.no_record:
        return
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite (WAL)"
    lines = [
        f"\n## {dt.date.today().isoformat()}: storefront and checkout, {database}\n",
        f"- Machine: {machine()}",
        f"- Command: `make bench` (`{' '.join(sys.argv)}`), gunicorn 2 sync workers, production settings, DEBUG off; "
        f"wrk -t2 -c{options.connections} -d{options.duration}s on the same machine; demo data with {options.products} products\n",
        "| page | path | requests/s | p50 ms | p99 ms | non-2xx |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, path, figures in rows:
        lines.append(
            f"| {name} | `{path}` | {figures['rps']:.0f} | {figures['p50_ms']:.1f} | "
            f"{figures['p99_ms']:.1f} | {figures['non_2xx']:.0f} |"
        )
    lines.append(
        "\nThe browsing pages come from the shared page cache (Redis; see"
        " docs/decisions/0002-page-cache.md) with only the header's account area rendered per"
        " visitor; the signed-in rows add the session and user lookups. A page the cache does"
        " not hold costs a full render (about 12 ms of CPU for a listing, about 130 requests/s"
        " on this machine before the cache existed)."
    )
    lines.append(f"\n- Checkout (service layer, two sellers per order): {checkout}\n")
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write("\n".join(lines))
    print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()


def celery_worker_command(*, loglevel: str = "WARNING", logfile: str = "") -> list[str]:
    """A Celery worker as caravan.demo.serve_prod runs it (concurrency 1), for the benchmarks
    that move prices with the projection in a worker."""
    command = [
        str(BIN / "celery"),
        "--app",
        "caravan.config.celery",
        "worker",
        "--concurrency",
        "1",
        "--loglevel",
        loglevel,
    ]
    if logfile:
        command += ["--logfile", logfile]
    return [*command, "--without-gossip", "--without-mingle", "--without-heartbeat"]


def psql(env: dict[str, str], sql: str) -> str:
    """One statement through psql against the benchmark's DATABASE_URL; its output."""
    answer = subprocess.run(
        ["psql", env["DATABASE_URL"], "-Atc", sql], check=True, capture_output=True, text=True
    )
    return answer.stdout.strip()
