"""Instructions one storefront page costs in-process on a page miss, counted by valgrind's
callgrind: deterministic, whatever the shared machine's speed (the CPU PostgreSQL and Redis
spend is not in it).

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/page_instructions.py /c/electronics/ /p/<id>/ [--before TREE/src]

For each page (and each tree with --before), two runs under callgrind: WARM renders then
RENDERS more, and WARM renders alone; the difference divided by RENDERS is one render.
Production settings, page cache off, fragments on (bench/profile_pages.py's). Needs
valgrind (make system-deps) and a collected STATIC_ROOT (bench/run.py's var/bench/static).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM = 20


def render(path: str, count: int) -> None:
    """Inside valgrind: `count` renders of the page through the WSGI handler."""
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench" / "static"))
    # Under valgrind a render takes fifty times as long: a listing kept for its usual 5 s
    # (ADR 0023) would expire within a run, and some renders would scan again.
    os.environ.setdefault("STOREFRONT_LISTING_SECONDS", "600")
    # Its settings (production, page cache off, fragments on) and its request.
    import django

    from profile_pages import environ

    django.setup()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    statuses: list[str] = []
    for _ in range(count):
        statuses.clear()
        body = application(environ(path, ""), lambda status, _headers: statuses.append(status))
        b"".join(body)
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]}")


def instructions(path: str, count: int, tree: str) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        env = {**os.environ, **({"PYTHONPATH": tree} if tree else {})}
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--inside",
                path,
                str(count),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert totals is not None
        return int(totals.group(1))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--inside":
        render(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--renders", type=int, default=40)
    parser.add_argument("--before", default="", help="another tree's src/, counted beside")
    options = parser.parse_args()
    trees = [("after", "")] + ([("before", options.before)] if options.before else [])
    for path in options.paths:
        for label, tree in trees:
            warm = instructions(path, WARM, tree)
            total = instructions(path, WARM + options.renders, tree)
            per_render = (total - warm) / options.renders
            print(f"{path:40} {label:6} {per_render / 1e6:8.2f} M instructions per render")


if __name__ == "__main__":
    main()
