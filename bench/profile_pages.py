"""Where a storefront page's time goes when no cache holds it: N renders of each page
in-process, through the same WSGI handler gunicorn calls, under cProfile.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_pages.py [--renders 200]

Needs a database with the demo catalog (caravan migrate && caravan seed-demo). Runs with the
production settings and the page cache off (STOREFRONT_PAGE_CACHE=0), prints the mean
time per page and the functions that take it, grouped (templates, database, selectors...).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.production")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("PAYMENT_ALLOW_SANDBOX", "1")
os.environ.setdefault("STOREFRONT_PAGE_CACHE", "0")
# Card fragments on (a page miss in steady state); STOREFRONT_CARD_CACHE=0 for a cold render.
os.environ.setdefault("STOREFRONT_CARD_CACHE", "1")


def environ(path: str, cookie: str) -> dict[str, Any]:
    route, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def pages() -> dict[str, tuple[str, str]]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from caravan.accounts.models import User
    from caravan.catalog.models import Category
    from caravan.offers.models import ProductOfferSummary

    category = Category.objects.filter(parent__isnull=True).order_by("position", "slug").first()
    summary = (
        ProductOfferSummary.objects.filter(is_buyable=True)
        .order_by("-offer_count", "product_id")
        .select_related("product")
        .first()
    )
    assert category is not None and summary is not None, "seed the demo catalog first"
    user = User.objects.get(email="buyer@caravan.demo")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # The backend the site signs in with: a session naming another one is read as anonymous.
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session.create()
    # As a browser after signing in: the session and the user-id hint (ADR 0022).
    signed_in = f"sessionid={session.session_key}; caravan_user={user.pk}"
    return {
        "home": ("/", ""),
        "category": (f"/c/{category.slug}/", ""),
        "product": (f"/p/{summary.product.public_id}/", ""),
        "search": ("/search/?q=phone", ""),
        "category, signed in": (f"/c/{category.slug}/", signed_in),
        "product, signed in": (f"/p/{summary.product.public_id}/", signed_in),
    }


GROUPS: list[tuple[str, Callable[[str], bool]]] = [
    ("database (psycopg, SQL compiler)", lambda f: "psycopg" in f or "/db/models/sql/" in f),
    ("ORM model and queryset code", lambda f: "/django/db/" in f),
    ("templates (django.template)", lambda f: "/django/template/" in f),
    ("templates (jinja2)", lambda f: "/jinja2/" in f),
    ("translation (gettext)", lambda f: "gettext" in f or "/utils/translation/" in f),
    ("url reversing", lambda f: "/django/urls/" in f),
    ("caravan search", lambda f: "/caravan/search/" in f),
    ("caravan storefront", lambda f: "/caravan/storefront/" in f),
    ("caravan other apps", lambda f: "/caravan/" in f),
    ("django other", lambda f: "/django/" in f),
]


def grouped(stats: pstats.Stats, renders: int) -> list[tuple[str, float]]:
    """Own (not cumulative) time per group of source files, in ms per render."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        group = next((label for label, test in GROUPS if test(filename)), "python and other")
        totals[group] = totals.get(group, 0.0) + own
    return sorted(((k, v * 1000 / renders) for k, v in totals.items()), key=lambda kv: -kv[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", default="", help="profile only this page")
    parser.add_argument(
        "--sort", default="cumulative", help="pstats order of the listed functions (tottime...)"
    )
    parser.add_argument(
        "--match", default="", help="list only the functions whose file or name match (regex)"
    )
    parser.add_argument("--no-profile", action="store_true", help="times only, no cProfile pass")
    parser.add_argument(
        "--dump",
        default="",
        metavar="PREFIX",
        help="also write each page's profile to PREFIX-<page>.prof",
    )
    parser.add_argument(
        "--bust",
        action="store_true",
        help="add a new unread query parameter to every request: defeats a page cache keyed\n"
        "by the path (to profile code that has no STOREFRONT_PAGE_CACHE setting)",
    )
    parser.add_argument(
        "--interleave",
        type=int,
        default=0,
        metavar="BATCH",
        help="times only: every page in turn, BATCH renders at a time, until --renders each,\n"
        "so the pages share the machine's load (signed in against anonymous); prints the\n"
        "mean and the median batch's CPU per render",
    )
    parser.add_argument(
        "--csrf-cookie",
        action="store_true",
        help="send a CSRF cookie with every page, as a returning browser does (without one,\n"
        "every response draws a new CSRF secret)",
    )
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    application = get_wsgi_application()

    sent = [0]
    token = time.time_ns()  # unique to this run: the cache may be shared with earlier ones

    def request(path: str, cookie: str) -> int:
        status: list[str] = []
        if options.bust:
            sent[0] += 1
            path = f"{path}{'&' if '?' in path else '?'}bust={token}-{sent[0]}"
        body = application(environ(path, cookie), lambda s, h, *a: status.append(s))
        b"".join(body)  # type: ignore[arg-type]
        body.close()  # type: ignore[attr-defined]
        return int(status[0].split()[0])

    chosen = {
        name: page for name, page in pages().items() if not options.only or options.only == name
    }
    if options.csrf_cookie:
        secret = "csrftoken=" + "a" * 32  # a valid secret: 32 letters and digits
        chosen = {
            name: (path, f"{cookie}; {secret}" if cookie else secret)
            for name, (path, cookie) in chosen.items()
        }
    if options.interleave:
        interleaved(chosen, request, renders=options.renders, batch=options.interleave)
        return
    for name, (path, cookie) in chosen.items():
        for _ in range(20):  # warm: imports, template loading, connections
            assert request(path, cookie) == 200, path
        connection.force_debug_cursor = True
        reset_queries()
        request(path, cookie)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(options.renders):
            request(path, cookie)
        plain = (time.perf_counter() - started) * 1000 / options.renders
        # CPU time of this process: what a page costs a worker, whatever else the machine runs.
        own = (time.process_time() - cpu) * 1000 / options.renders
        if options.no_profile:
            print(f"{name:22} {plain:7.2f} ms per render {own:7.2f} ms CPU {queries:3d} queries")
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(options.renders):
            request(path, cookie)
        profile.disable()
        if options.dump:
            profile.dump_stats(f"{options.dump}-{name.replace(' ', '').replace(',', '-')}.prof")
        stats = pstats.Stats(profile)
        print(
            f"\n=== {name} {path}: {plain:.2f} ms per render ({own:.2f} ms CPU), "
            f"{queries} queries ==="
        )
        for label, ms in grouped(stats, options.renders):
            print(f"  {label:36} {ms:6.2f} ms (profiled)")
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        restrictions = [options.match, options.top] if options.match else [options.top]
        stats.sort_stats(options.sort).print_stats(*restrictions)
        print(out.getvalue().split("\n", 6)[-1][:6000])


def interleaved(
    chosen: dict[str, tuple[str, str]],
    request: Callable[[str, str], int],
    *,
    renders: int,
    batch: int,
) -> None:
    """CPU per render of each page, the pages taking turns a batch at a time: a burst of load
    from another process then falls on every page alike."""
    for path, cookie in chosen.values():
        for _ in range(20):  # warm: imports, template loading, connections
            assert request(path, cookie) == 200, path
    times: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(max(1, renders // batch)):
        for name, (path, cookie) in chosen.items():
            cpu = time.process_time()
            for _ in range(batch):
                request(path, cookie)
            times[name].append((time.process_time() - cpu) * 1000 / batch)
    for name, per_batch in times.items():
        mean = sum(per_batch) / len(per_batch)
        median = sorted(per_batch)[len(per_batch) // 2]
        print(f"{name:22} {mean:7.3f} ms CPU (mean) {median:7.3f} ms CPU (median batch)")


if __name__ == "__main__":
    main()
