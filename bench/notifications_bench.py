"""Notifications: what an event costs the worker that handles it, and how fast the sender
empties the outbox.

    .venv/bin/python bench/notifications_bench.py --var /tmp/demo-var [--rounds 20] [--rows 2000]

Runs against a seeded demo database (`caravan seed-demo` with CARAVAN_VAR=<var>, or the
database in DATABASE_URL), on a copy of its messages: it deletes the outbox between rounds,
so do not point it at a database whose messages matter. Times, with the mail backend in
memory and the sandbox SMS gateway:

  1. handling OrderPaid for every paid demo order (the buyer's mail and each seller's),
     per event, over --rounds rounds;
  2. the sweep sending --rows pending mails (one conditional UPDATE to claim, the
     transport, one UPDATE to record), in rows per second.

Prints the figures; they are recorded by hand in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True, help="the demo's CARAVAN_VAR directory")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rows", type=int, default=2000)
    options = parser.parse_args()
    os.environ["CARAVAN_VAR"] = options.var
    os.environ["DJANGO_SETTINGS_MODULE"] = "caravan.config.settings.dev"
    os.environ["DEBUG"] = "0"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core import mail
    from django.db import connection

    from caravan.kernel.clock import now
    from caravan.notifications.models import Message
    from caravan.notifications.services import send_due_messages
    from caravan.notifications.subscribers import handle
    from caravan.orders.models import Order

    mail.outbox = []
    orders = list(Order.objects.filter(paid_at__isnull=False).values_list("id", flat=True))
    if not orders:
        sys.exit("no paid orders: seed the demo first (caravan seed-demo)")
    timings = []
    for _round in range(max(1, min(options.rounds, 200))):
        Message.objects.all().delete()
        for order_id in orders:
            started = time.perf_counter()
            handle(event_name="OrderPaid", fields={"order_id": order_id})
            timings.append(time.perf_counter() - started)
    per_event = Message.objects.count() / len(orders)
    print(f"database: {connection.vendor}; {len(orders)} paid orders, {per_event:.1f} mails each")
    print(
        f"handling OrderPaid: median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms over {len(timings)} events"
    )

    template = Message.objects.order_by("id").first()
    assert template is not None
    Message.objects.all().delete()
    rows = max(1, min(options.rows, 20000))
    Message.objects.bulk_create(
        [
            Message(
                event_key=f"bench:{index}",
                kind=template.kind,
                channel=template.channel,
                user_id=template.user_id,
                address=template.address,
                language=template.language,
                subject=template.subject,
                body_text=template.body_text,
                body_html=template.body_html,
                unsubscribe_url=template.unsubscribe_url,
                next_attempt_at=now(),
            )
            for index in range(rows)
        ]
    )
    mail.outbox = []
    started = time.perf_counter()
    sent = 0
    deadline = started + 300
    while sent < rows and time.perf_counter() < deadline:
        sent += send_due_messages(limit=500)
    elapsed = time.perf_counter() - started
    print(f"sweep: {sent} of {rows} mails sent in {elapsed:.1f} s, {sent / elapsed:.0f} mails/s")
    assert len(mail.outbox) == sent
    Message.objects.all().delete()


if __name__ == "__main__":
    main()
