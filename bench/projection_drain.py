"""Price writes at a steady rate with the listing projection in a Celery worker: the code
before the pending-projection queue (one projection task per write) against the code after
it (a drain projecting what accumulated as one batch; ADR 0007, amended), interleaved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_batchproj_bench \\
    .venv/bin/python bench/projection_drain.py --before-src /tmp/before/src --rounds 2

The database is a demo catalog of its own (`caravan migrate`, `caravan seed-demo`), migrated
by the code after (the code before ignores the queue's table). Each run: an empty broker
queue (Redis), a Celery worker (concurrency 1, as caravan.demo.serve_prod runs it),
bench/price_writer.py at --rate for --duration seconds, then the wait until nothing is left
to project (no message in the broker's queue or unacknowledged, no pending row), at most
--drain-timeout seconds. Prints one line per run and a Markdown table: the writes/s the
writer achieved, its CPU per write, the worker's CPU (from the writer's start until the
queue was empty; its start-up excluded) and how long the queue took to empty after the
writer stopped, then how many listing rows a fresh projection of every product still
changed (0: no update was lost).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import run as base  # bench/run.py: the environment, the machine line

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
TICKS = os.sysconf("SC_CLK_TCK")
TASK_DONE = re.compile(r"Task caravan\.search\.tasks\.\w+\[[^\]]+\] succeeded in ([\d.]+)s: (\d+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before-src", required=True, help="src/ of the code before")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--writer-workers", type=int, default=2)
    parser.add_argument("--drain-timeout", type=float, default=240.0)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--codes", default="before,after", help="which code to run, in order")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    env = {
        **base.bench_environment(),
        "CELERY_BROKER_URL": options.broker,
        "REDIS_URL": options.cache,
    }
    known = {"before": {**env, "PYTHONPATH": options.before_src}, "after": env}
    variants = [(name, known[name]) for name in options.codes.split(",")]
    rows = []
    for round_number in range(1, options.rounds + 1):
        for name, variant_env in variants:
            figures = run_once(variant_env, options)
            figures.update(round=round_number, code=name, load=round(os.getloadavg()[0], 1))
            print(json.dumps(figures), flush=True)
            rows.append(figures)
    print(f"\nMachine: {base.machine()}")
    print(
        "\n| round | code | writes/s | writer CPU per write | worker CPU | worker CPU per write"
        " | tasks run | products per task | ms per task"
        " | queue empty after the writer | rows a fresh projection changed | load |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['round']} | {row['code']} | {row['per_second']} | "
            f"{row['cpu_ms_per_write']} ms | {row['worker_cpu_s']} s | "
            f"{row['worker_cpu_ms_per_write']} ms | {row['tasks']} | {row['products_per_task']} | "
            f"{row['task_ms']} | {row['drain_s']} s | {row['stale_rows']} | "
            f"{row['load']} |"
        )


def run_once(env: dict[str, str], options: argparse.Namespace) -> dict[str, object]:
    for url in (options.broker, options.cache):
        subprocess.run(["redis-cli", "-u", url, "flushdb"], check=True, capture_output=True)
    base.psql(env, "DELETE FROM search_pendingprojection")
    # Every run starts from a current read model (the first finds what the seed left).
    stale_rows(options)
    log = Path(tempfile.mkdtemp(prefix="projection-drain-")) / "worker.log"
    worker = subprocess.Popen(
        base.celery_worker_command(loglevel="INFO", logfile=str(log)),
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        time.sleep(8)  # the worker's start-up, not counted
        writer = subprocess.Popen(
            [
                str(BIN / "python"),
                str(ROOT / "bench" / "price_writer.py"),
                "--rate",
                str(options.rate),
                "--duration",
                str(options.duration),
                "--workers",
                str(options.writer_workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stderr is not None
        while (line := writer.stderr.readline()) and line.strip() != "writing":
            pass
        worker_cpu_started = tree_cpu_seconds(worker.pid)
        written, errors = writer.communicate(timeout=options.duration + 300)
        if writer.returncode:
            raise SystemExit(f"the writer failed:\n{errors}")
        stopped = time.monotonic()
        left = wait_until_drained(env, options, deadline=stopped + options.drain_timeout)
        drain_seconds = time.monotonic() - stopped
        worker_cpu = tree_cpu_seconds(worker.pid) - worker_cpu_started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    figures = json.loads(written.strip().splitlines()[-1])
    writes = figures["writes"]
    # Celery logs each task's run time and result (the products a drain projected).
    tasks = [
        (float(seconds), int(result))
        for seconds, result in TASK_DONE.findall(log.read_text(errors="replace"))
    ]
    return {
        **figures,
        "tasks": len(tasks),
        "products_per_task": round(sum(result for _s, result in tasks) / max(len(tasks), 1), 1),
        "task_ms": round(sum(seconds for seconds, _r in tasks) * 1000 / max(len(tasks), 1), 1),
        "worker_cpu_s": round(worker_cpu, 1),
        "worker_cpu_ms_per_write": round(worker_cpu * 1000 / max(writes, 1), 1),
        "drain_s": round(drain_seconds, 1) if not left else f">{options.drain_timeout:g} ({left})",
        "stale_rows": stale_rows(options),
    }


def wait_until_drained(env: dict[str, str], options: argparse.Namespace, *, deadline: float) -> str:
    """Until no message waits in the broker or is held unacknowledged by the worker (it
    prefetches) and no pending row is left; what was left at the deadline, else ''."""
    while True:
        queued = redis(options.broker, "llen", "celery")
        held = redis(options.broker, "hlen", "unacked")
        pending = int(base.psql(env, "SELECT count(*) FROM search_pendingprojection") or 0)
        if queued == held == pending == 0:
            return ""
        if time.monotonic() > deadline:
            return f"{queued} queued, {held} held, {pending} pending rows"
        time.sleep(0.25)


def stale_rows(options: argparse.Namespace) -> int:
    """How many listing rows a fresh projection of every product changes (the code after's
    projection, which is the code before's for these rows)."""
    env = {
        **base.bench_environment(),
        "REDIS_URL": options.cache,
        "CELERY_BROKER_URL": "",
    }
    script = (
        "import django; django.setup()\n"
        "from caravan.catalog.models import Product\n"
        "from caravan.search.projection import project_listings\n"
        "ids = list(Product.objects.values_list('id', flat=True))\n"
        "print(len(project_listings(product_ids=ids)))\n"
    )
    answer = subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(answer.stdout.strip().splitlines()[-1])


def redis(url: str, *command: str) -> int:
    answer = subprocess.run(["redis-cli", "-u", url, *command], capture_output=True, text=True)
    return int(answer.stdout.strip() or 0)


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (the prefork pool), now."""
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids += [int(child) for child in children]
    return total


if __name__ == "__main__":
    main()
