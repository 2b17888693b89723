"""Bulk offer import: time and peak memory of a dry run and of applying it.

    .venv/bin/python bench/import_bench.py                       # SQLite, 10,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --rows 10000 --no-record

Builds a fresh database (SQLite file under var/bench-import/, or the PostgreSQL database in
DATABASE_URL, created if missing and emptied first), a catalog of products with four
GTIN-labelled variants each, and a demo seller. Generates a CSV of N rows for that seller:
most rows offer on catalog variants by GTIN, some by product id + variant, and one row in
twenty proposes a new product (two colours per product). Then, through the services the
seller portal calls, times:

  1. dry run of the new file (every row "to create"), 2. applying it,
  3. dry run of the same file again (every row unchanged), 4. applying that (writes nothing),
  5. dry run of a file with every price changed, 6. applying it (every row updated).

Wall times come from a run without tracemalloc. Peak memory is measured in a second run
under tracemalloc (Python allocations, the import's own footprint) for 1,000 rows and for N
rows: flat means the two peaks are close although the file is ten times longer. The
process's maximum resident size is printed too. Prints the figures and appends them to
bench/RESULTS.md with the machine and the date (unless --no-record).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKDIR = ROOT / "var" / "bench-import"
RESULTS = ROOT / "bench" / "RESULTS.md"
VARIANTS_PER_PRODUCT = 4


def configure() -> str:
    WORKDIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "caravan.config.settings.dev"
    os.environ["DEBUG"] = "0"  # no query log growing in memory
    os.environ["CARAVAN_VAR"] = str(WORKDIR)
    os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return "SQLite (WAL)"
    _fresh_postgres_database(url)
    return "PostgreSQL"


def _fresh_postgres_database(url: str) -> None:
    """Create the bench database if missing; drop what an earlier run left in it."""
    import psycopg
    from psycopg import sql

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def gtin(number: int) -> str:
    from caravan.catalog.identifiers import gtin_check_digit

    body = f"46{number:010d}"
    return body + str(gtin_check_digit(body))


def build_catalog(*, products: int) -> Any:
    """A leaf category and `products` approved products of four variants, in bulk."""
    from caravan.catalog.models import Category, Product, Variant
    from caravan.catalog.services import ensure_attribute
    from caravan.fx.services import record_rate

    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    for base, rate in (("CNY", "12.50"), ("EUR", "100.00")):
        record_rate(base=base, quote="RUB", rate=Decimal(rate), source="bench")
    parent = Category.objects.create(slug="bench", name_ru="Бенч", name_en="Bench")
    category = Category.objects.create(
        slug="bench-gadgets", parent=parent, name_ru="Гаджеты", name_en="Gadgets"
    )
    Product.objects.bulk_create(
        Product(
            category=category,
            slug=f"gadget-{number}",
            brand="Benchmark",
            name_ru=f"Гаджет {number}",
            name_en=f"Gadget {number}",
        )
        for number in range(products)
    )
    product_ids = list(Product.objects.order_by("id").values_list("id", "public_id"))
    colours = ["Black", "White", "Red", "Blue"]
    Variant.objects.bulk_create(
        (
            Variant(
                product_id=product_id,
                gtin=gtin(index * VARIANTS_PER_PRODUCT + position),
                position=position,
                label_en=colours[position],
                label_ru=colours[position],
            )
            for index, (product_id, _public) in enumerate(product_ids)
            for position in range(VARIANTS_PER_PRODUCT)
        ),
        batch_size=2000,
    )
    return category


def make_seller(label: str) -> Any:
    from caravan.accounts.services import register_user
    from caravan.sellers.services import create_seller

    owner = register_user(email=f"{label}@bench.example", password="Bench-pass-42", full_name=label)
    return create_seller(owner=owner, name=f"Bench {label}", country="RU", currency="RUB")


def write_file(path: Path, *, rows: int, category_slug: str, price_shift: int = 0) -> None:
    from caravan.catalog.models import Product

    products = list(
        Product.objects.filter(category__slug=category_slug, name_en__startswith="Gadget ")
        .order_by("id")
        .values_list("public_id", flat=True)[: rows // VARIANTS_PER_PRODUCT + 1]
    )
    header = [
        "seller_sku", "gtin", "product_id", "variant", "brand", "category", "name_en",
        "name_ru", "options", "price", "stock", "handling_days", "active",
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number in range(rows):
            price = f"{1000 + number % 900 + price_shift}.90"
            stock = str(number % 50)
            if number % 20 == 19 or number % 20 == 18:
                # A new product in two colours, on two consecutive rows.
                pair = number // 20
                colour = "Black|Чёрный" if number % 20 == 18 else "White|Белый"
                writer.writerow(
                    [f"NEW-{number}", "", "", "", "Novelty", "bench-gadgets",
                     f"Novelty {pair}", f"Новинка {pair}", f"colour={colour}", price, stock, "2", "yes"]
                )  # fmt: skip
            elif number % 10 == 5:
                product = products[number // VARIANTS_PER_PRODUCT]
                variant = ["Black", "White", "Red", "Blue"][number % VARIANTS_PER_PRODUCT]
                writer.writerow(
                    [f"SKU-{number}", "", product, variant, "", "", "", "", "", price, stock, "1", "yes"]
                )  # fmt: skip
            else:
                writer.writerow(
                    [f"SKU-{number}", gtin(number), "", "", "", "", "", "", "", price, stock, "1", "yes"]
                )  # fmt: skip


@dataclass
class Phase:
    name: str
    seconds: float
    counts: str
    peak_bytes: int | None = None
    summary_seconds: float = 0.0
    subscriber_seconds: float = 0.0


# Time spent in other apps' per-product work, measured by wrapping it (bench only).
SPENT = {"summaries": 0.0, "subscribers": 0.0}


def measure_other_apps() -> None:
    """Wrap the listing projection (one drain of the touched products, after the import
    commits; ADR 0007) and the ListingChanged subscribers it triggers after its own commits
    (the page cache)."""
    import caravan.search.pending as pending
    import caravan.search.projection as projection

    running: set[str] = set()

    def timed(key: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if key in running:
                return function(*args, **kwargs)
            running.add(key)
            subscribers_before = SPENT["subscribers"]
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                running.discard(key)
                if key == "summaries":
                    # Events published on the projection's commits are the subscribers' share.
                    elapsed -= SPENT["subscribers"] - subscribers_before
                SPENT[key] += elapsed

        return wrapper

    pending.project_listings = timed("summaries", pending.project_listings)  # type: ignore[assignment]
    projection.publish = timed("subscribers", projection.publish)  # type: ignore[assignment]


def run_phase(name: str, action: Callable[[], Any], *, trace: bool) -> Phase:
    if trace:
        tracemalloc.start()
    SPENT.update(summaries=0.0, subscribers=0.0)
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    counts = (
        f"{result.create_count} create / {result.update_count} update / "
        f"{result.unchanged_count} unchanged / {result.error_count} errors"
    )
    return Phase(
        name=name,
        seconds=seconds,
        counts=counts,
        peak_bytes=peak,
        summary_seconds=SPENT["summaries"],
        subscriber_seconds=SPENT["subscribers"],
    )


def scenario(*, rows: int, label: str, category_slug: str, trace: bool, full: bool) -> list[Phase]:
    from django.core.files.uploadedfile import UploadedFile

    from caravan.imports.services import apply_import, preview_import

    seller = make_seller(label)
    owner = seller.memberships.get().user

    def preview(path: Path) -> Any:
        with path.open("rb") as handle:
            upload = UploadedFile(file=handle, name=path.name, size=path.stat().st_size)
            return preview_import(seller=seller, uploaded_by=owner, upload=upload)

    first = WORKDIR / f"{label}-offers.csv"
    changed = WORKDIR / f"{label}-offers-new-prices.csv"
    write_file(first, rows=rows, category_slug=category_slug)
    write_file(changed, rows=rows, category_slug=category_slug, price_shift=7)
    phases: list[Phase] = []
    state: dict[str, Any] = {}

    def step(name: str, action: Callable[[], Any]) -> None:
        phase = run_phase(name, action, trace=trace)
        phases.append(phase)
        print(
            f"  {rows:>6} rows  {name:<28} {phase.seconds:7.2f} s  (summaries "
            f"{phase.summary_seconds:.2f} s, after commit {phase.subscriber_seconds:.2f} s)  "
            f"{phase.counts}",
            flush=True,
        )

    def dry_run(path: Path) -> Callable[[], Any]:
        def action() -> Any:
            state["import"] = preview(path)
            return state["import"]

        return action

    def apply() -> Any:
        return apply_import(seller=seller, public_id=state["import"].public_id)

    step("dry run, new file", dry_run(first))
    step("apply, new file", apply)
    if full:
        step("dry run, same file again", dry_run(first))
        step("apply, same file again", apply)
        step("dry run, every price changed", dry_run(changed))
        step("apply, every price changed", apply)
    return phases


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {round(total_kb / 1024 / 1024)} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000, help="the memory comparison's size")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    database = configure()
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    measure_other_apps()
    started = time.perf_counter()
    category = build_catalog(products=args.rows // VARIANTS_PER_PRODUCT + 1)
    print(
        f"{database}: catalog of {args.rows} variants built in {time.perf_counter() - started:.1f} s"
    )
    print("Timed run (no tracemalloc):")
    timed = scenario(
        rows=args.rows, label="timed", category_slug=category.slug, trace=False, full=True
    )
    print("Memory runs (tracemalloc):")
    small = scenario(
        rows=args.small, label="small", category_slug=category.slug, trace=True, full=False
    )
    large = scenario(
        rows=args.rows, label="large", category_slug=category.slug, trace=True, full=False
    )
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for phases, rows in ((small, args.small), (large, args.rows)):
        for phase in phases:
            print(f"  peak {phase.name} ({rows} rows): {phase.peak_bytes / 1024 / 1024:.1f} MiB")
    print(f"  process max RSS: {max_rss_mb:.0f} MiB")
    if os.environ.get("CELERY_BROKER_URL"):
        # Nobody consumes the bench's queued reindexing: drop it.
        from caravan.config.celery import app

        app.control.purge()
    if not args.no_record:
        record(
            database=database,
            args=args,
            timed=timed,
            small=small,
            large=large,
            max_rss_mb=max_rss_mb,
        )


def record(
    *,
    database: str,
    args: Any,
    timed: list[Phase],
    small: list[Phase],
    large: list[Phase],
    max_rss_mb: float,
) -> None:
    command = ".venv/bin/python bench/import_bench.py"
    if database == "PostgreSQL":
        command = f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench {command}"
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker:
        command = f"CELERY_BROKER_URL={broker} {command}"
    after_commit = (
        "queued to the Celery broker, as in production (no worker ran: the queue is dropped)"
        if broker
        else "run in-process, the embedded default (no broker): the search reindexing is inline"
    )
    if args.rows != 10_000:
        command += f" --rows {args.rows}"
    total = timed[0].seconds + timed[1].seconds
    lines = [
        "",
        f"## {dt.date.today().isoformat()}: bulk offer import, {args.rows:,} rows, {database}"
        + (", reindexing queued" if broker else ""),
        "",
        f"- Machine: {machine()}",
        f"- Command: `{command}`",
        f"- After-commit work (search reindexing per product): {after_commit}",
        f"- File: CSV, {args.rows:,} rows for one seller: 85% offers by GTIN, 5% by product id + "
        "variant, 10% proposing new products (two colours each); services as the seller portal calls them",
        "",
        "| step | wall time, s | of which listing summaries, s | of which after-commit subscribers, s | outcome |",
        "| --- | ---: | ---: | ---: | --- |",
        *[
            f"| {phase.name} | {phase.seconds:.2f} | {phase.summary_seconds:.2f} | "
            f"{phase.subscriber_seconds:.2f} | {phase.counts} |"
            for phase in timed
        ],
        "",
        f"Dry run + apply of the new file: **{total:.1f} s** (target: under 20 s).",
        "",
        f"| peak Python memory (tracemalloc) | {args.small:,} rows | {args.rows:,} rows |",
        "| --- | ---: | ---: |",
        *[
            f"| {a.name} | {a.peak_bytes / 1024 / 1024:.1f} MiB | {b.peak_bytes / 1024 / 1024:.1f} MiB |"
            for a, b in zip(small, large, strict=True)
        ],
        "",
        f"Process max RSS over the whole run: {max_rss_mb:.0f} MiB.",
    ]
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"Recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
