"""What one page request costs the machine, and which processes spend it: the storefront's
pages on a page miss beside the bare Django view, served the same way in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench_throughput \\
    REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/cpu_split.py [--rounds 2] [--duration 5] [--before TREE/src]
        [--only "category,product"] [--bare-each]

Starts gunicorn (2 sync workers, production settings) for the bare view (bench/bare_django.py)
and for the storefront with the page cache off and its fragments on (bench/pages.py's "page
miss"), and with --before a second storefront server running another tree's code. For each
page in turn, wrk drives it alone; the CPU every process spent during the run is read from
/proc before and after: the web processes, PostgreSQL, Redis, wrk itself (as a finished
child) and the whole machine (/proc/stat). Printed per request, in core-ms, with the share
of the bare view's throughput measured in the same round. Core-ms per request move less
with the shared machine's speed than requests/s do.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pages  # bench/pages.py: the servers and the wrk script
import run as base  # bench/run.py: the environment and the pages' addresses

TICK = os.sysconf("SC_CLK_TCK")
# By the process's name: gunicorn's master and workers are named after its script, so no other
# Python process (this one, a test run beside it) counts as the web's.
GROUPS = (("postgres", "postgres"), ("redis", "redis"), ("gunicorn", "web"))


def process_cpu() -> dict[int, tuple[str, float]]:
    """Every process's name and CPU seconds so far (user and system)."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            data = (entry / "stat").read_text()
        except OSError:
            continue  # gone since listed
        name = data[data.index("(") + 1 : data.rindex(")")]
        fields = data[data.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / TICK)
    return found


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (not idle, not waiting on I/O)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


def group(name: str) -> str:
    return next((label for prefix, label in GROUPS if name.startswith(prefix)), "other")


def measure(port: int, path: str, *, cookie: str, duration: int) -> tuple[float, dict[str, float]]:
    """Requests/s and the core-ms per request of each group of processes."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = json.dumps(urllib.parse.quote(path, safe="/?=&"))
        script.write(pages.HIT_COUNTER % {"paths": quoted, "bust": "false", "token": 0})
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    url = f"http://127.0.0.1:{port}"
    try:
        # Warm each worker: imports, connections and the fragment caches.
        subprocess.run(
            ["wrk", "-t1", "-c2", "-d2s", "-s", script.name, *headers, url],
            check=True,
            capture_output=True,
        )
        before, busy = process_cpu(), machine_busy()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = subprocess.run(
            ["wrk", "-t2", "-c4", f"-d{duration}s", "-s", script.name, *headers, url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        after, busy_after = process_cpu(), machine_busy()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.unlink(script.name)
    count = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    spent: dict[str, float] = {}
    for pid, (name, cpu) in after.items():
        label = group(name)
        spent[label] = spent.get(label, 0.0) + cpu - before.get(pid, (name, 0.0))[1]
    spent["wrk"] = (children_after.ru_utime + children_after.ru_stime) - (
        children.ru_utime + children.ru_stime
    )
    spent["machine"] = busy_after - busy
    return rps, {label: seconds * 1000 / count for label, seconds in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--before", default="", help="another tree's src/, served beside")
    parser.add_argument("--only", default="", help="only the pages whose name has one of these")
    parser.add_argument(
        "--bare-each",
        action="store_true",
        help="drive the bare view again just before each page, and give that page's share of\n"
        "it: the shared machine's speed moves within a round, so the nearest is the fairest",
    )
    options = parser.parse_args()
    env = pages.environment()
    base.run([str(base.BIN / "caravan"), "migrate", "--noinput"], env)
    base.run([str(base.BIN / "caravan"), "collectstatic", "--noinput"], env)
    urls = base.pick_urls(env)
    miss = dict(pages.MODES[1][1])
    servers = [pages.start(env, port=pages.PORT, app="bare_django:application", extra={})]
    targets = [("", pages.PORT + 1)]
    servers.append(
        pages.start(env, port=pages.PORT + 1, app="caravan.config.wsgi:application", extra=miss)
    )
    if options.before:
        targets.append(("before: ", pages.PORT + 2))
        servers.append(
            pages.start(
                env,
                port=pages.PORT + 2,
                app="caravan.config.wsgi:application",
                extra={**miss, "PYTHONPATH": options.before},
            )
        )
    wanted = [part for part in options.only.split(",") if part]
    try:
        for round_number in range(1, options.rounds + 1):
            bare, split = measure(pages.PORT, "/rows/", cookie="", duration=options.duration)
            print(f"round {round_number} {'bare Django view':40} {bare:8.1f} req/s  {_line(split)}")
            for name, (url, cookie) in urls.items():
                if wanted and not any(part in name for part in wanted):
                    continue
                path = url.split(str(base.PORT), 1)[1]
                if options.bare_each:
                    bare, split = measure(
                        pages.PORT, "/rows/", cookie="", duration=options.duration
                    )
                    print(
                        f"round {round_number} {'  bare Django view':40} {bare:8.1f} req/s  "
                        f"{_line(split)}"
                    )
                for label, port in targets:
                    rps, split = measure(port, path, cookie=cookie, duration=options.duration)
                    print(
                        f"round {round_number} {label + name:40} {rps:8.1f} req/s "
                        f"({100 * rps / bare:4.1f} % of bare)  {_line(split)}",
                        flush=True,
                    )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)


def _line(split: dict[str, float]) -> str:
    order = ("machine", "web", "postgres", "redis", "wrk", "other")
    return "  ".join(f"{label} {split.get(label, 0.0):5.2f}" for label in order)


if __name__ == "__main__":
    main()
