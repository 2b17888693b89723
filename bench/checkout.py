"""Checkout throughput through the service layer (issue 9, docs/decisions/0006-money.md).

Two figures, each with one worker process per core against the same database:

- `flow`: 3-seller, cross-currency checkouts (a RUB, a CNY and a EUR seller, paid in
  roubles): cart adds, delivery choice, check_out, the sandbox's approval and its signed
  notification, capture to escrow with its ledger entry.
- `rush`: every worker's buyers race for one offer holding --stock units; the figure is
  orders placed per second while stock lasts, and the test is that exactly --stock units
  sell (nothing oversold).

Usage (demo data seeded in the database first; PostgreSQL is the production database):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_bench_money \\
      .venv/bin/python bench/checkout.py --workers 2 --orders 400 --rush-buyers 300 --stock 100
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.dev")


def _setup() -> None:
    import django

    django.setup()


def _offers_by_currency(index: int = 0) -> list[str]:
    """A RUB, a CNY and a EUR offer; worker `index` gets its own three, as different buyers
    buy different things (one shared trio would queue every checkout on its stock rows)."""
    from caravan.offers.models import Offer

    chosen: list[str] = []
    for currency in ("RUB", "CNY", "EUR"):
        offer = (
            Offer.objects.filter(is_active=True, seller__currency=currency, seller__status="active")
            .order_by("id")[index : index + 1]
            .first()
        )
        assert offer is not None, f"no {currency} offer: seed the demo first"
        chosen.append(offer.public_id)
    return chosen


def _buyer(name: str):  # type: ignore[no-untyped-def]
    from caravan.accounts.models import User
    from caravan.accounts.services import add_address

    user, _created = User.objects.get_or_create(email=f"{name}@caravan.bench")
    address = user.addresses.first() or add_address(
        user=user,
        full_name="Bench Buyer",
        phone="+79000000000",
        country="RU",
        region="Москва",
        city="Moscow",
        postal_code="101000",
        street="Tverskaya 1",
    )
    return user, address


def one_checkout(*, buyer, address, offer_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """One 3-seller checkout: cart adds, check_out in roubles, the sandbox's approval and its
    captured notification."""
    from caravan.cart.checkout import check_out
    from caravan.cart.services import add_to_cart, get_or_create_cart
    from caravan.kernel.ids import public_id
    from caravan.payments.sandbox import resolve_session

    cart = get_or_create_cart(token=None, user=buyer)
    for offer_id in offer_ids:
        add_to_cart(cart=cart, offer_public_id=offer_id, quantity=1)
    result = check_out(
        cart=cart,
        buyer=buyer,
        address=address,
        currency="RUB",
        idempotency_key=public_id(),
        return_url=lambda order: "/",
    )
    resolve_session(reference=result.payment.provider_reference, approved=True)


def busy_core_seconds() -> float:
    """CPU time the whole machine has spent busy (every core, every process: PostgreSQL's as
    well as ours) since boot, from /proc/stat. Over a run, divided by what the run did, it
    is what one checkout costs the machine: a figure the shared machine's speed moves less
    than throughput, and one that says whether two cores can hold a target at all."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def process_core_seconds(pid: int) -> float:
    """CPU time (user and system) one process of this machine has spent, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name, in parentheses, may hold spaces: count fields after it.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int:
    """The PostgreSQL server process serving this process's connection (same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _flow_worker(index: int, count: int, queue, go) -> None:  # type: ignore[no-untyped-def]
    _setup()
    from django.db import connection

    buyer, address = _buyer(f"flow-{index}")
    offer_ids = _offers_by_currency(index)
    backend = _backend_pid()
    queue.put("ready")
    # Every worker set up (Django, connections) before any starts: the machine's busy time
    # over the run is the checkouts'.
    go.wait(timeout=600)
    started, cpu = time.perf_counter(), time.process_time()
    server = process_core_seconds(backend)
    for _ in range(count):
        one_checkout(buyer=buyer, address=address, offer_ids=offer_ids)
    server = process_core_seconds(backend) - server
    queue.put((time.perf_counter() - started, time.process_time() - cpu, server))
    connection.close()


def _rush_worker(index: int, buyers: int, offer_id: str, queue, go) -> None:  # type: ignore[no-untyped-def]
    _setup()
    from django.db import connection

    from caravan.cart.checkout import check_out
    from caravan.cart.services import add_to_cart, get_or_create_cart
    from caravan.kernel.errors import OutOfStock
    from caravan.kernel.ids import public_id

    prepared = []
    for number in range(buyers):
        buyer, address = _buyer(f"rush-{index}-{number}")
        cart = get_or_create_cart(token=None, user=buyer)
        cart.lines.all().delete()
        add_to_cart(cart=cart, offer_public_id=offer_id, quantity=1)
        prepared.append((buyer, address, cart))
    queue.put("ready")
    # Every worker's buyers are prepared before any checks out: the rush starts together.
    go.wait(timeout=600)
    placed = sold_out = 0
    started = time.perf_counter()
    last = started
    for buyer, address, cart in prepared:
        try:
            check_out(
                cart=cart,
                buyer=buyer,
                address=address,
                currency="RUB",
                idempotency_key=public_id(),
                return_url=lambda order: "/",
            )
            placed += 1
            last = time.perf_counter()
        except OutOfStock:
            sold_out += 1
    queue.put((placed, sold_out, last - started))
    connection.close()


def restock(*, workers: int, units: int) -> None:
    """Every worker's three offers back in stock (a rush may have sold one out)."""
    from caravan.offers.models import Offer

    for index in range(workers):
        Offer.objects.filter(public_id__in=_offers_by_currency(index)).update(
            stock_quantity=units, max_order_quantity=None
        )


def run_flow(workers: int, orders: int) -> float:
    restock(workers=workers, units=orders * 2 + 100)
    from django.db import connection

    connection.close()
    queue: multiprocessing.Queue = multiprocessing.Queue()
    per_worker = orders // workers
    go = multiprocessing.Event()
    processes = [
        multiprocessing.Process(target=_flow_worker, args=(i, per_worker, queue, go))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    assert [queue.get(timeout=600) for _ in processes] == ["ready"] * workers
    busy = busy_core_seconds()
    go.set()
    results = [queue.get(timeout=600) for _ in processes]
    busy = busy_core_seconds() - busy
    for process in processes:
        process.join(timeout=60)
    total = per_worker * workers
    elapsed = max(seconds for seconds, _cpu, _server in results)
    python = sum(cpu for _seconds, cpu, _server in results)
    server = sum(server for _seconds, _cpu, server in results)
    print(
        f"flow: {total} 3-seller cross-currency checkouts (cart, check_out, capture) by "
        f"{workers} processes: {total / elapsed:.1f} checkouts/s "
        f"({elapsed / per_worker * 1000:.1f} ms each per process); machine CPU "
        f"{busy / total * 1000:.1f} core-ms per checkout: the flow's processes "
        f"{python / total * 1000:.1f} ms, their PostgreSQL server processes "
        f"{server / total * 1000:.1f} ms, the rest (WAL writer, broker, cache, system) "
        f"{(busy - python - server) / total * 1000:.1f} ms"
    )
    return total / elapsed


def run_rush(workers: int, buyers: int, stock: int) -> float:
    """Orders placed per second while the stock lasted; exits if anything was oversold."""
    from django.db import connection

    from caravan.offers.models import Offer

    offer_id = _offers_by_currency()[0]
    Offer.objects.filter(public_id=offer_id).update(stock_quantity=stock, max_order_quantity=None)
    connection.close()
    queue: multiprocessing.Queue = multiprocessing.Queue()
    per_worker = buyers // workers
    go = multiprocessing.Event()
    processes = [
        multiprocessing.Process(target=_rush_worker, args=(i, per_worker, offer_id, queue, go))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    ready = [queue.get(timeout=600) for _ in range(workers)]
    assert ready == ["ready"] * workers
    busy = busy_core_seconds()
    go.set()
    results = [queue.get(timeout=600) for _ in range(workers)]
    busy = busy_core_seconds() - busy
    for process in processes:
        process.join(timeout=60)
    outcomes = results
    placed = sum(item[0] for item in outcomes)
    sold_out = sum(item[1] for item in outcomes)
    seconds = max(item[2] for item in outcomes)
    left = Offer.objects.get(public_id=offer_id).stock_quantity
    print(
        f"rush: {per_worker * workers} buyers, {stock} units, {workers} processes: "
        f"{placed} orders ({placed / seconds:.0f} orders/s while stock lasted), {sold_out} "
        f"sold out, stock left {left} -> {'OK' if placed == stock and left == 0 else 'OVERSOLD?'}; "
        f"machine CPU {busy / max(placed + sold_out, 1) * 1000:.1f} core-ms per buyer served "
        "(an order placed or refused: --stock as many as the buyers for orders only)"
    )
    if placed != stock or left != 0:
        raise SystemExit("the rush sold other than its stock")
    return placed / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--rush-buyers", type=int, default=300)
    parser.add_argument("--stock", type=int, default=100)
    parser.add_argument(
        "--rush-workers",
        type=int,
        default=8,
        help="buyers checking out at the same moment (processes) in the rush",
    )
    parser.add_argument("--skip-rush", action="store_true")
    options = parser.parse_args()
    _setup()
    run_flow(options.workers, options.orders)
    if not options.skip_rush:
        run_rush(options.rush_workers, options.rush_buyers, options.stock)


if __name__ == "__main__":
    main()
