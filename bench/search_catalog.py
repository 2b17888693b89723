"""A synthetic marketplace catalog at scale, for the search benchmark (bench/search_bench.py).

    .venv/bin/python bench/search_catalog.py --offers 1000000 --products 300000 \\
        --database-url postgres://postgres@127.0.0.1:5432/caravan_bench
    .venv/bin/python bench/search_catalog.py --offers 200000 --products 60000 \\
        --sqlite var/bench/search.sqlite3

Starts from an empty database (--fresh, the default: the PostgreSQL database is dropped and
created again, the SQLite file deleted), migrates it, and writes with the real models: a
two-level category tree (15 parents, 120 leaves), attributes, exchange rates, sellers from
eight countries with their delivery options, then products with specifications, variants
(options, GTINs) and offers, a batch of products per transaction (bulk_create). The words
come from bench/search_vocabulary.py; everything is decided by a seeded random.Random
(bench/search_catalog_plan.py), so the same arguments give the same catalog (only the
random public ids differ).

The derived data comes from the project's own services, as in production: the listing
read model (listing rows, search documents, engine rows; ADR 0007) from
caravan.search.services.rebuild_index, whose wall time is printed on its own (the issue's
target: under 15 minutes on PostgreSQL at a million offers). The ProductsChanged and
ListingChanged events are not delivered while the generator runs: the read model is built
once.
PostgreSQL is vacuumed and analysed after each bulk phase, as autovacuum would.
The timings are written beside the database (<name>.generator.json) for the benchmark.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT), str(ROOT / "src")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bench.search_catalog_plan import (  # noqa: E402
    CatalogPlanner,
    ProductPlan,
    SellerPlan,
    plan_offer_counts,
    plan_sellers,
)
from bench.search_vocabulary import ATTRIBUTES, LEAVES, PARENTS, RATES  # noqa: E402

SEED = 20251125
ROWS_PER_BATCH = 5_000
# Products written per transaction: about ROWS_PER_BATCH offers at 3.3 offers a product.
PRODUCTS_PER_TRANSACTION = 1_500
WORKDIR = ROOT / "var" / "bench"


# --- the database, before Django is set up ----------------------------------------------


def configure(*, database_url: str | None, sqlite: str | None, fresh: bool) -> str:
    """Point Django at the target database (dev settings, DEBUG off, tasks in-process) and,
    with `fresh`, empty it. Returns the database URL."""
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if sqlite:
        path = Path(sqlite).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif database_url:
        url = database_url
        if fresh:
            recreate_postgres_database(url)
    else:
        raise SystemExit("give --database-url or --sqlite")
    set_environment(url)
    return url


def set_environment(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "caravan.config.settings.dev"
    os.environ["DEBUG"] = "0"  # no query log growing in memory
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks run in-process (none are sent here)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("CARAVAN_VAR", str(WORKDIR))
    os.environ.setdefault("MEDIA_ROOT", str(WORKDIR / "media"))


def recreate_postgres_database(url: str) -> None:
    """Drop and create the benchmark's database; only a database named for a bench."""
    import psycopg
    from psycopg import sql

    base, _slash, name = url.rpartition("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: only a database with 'bench' in its name")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def timings_path(url: str) -> Path:
    """Where the generator leaves its figures for the benchmark."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///") + ".generator.json")
    return WORKDIR / f"{url.rpartition('/')[2]}.generator.json"


# --- progress -------------------------------------------------------------------------


class Progress:
    """A progress line on stderr: done/total, rate and time left. Rewritten in place on a
    terminal; a new line every 10 s in a log file."""

    def __init__(self, label: str, total: int, *, enabled: bool = True) -> None:
        self.label, self.total, self.enabled = label, total, enabled
        self.started = self.shown = time.perf_counter()
        self.done = 0
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        self.total = total if total is not None else self.total
        now = time.perf_counter()
        if self.enabled and (now - self.shown >= (0.5 if self.tty else 10.0) or done >= self.total):
            self.shown = now
            self._show(now, final=done >= self.total)

    def _show(self, now: float, *, final: bool) -> None:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        line = (
            f"{self.label}: {self.done:,}/{self.total:,} ({self.done / max(self.total, 1):.0%}) "
            f"{rate:,.0f}/s, {elapsed:.0f} s" + ("" if final else f", ~{left:.0f} s left")
        )
        if self.tty:
            sys.stderr.write("\r" + line.ljust(100) + ("\n" if final else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


# --- writing, once Django is set up -----------------------------------------------------


@dataclass
class Reference:
    categories: dict[str, int]  # slug -> id
    attributes: dict[str, int]  # code -> id
    sellers: list[int]  # SellerPlan.index -> Seller id
    seller_plans: list[SellerPlan]


@dataclass
class Report:
    products: int = 0
    variants: int = 0
    attribute_values: int = 0
    offers: int = 0
    sellers: int = 0
    shipping_methods: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def default_sellers(offers: int) -> int:
    """About a thousand sellers at a million offers, at least a few hundred at scale."""
    return max(8, min(1000, offers // 1000 + 100))


@contextlib.contextmanager
def catalog_events_held() -> Iterator[None]:
    """Deliver no ProductsChanged or ListingChanged while the catalog is generated: their
    subscribers would project each batch (search) and bump page-cache versions; the
    generator builds the read model once with rebuild_index instead."""
    from caravan.catalog.events import ProductsChanged
    from caravan.kernel import events
    from caravan.search.events import ListingChanged

    held = {kind: list(events._subscribers[kind]) for kind in (ProductsChanged, ListingChanged)}
    for kind in held:
        events._subscribers[kind].clear()
    try:
        yield
    finally:
        for kind, handlers in held.items():
            events._subscribers[kind][:] = handlers


def create_reference_data(rng: random.Random, *, sellers: int) -> Reference:
    """Categories, attributes, exchange rates, sellers and their delivery options."""
    from importlib import import_module

    from django.apps import apps as django_apps
    from django.db import transaction
    from django.utils import timezone

    from caravan.catalog.models import Attribute, Category
    from caravan.fx.models import ExchangeRate
    from caravan.sellers.models import Seller
    from caravan.shipping.models import ShippingMethod

    seller_plans = plan_sellers(rng, sellers)
    with transaction.atomic():
        parents = Category.objects.bulk_create(
            Category(slug=slug, name_ru=ru, name_en=en, position=position)
            for position, (slug, ru, en) in enumerate(PARENTS)
        )
        parent_ids = {category.slug: category.id for category in parents}
        leaves = Category.objects.bulk_create(
            Category(
                slug=leaf.slug,
                parent_id=parent_ids[leaf.parent],
                name_ru=leaf.name_ru,
                name_en=leaf.name_en,
                position=position,
            )
            for position, leaf in enumerate(LEAVES)
        )
        attributes = Attribute.objects.bulk_create(
            Attribute(code=code, name_ru=ru, name_en=en) for code, (ru, en) in ATTRIBUTES.items()
        )
        currencies = sorted({plan.currency for plan in seller_plans} - {"RUB"})
        ExchangeRate.objects.bulk_create(
            ExchangeRate(
                base=code, quote="RUB", rate=RATES[code], source="bench", as_of=timezone.now()
            )
            for code in currencies
        )
        created = Seller.objects.bulk_create(
            Seller(
                slug=f"bench-seller-{plan.index}",
                name=plan.name,
                legal_name=f"{plan.name} LLC",
                country=plan.country,
                currency=plan.currency,
                status=Seller.Status.ACTIVE,
            )
            for plan in seller_plans
        )
        ShippingMethod.objects.bulk_create(
            ShippingMethod(
                seller_id=seller.id,
                name_ru=plan.market.deliveries[index].name_ru,
                name_en=plan.market.deliveries[index].name_en,
                carrier=plan.market.deliveries[index].carrier,
                price_amount=plan.market.deliveries[index].price,
                currency=plan.currency,
                transit_days_min=plan.market.deliveries[index].transit_days[0],
                transit_days_max=plan.market.deliveries[index].transit_days[1],
                position=position,
            )
            for seller, plan in zip(created, seller_plans, strict=True)
            for position, index in enumerate(plan.deliveries)
        )
        # The buyer side quotes shipping profiles (ADR 0012): the flat methods become one
        # worldwide profile per seller, as migration 0003 converts them.
        import_module(
            "caravan.shipping.migrations.0003_flat_methods_into_profiles"
        ).flat_methods_into_profiles(django_apps, None)
    return Reference(
        categories={category.slug: category.id for category in [*parents, *leaves]},
        attributes={attribute.code: attribute.id for attribute in attributes},
        sellers=[seller.id for seller in created],
        seller_plans=seller_plans,
    )


def write_products(
    plans: list[ProductPlan], reference: Reference, rates: dict[str, Any]
) -> tuple[int, int, int, list[int]]:
    """One transaction: the products, their variants, specifications and options, and
    offers. Returns the counts of variants, attribute values and offers, and the product ids."""
    from django.db import transaction
    from django.utils.text import slugify

    from caravan.catalog.models import AttributeValue, Product, Variant
    from caravan.fx.services import convert
    from caravan.kernel.money import Money
    from caravan.offers.models import Offer

    with transaction.atomic():
        products = Product.objects.bulk_create(
            [
                Product(
                    category_id=reference.categories[plan.leaf.slug],
                    slug=slugify(plan.name_en)[:140] or "product",
                    brand=plan.brand,
                    name_ru=plan.name_ru,
                    name_en=plan.name_en,
                    description_ru=plan.description_ru,
                    description_en=plan.description_en,
                )
                for plan in plans
            ],
            batch_size=ROWS_PER_BATCH,
        )
        variants = Variant.objects.bulk_create(
            [
                Variant(
                    product_id=product.id,
                    gtin=variant.gtin,
                    label_ru=" / ".join(option.value_ru for option in variant.options),
                    label_en=" / ".join(option.value_en for option in variant.options),
                    position=position,
                )
                for product, plan in zip(products, plans, strict=True)
                for position, variant in enumerate(plan.variants)
            ],
            batch_size=ROWS_PER_BATCH,
        )
        variant_ids: list[list[int]] = []
        cursor = 0
        for plan in plans:
            variant_ids.append(
                [variant.id for variant in variants[cursor : cursor + len(plan.variants)]]
            )
            cursor += len(plan.variants)
        values = [
            AttributeValue(
                product_id=product.id,
                attribute_id=reference.attributes[code],
                value_ru=value_ru,
                value_en=value_en,
                position=position,
            )
            for product, plan in zip(products, plans, strict=True)
            for position, (code, value_ru, value_en) in enumerate(plan.specs)
        ]
        values += [
            AttributeValue(
                product_id=product.id,
                variant_id=ids[index],
                attribute_id=reference.attributes[option.code],
                value_ru=option.value_ru,
                value_en=option.value_en,
                position=position,
            )
            for product, plan, ids in zip(products, plans, variant_ids, strict=True)
            for index, variant in enumerate(plan.variants)
            for position, option in enumerate(variant.options)
        ]
        AttributeValue.objects.bulk_create(values, batch_size=ROWS_PER_BATCH)
        offers = [
            Offer(
                seller_id=reference.sellers[offer.seller],
                variant_id=ids[offer.variant],
                product_id=product.id,
                seller_sku=f"S{offer.seller}-{ids[offer.variant]}",
                price_amount=offer.price,
                compare_at_amount=offer.compare_at,
                currency=offer.currency,
                # As offers.services computes it: the price in the marketplace currency.
                reference_price_amount=convert(
                    money=Money(offer.price, offer.currency), to="RUB", rates=rates
                ).converted.amount,
                stock_quantity=offer.stock,
                ships_from=offer.ships_from,
                handling_days=offer.handling_days,
                condition=offer.condition,
                is_active=offer.is_active,
            )
            for product, plan, ids in zip(products, plans, variant_ids, strict=True)
            for offer in plan.offers
        ]
        Offer.objects.bulk_create(offers, batch_size=ROWS_PER_BATCH)
    return len(variants), len(values), len(offers), [product.id for product in products]


def load_catalog(
    rng: random.Random,
    reference: Reference,
    *,
    products: int,
    offers: int,
    per_transaction: int = PRODUCTS_PER_TRANSACTION,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """`products` products carrying exactly `offers` offers, a transaction per batch."""
    from caravan.fx.services import latest_rates

    report = Report(products=0)
    counts = plan_offer_counts(rng, products=products, offers=offers)
    planner = CatalogPlanner(rng=rng, sellers=reference.seller_plans)
    rates = latest_rates(quote="RUB")
    owed = 0  # offers a product could not hold (too few variants or sellers): the next take them
    for start in range(0, products, per_transaction):
        plans = []
        for number in range(start, min(start + per_transaction, products)):
            plan = planner.product(counts[number] + owed)
            owed += counts[number] - len(plan.offers)
            plans.append(plan)
        variants, values, written, _ids = write_products(plans, reference, rates)
        report.products += len(plans)
        report.variants += variants
        report.attribute_values += values
        report.offers += written
        if progress:
            progress(report.offers, offers)
    if owed:
        raise RuntimeError(f"{owed} offers found no free (seller, variant): add sellers")
    return report


def build_index(
    *,
    progress: Callable[[int, int], None] | None = None,
    planner_workaround: bool = False,
    workers: int = 1,
) -> int:
    """rebuild_index, as `caravan search-rebuild [--workers N]` runs it. With
    `planner_workaround` (on PostgreSQL) the sessions run without bitmap scans, which keeps
    the vocabulary look-ups (term IN (...)) off the trigram GIN index: see bench/RESULTS.md
    for why. The workers' own connections take it from PGOPTIONS."""
    from django.db import connection

    from caravan.search.services import rebuild_index

    if not (planner_workaround and connection.vendor == "postgresql"):
        return rebuild_index(progress=progress, workers=workers)
    before = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = f"{before or ''} -c enable_bitmapscan=off".strip()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_bitmapscan = off")
    try:
        return rebuild_index(progress=progress, workers=workers)
    finally:
        if before is None:
            del os.environ["PGOPTIONS"]
        else:
            os.environ["PGOPTIONS"] = before
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_bitmapscan")


def analyse() -> None:
    """VACUUM ANALYZE on PostgreSQL after a bulk write: what autovacuum does by default
    (the planner needs the statistics), done here because a bench server may run with
    autovacuum off (this machine's does). SQLite is left as the project runs it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def generate(
    *,
    products: int,
    offers: int,
    sellers: int,
    seed: int = SEED,
    show_progress: bool = True,
    planner_workaround: bool = False,
    workers: int = 1,
) -> Report:
    """The whole catalog into the current (empty, migrated) database."""
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    with catalog_events_held():
        started = time.perf_counter()
        reference = create_reference_data(rng, sellers=sellers)
        report = load_catalog(
            rng,
            reference,
            products=products,
            offers=offers,
            progress=Progress("catalog (offers)", offers, enabled=show_progress),
        )
        timings["catalog"] = time.perf_counter() - started
        started = time.perf_counter()
        analyse()
        timings["analyse"] = time.perf_counter() - started
        started = time.perf_counter()
        build_index(
            progress=Progress("search index", products, enabled=show_progress),
            planner_workaround=planner_workaround,
            workers=workers,
        )
        timings["index"] = time.perf_counter() - started
        analyse()
    report.sellers = len(reference.sellers)
    from caravan.shipping.models import ShippingMethod

    report.shipping_methods = ShippingMethod.objects.count()
    report.seconds = timings
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url", help="postgres://... (dropped and created with --fresh)")
    target.add_argument("--sqlite", help="path of the SQLite file (deleted with --fresh)")
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--products", type=int, default=60_000)
    parser.add_argument(
        "--sellers", type=int, help="default: about offers / 1000 + 100, at most 1000"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--fresh", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--planner-workaround",
        action="store_true",
        help="PostgreSQL: rebuild the index with enable_bitmapscan off (see build_index)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes building the index (PostgreSQL)"
    )
    args = parser.parse_args()
    url = configure(database_url=args.database_url, sqlite=args.sqlite, fresh=args.fresh)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    sellers = args.sellers or default_sellers(args.offers)
    report = generate(
        products=args.products,
        offers=args.offers,
        sellers=sellers,
        seed=args.seed,
        planner_workaround=args.planner_workaround,
        workers=args.workers,
    )
    report.seconds = {"migrate": migrate_seconds, **report.seconds}
    print(
        f"{connection.vendor}: {report.products:,} products, {report.variants:,} variants, "
        f"{report.attribute_values:,} attribute values, {report.offers:,} offers, "
        f"{report.sellers:,} sellers, {report.shipping_methods:,} delivery options"
    )
    for phase, seconds in report.seconds.items():
        print(f"  {phase:<10} {seconds:8.1f} s")
    print(f"Search index rebuild (rebuild_index): {report.seconds['index']:.1f} s "
          f"({report.seconds['index'] / 60:.1f} min)")  # fmt: skip
    figures = {
        **asdict(report),
        "seed": args.seed,
        "planner_workaround": args.planner_workaround,
        "database": connection.vendor,
        "command": " ".join(sys.argv),
        "python": platform.python_version(),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    path = timings_path(url)
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"Figures written to {path}")


if __name__ == "__main__":
    main()
