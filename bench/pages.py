"""Storefront pages beside a bare Django view, served the same way in the same run, and the
page cache while prices change.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench_render \\
        .venv/bin/python bench/pages.py [--prepare] [--rounds 3] [--duration 8]

Starts four gunicorn servers (2 sync workers each, production settings, DEBUG off, Redis
as the shared cache): the bare view (bench/bare_django.py) and the storefront three ways:
"cold" (page and card caches off: every card rendered), "page miss" (page cache off, card
fragments on: what a page costs after a price change on one of its products) and "cached".
Only one server is driven at a time.

1. Side by side: each round drives the bare view, then every page anonymous and signed in
   in each of the three ways; rounds repeat, so the ratios come from neighbouring runs.
2. Prices moving: a mix of pages (home, every top-level category, three searches, 30 product
   pages) read with the caches on, alternately without writes, while bench/price_writer.py
   hands the page cache 50 card changes per second (--events-only), and while it changes
   50 buy-box prices per second through the offers service (as many as the machine makes:
   the writer prints the rate it reached). wrk counts the X-Page-Cache answers: the hit
   rate. With --before, the code before the change is read and written the same way.

--prepare builds the demo catalog first (flush, migrate, seed-demo). Appends the figures to
bench/RESULTS.md unless --no-record. Needs PostgreSQL, Redis and wrk (make system-deps).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import run as base  # bench/run.py: the environment, the demo data, the machine line

ROOT = base.ROOT
BIN = base.BIN
PORT = int(os.environ.get("BENCH_PAGES_PORT", "18790"))
MODES = [
    ("cold", {"STOREFRONT_PAGE_CACHE": "0", "STOREFRONT_CARD_CACHE": "0"}),
    ("page miss", {"STOREFRONT_PAGE_CACHE": "0", "STOREFRONT_CARD_CACHE": "1"}),
    ("cached", {"STOREFRONT_PAGE_CACHE": "1", "STOREFRONT_CARD_CACHE": "1"}),
]
CACHED_PORT = PORT + len(MODES)
BEFORE_PORT = PORT + len(MODES) + 1
BEFORE_LABEL = "before, uncached"

HIT_COUNTER = """
hits = 0
misses = 0
tag = 0
local threads = {}
paths = {%(paths)s}
counter = 0
function setup(thread)
  table.insert(threads, thread)
  thread:set("tag", #threads)
end
bust = %(bust)s
sent = 0
function request()
  counter = counter %% #paths + 1
  if not bust then return wrk.format(nil, paths[counter]) end
  -- A query parameter no page reads, new on every request: a page cache keyed by the full
  -- path never answers (how the code before this change is measured uncached).
  sent = sent + 1
  local joiner = string.find(paths[counter], "?", 1, true) and "&" or "?"
  return wrk.format(nil, paths[counter] .. joiner .. "bust=%(token)s-" .. os.time() .. "-" .. tag .. "-" .. sent)
end
function response(status, headers, body)
  local answer = headers["X-Page-Cache"] or headers["x-page-cache"]
  if answer == "hit" then hits = hits + 1 elseif answer == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  io.write(string.format("page-cache hits %%d misses %%d\\n", h, m))
end
"""


def environment() -> dict[str, str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    env = base.bench_environment()
    env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    return env


def start(
    env: dict[str, str], *, port: int, app: str, extra: dict[str, str]
) -> subprocess.Popen[bytes]:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken; set BENCH_PAGES_PORT")
    args = [str(BIN / "gunicorn"), app, "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    if app.startswith("bare_django"):
        args += ["--chdir", str(ROOT / "bench")]
    server = subprocess.Popen(
        [*args, "--log-level", "warning"],
        env={**env, **extra},
        cwd=ROOT,
        start_new_session=True,
    )
    probe_path = "/rows/" if app.startswith("bare_django") else "/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe_path}", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError(f"gunicorn on {port} did not answer within 30 s")


def wrk(
    port: int,
    paths: list[str],
    *,
    cookie: str,
    duration: int,
    connections: int,
    bust: bool = False,
) -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    # wrk's Lua reads ASCII escapes only: the paths go percent-encoded.
    quoted = ", ".join(json.dumps(urllib.parse.quote(path, safe="/?=&")) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        # The run's own token: no address repeats across threads, runs or benchmarks.
        token = time.time_ns()
        script.write(
            HIT_COUNTER % {"paths": quoted, "bust": "true" if bust else "false", "token": token}
        )
    try:
        url = f"http://127.0.0.1:{port}"
        # Warm each worker (imports, connections, and the caches when they are on).
        subprocess.run(
            ["wrk", "-t1", "-c2", "-d2s", "-s", script.name, *headers, url],
            check=True,
            capture_output=True,
        )
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "-s",
                script.name,
                *headers,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    hits, misses = (int(n) for n in re.search(r"hits (\d+) misses (\d+)", output).groups())  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": base._seconds(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1)) * 1000,  # type: ignore[union-attr]
        "p99_ms": base._seconds(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1)) * 1000,  # type: ignore[union-attr]
        "hits": hits,
        "misses": misses,
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def mixed_paths(env: dict[str, str]) -> list[str]:
    script = (
        "import django; django.setup();"
        "from caravan.catalog.models import Category;"
        "from caravan.offers.models import ProductOfferSummary as S;"
        "[print(f'/c/{c.slug}/') for c in Category.objects.filter(parent__isnull=True)];"
        "[print(f'/p/{s.product.public_id}/') for s in S.objects.filter(is_buyable=True)"
        ".select_related('product').order_by('-offer_count', 'product_id')[:30]]"
    )
    listed = base.run([str(BIN / "python"), "-c", script], env).split()
    # Three searches the catalog answers (the demo's, or the first word of three brands of a
    # generated catalog), and the same three on every run of one catalog.
    searches = ["phone", "shoes", "кроссовки"]
    if os.environ.get("BENCH_PAGES_SEARCHES"):
        searches = os.environ["BENCH_PAGES_SEARCHES"].split(",")
    return ["/", *listed, *(f"/search/?q={text}" for text in searches)]


def side_by_side(
    env: dict[str, str], options: argparse.Namespace
) -> dict[str, list[dict[str, float]]]:
    pages = base.pick_urls(env)
    results: dict[str, list[dict[str, float]]] = {}
    for round_number in range(options.rounds):
        plan: list[tuple[str, int, list[str], str]] = [("bare Django view", PORT, ["/rows/"], "")]
        modes = [(label, PORT + offset) for offset, (label, _extra) in enumerate(MODES, start=1)]
        if options.before:
            modes.insert(0, (BEFORE_LABEL, BEFORE_PORT))
        for label, port in modes:
            for name, (url, cookie) in pages.items():
                path = url.split(str(base.PORT), 1)[1]
                plan.append((f"{name}, {label}", port, [path], cookie))
        for name, port, paths, cookie in plan:
            figures = wrk(
                port,
                paths,
                cookie=cookie,
                duration=options.duration,
                connections=options.connections,
                bust=port == BEFORE_PORT,
            )
            results.setdefault(name, []).append(figures)
            print(
                f"round {round_number + 1} {name:40} {figures['rps']:8.1f} req/s "
                f"p50 {figures['p50_ms']:6.1f} ms  hits {figures['hits']} misses {figures['misses']}",
                flush=True,
            )
    return results


# How the catalog moves during the second part: the page cache's handler given 50 card
# changes/s, and real price writes through the offers service at the same requested rate
# (the listing projection runs in the writer, eagerly: its ListingChanged is what stamps the
# page cache, ADR 0007).
WRITERS: list[tuple[str, list[str], dict[str, str]]] = [
    ("card changes/s (events)", ["--events-only"], {}),
    ("price writes/s requested (service)", [], {}),
]
# The same writes with the projection queued to a Celery worker on a Redis broker, as in
# production (caravan.demo.serve_prod runs one worker, concurrency 1).
WORKER_BROKER = os.environ.get("BENCH_PAGES_BROKER", "redis://127.0.0.1:6379/13")
WORKER_WRITER = (
    "price writes/s requested (service, projection in a Celery worker)",
    [],
    {"CELERY_BROKER_URL": WORKER_BROKER},
)


def with_writes(
    env: dict[str, str], options: argparse.Namespace
) -> list[tuple[str, dict[str, float], str]]:
    paths = mixed_paths(env)
    targets = [("", CACHED_PORT, env)]
    if options.before:
        # The code before the change reads with its own (global-version) page cache, and its
        # own offers service and event handlers write.
        targets.append(("before: ", BEFORE_PORT, {**env, "PYTHONPATH": options.before_src}))
    rows: list[tuple[str, dict[str, float], str]] = []
    writers = [*WRITERS, *([WORKER_WRITER] if options.celery_worker else [])]
    for round_number in range(options.rounds):
        # The floor, driven the same way in the same round.
        bare = wrk(
            PORT,
            ["/rows/"],
            cookie="",
            duration=options.write_duration,
            connections=options.connections,
        )
        rows.append(("bare Django view", bare, ""))
        print(f"round {round_number + 1} bare Django view {bare['rps']:8.1f} req/s", flush=True)
        for label, port, writer_env in targets:
            quiet = wrk(
                port,
                paths,
                cookie="",
                duration=options.write_duration,
                connections=options.connections,
            )
            rows.append((f"{label}no writes", quiet, ""))
            for name, flags, extra in writers:
                worker = start_worker({**writer_env, **extra}) if extra else None
                writer = subprocess.Popen(
                    [
                        str(BIN / "python"),
                        str(ROOT / "bench" / "price_writer.py"),
                        "--rate",
                        str(options.rate),
                        "--duration",
                        str(options.write_duration + 3),
                        "--workers",
                        str(options.writer_workers),
                        *flags,
                    ],
                    env={**writer_env, **extra},
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                wait_until_writing(writer)
                busy = wrk(
                    port,
                    paths,
                    cookie="",
                    duration=options.write_duration,
                    connections=options.connections,
                )
                written, _ = writer.communicate(timeout=options.write_duration + 120)
                note = written.strip()
                if worker is not None:
                    note += f" {drain(worker, extra['CELERY_BROKER_URL'])}"
                rows.append((f"{label}{options.rate:g} {name}", busy, note))
            for name, figures, note in rows[-1 - len(writers) :]:
                print(
                    f"round {round_number + 1} {name:52} {figures['rps']:8.1f} req/s  hit rate "
                    f"{hit_rate(figures)}  {note}",
                    flush=True,
                )
    return rows


def wait_until_writing(writer: subprocess.Popen[str]) -> None:
    """Until the writer has set up (Django, the catalog's offers) and starts writing: at most
    120 s, whatever it prints before that line is skipped."""
    deadline = time.monotonic() + 120
    assert writer.stderr is not None
    while time.monotonic() < deadline:
        line = writer.stderr.readline()
        if not line or line.strip() == "writing":
            return


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A Celery worker (concurrency 1, as caravan.demo.serve_prod runs it) on an empty queue."""
    subprocess.run(
        ["redis-cli", "-u", env["CELERY_BROKER_URL"], "flushdb"], check=False, capture_output=True
    )
    worker = subprocess.Popen(
        base.celery_worker_command(),
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    time.sleep(4)  # the worker's start-up, before the writer queues anything
    return worker


def drain(worker: subprocess.Popen[bytes], broker: str) -> str:
    """Wait (at most 120 s) until nothing is left to project: no message in the broker's
    queue and no pending-projection row (the drain a message asks for runs half a second
    later, ADR 0007); how long it took after the writer stopped, then stop the worker."""
    started = time.monotonic()
    left = -1
    try:
        while time.monotonic() - started < 120:
            answer = subprocess.run(
                ["redis-cli", "-u", broker, "llen", "celery"], capture_output=True, text=True
            )
            pending = base.psql(
                {"DATABASE_URL": os.environ["DATABASE_URL"]},
                "SELECT count(*) FROM search_pendingprojection",
            )
            left = int(answer.stdout.strip() or 0) + int(pending or 0)
            if left == 0:
                break
            time.sleep(0.5)
    finally:
        # To the main process only: its warm shutdown stops the pool's child itself.
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    return f"worker queue empty {time.monotonic() - started:.1f} s after the writer (left {max(left, 0)})"


def hit_rate(figures: dict[str, float]) -> str:
    """From the X-Page-Cache answers; the code before this change sent none."""
    answered = figures["hits"] + figures["misses"]
    return f"{figures['hits'] / answered:.1%}" if answered else "-"


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(figures[key] for figures in results)


def record(
    options: argparse.Namespace,
    results: dict[str, list[dict[str, float]]],
    writes: list[tuple[str, dict[str, float], str]],
) -> None:
    floor = [figures["rps"] for figures in results.get("bare Django view", [])]
    lines = [
        f"\n## {dt.date.today().isoformat()}: storefront pages beside a bare Django view, PostgreSQL"
        f" (issue 10){', ' + options.label if options.label else ''}\n",
        f"- Machine: {base.machine()}; load average at the end {os.getloadavg()[0]:.1f}",
        f"- Command: `{' '.join(['.venv/bin/python', *sys.argv])}` (gunicorn 2 sync workers per"
        f" server, production settings, Redis cache; wrk -t2 -c{options.connections}"
        f" -d{options.duration}s, {options.rounds} interleaved rounds; figures are medians,"
        " % is of the bare view in the same round)\n",
        "| page | requests/s (median) | % of bare view | p50 ms | page-cache hits |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in results.items():
        ratios = [figures["rps"] / bare for figures, bare in zip(runs, floor, strict=True)]
        served = sum(figures["hits"] + figures["misses"] for figures in runs)
        hits = sum(figures["hits"] for figures in runs)
        lines.append(
            f"| {name} | {median(runs, 'rps'):.0f} | {statistics.median(ratios):.0%} | "
            f"{median(runs, 'p50_ms'):.1f} | {f'{hits / served:.0%}' if served else '-'} |"
        )
    if writes:
        lines += [
            f"\nPrices moving (`bench/price_writer.py` at {options.rate:g}/s: card-change events to"
            " the page cache, or price writes through `offers.services.update_offer`), a mix of"
            f" {len(mixed_paths(base_env))} pages read with the caches on,"
            f" wrk -d{options.write_duration}s, alternating:\n",
            "| run | requests/s | % of bare view (same round) | page-cache hit rate | writer |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        floor_now = 0.0
        for name, figures, note in writes:
            if name == "bare Django view":
                floor_now = figures["rps"]
            share = f"{figures['rps'] / floor_now:.0%}" if floor_now else "-"
            lines.append(
                f"| {name} | {figures['rps']:.0f} | {share} | {hit_rate(figures)} | {note} |"
            )
    with base.RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"recorded in {base.RESULTS.relative_to(ROOT)}")


base_env: dict[str, str] = {}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--prepare", action="store_true", help="flush and seed the demo catalog")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6, help="seconds per page and round")
    parser.add_argument("--write-duration", type=int, default=20, help="seconds per writes run")
    parser.add_argument("--rate", type=float, default=50.0, help="price changes per second")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-side-by-side", action="store_true")
    parser.add_argument("--skip-writes", action="store_true")
    parser.add_argument(
        "--before",
        default="",
        metavar="SRC",
        help="also serve this source tree (e.g. a worktree of the commit before the change, its\n"
        "src/) uncached, each request with a new unread query parameter",
    )
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--writer-workers", type=int, default=1, help="price_writer --workers")
    parser.add_argument(
        "--celery-worker",
        action="store_true",
        help="also write with the projection queued to a Celery worker (BENCH_PAGES_BROKER)",
    )
    parser.add_argument("--label", default="", help="the catalog, for the recorded heading")
    options = parser.parse_args()
    options.rounds = max(1, min(options.rounds, 10))
    options.duration = max(2, min(options.duration, 60))
    options.write_duration = max(5, min(options.write_duration, 120))

    env = environment()
    base_env.update(env)
    subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True
    )
    if options.prepare:
        base.prepare(env, 320)
    else:
        base.run([str(BIN / "caravan"), "migrate", "--noinput"], env)
        base.run([str(BIN / "caravan"), "collectstatic", "--noinput"], env)
    servers = [start(env, port=PORT, app="bare_django:application", extra={})]
    for offset, (_label, extra) in enumerate(MODES, start=1):
        servers.append(
            start(env, port=PORT + offset, app="caravan.config.wsgi:application", extra=extra)
        )
    if options.before:
        options.before_src = str(Path(options.before).resolve())
        before_env = {**env, "PYTHONPATH": options.before_src}
        servers.append(
            start(before_env, port=BEFORE_PORT, app="caravan.config.wsgi:application", extra={})
        )
    results: dict[str, list[dict[str, float]]] = {}
    writes: list[tuple[str, dict[str, float], str]] = []
    try:
        if not options.skip_side_by_side:
            results = side_by_side(env, options)
        if not options.skip_writes:
            writes = with_writes(env, options)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=15)
    if not options.no_record and (results or writes):
        record(options, results, writes)


if __name__ == "__main__":
    main()
