"""Senders racing for the same outbox rows on the real PostgreSQL server: each row is sent
once. Each sender runs in its own thread (its own connection); a barrier starts them."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connections

from caravan.kernel.clock import now
from caravan.notifications import kinds
from caravan.notifications.compose import Content
from caravan.notifications.models import Message
from caravan.notifications.services import Recipient, queue, send_due_messages
from tests.factories import make_user

SENDERS = 8
ROWS = 40
JOIN_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.postgres


def _race(target, *, count: int) -> dict[int, str]:
    barrier = threading.Barrier(count)
    outcomes: dict[int, str] = {}

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
            outcomes[index] = str(target())
        except Exception as error:  # recorded and asserted on: the test must see any surprise
            outcomes[index] = f"unexpected {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_eight_senders_sweeping_at_once_send_each_row_once():
    user = make_user(email="racer@example.com")
    for index in range(ROWS):
        Message.objects.create(
            event_key=f"{kinds.ORDER_PLACED}:order-{index}",
            kind=kinds.ORDER_PLACED,
            channel=Message.Channel.EMAIL,
            user=user,
            address=user.email,
            language="en",
            subject=f"Order {index} is placed",
            body_text="Thank you.",
            next_attempt_at=now(),
        )

    outcomes = _race(send_due_messages, count=SENDERS)

    assert sum(int(sent) for sent in outcomes.values()) == ROWS
    assert sorted(sent.subject for sent in mail.outbox) == sorted(
        f"Order {index} is placed" for index in range(ROWS)
    )
    assert set(Message.objects.values_list("status", "attempts")) == {(Message.Status.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_one_event_queued_by_eight_workers_at_once_is_written_and_sent_once():
    user = make_user(email="twice@example.com")

    def queue_once() -> int:
        return len(
            queue(
                kind=kinds.ORDER_PAID,
                about="order-42",
                recipients=[Recipient(user)],
                compose=lambda: Content(subject="Payment received", paragraphs=["Thanks."]),
            )
        )

    outcomes = _race(queue_once, count=SENDERS)

    assert sorted(outcomes.values()) == ["0"] * (SENDERS - 1) + ["1"]
    assert Message.objects.get().status == Message.Status.SENT
    assert [sent.subject for sent in mail.outbox] == ["Payment received"]
