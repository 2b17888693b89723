"""The embedded mode's scheduler runs the parcel poll as Celery beat would: the registered task,
in the scheduler's thread, its database connection closed after."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections

from caravan.kernel.scheduler import periodic_jobs, run_celery_task
from caravan.parcels.models import Parcel

from .helpers import paid_order, seller_order_of, ship


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_its_celery_task_and_closes_its_own_database_connection(market, monkeypatch):
    seller_order = seller_order_of(paid_order(market, quantity_cn=1), market.seller_cn)
    parcel = ship(seller_order, tracking="SBX-CN-9", carrier="sandbox")
    Parcel.objects.filter(id=parcel.id).update(shipped_at=parcel.shipped_at - timedelta(hours=8))
    job = periodic_jobs(
        {"poll": {"task": "caravan.parcels.tasks.poll_tracking", "schedule": 60.0}}
    )[0]
    outcome: dict[str, object] = {}
    closed_in: list[str] = []
    close_all = connections.close_all

    def recording_close_all() -> None:
        # The test database lives in memory, where Django's close keeps the connection open,
        # so the call itself is what can be seen.
        closed_in.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(connections, "close_all", recording_close_all)

    def in_the_scheduler_thread() -> None:
        outcome["result"] = run_celery_task(job)

    thread = threading.Thread(target=in_the_scheduler_thread, name="caravan-scheduler-test")
    thread.start()
    thread.join(timeout=60)

    parcel.refresh_from_db()
    assert outcome == {"result": 2}
    assert closed_in == ["caravan-scheduler-test"]
    assert parcel.status == "in_transit"
