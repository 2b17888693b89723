"""The embedded mode's scheduler: the beat schedule's jobs, run in turn at their intervals on
an injected clock (nothing here sleeps), a failing job logged and the others still run."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from caravan.kernel.scheduler import (
    PeriodicJob,
    Scheduler,
    periodic_jobs,
    run_until_stopped,
    start_inprocess_scheduler,
)


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def three_jobs() -> list[PeriodicJob]:
    return periodic_jobs(
        {
            "hourly": {"task": "tasks.hourly", "schedule": 3600.0},
            "every-minute": {"task": "tasks.minute", "schedule": 60},
            "every-ten-minutes": {"task": "tasks.ten", "schedule": timedelta(minutes=10)},
        }
    )


def recording_scheduler(clock: FakeClock, *, first_run_delay: float = 10.0):
    ran: list[str] = []
    scheduler = Scheduler(
        jobs=three_jobs(),
        run_job=lambda job: ran.append(job.task),
        clock=clock,
        first_run_delay=first_run_delay,
    )
    return scheduler, ran


def test_nothing_runs_before_the_first_run_delay_and_then_every_job_runs_in_schedule_order():
    clock = FakeClock()
    scheduler, ran = recording_scheduler(clock)

    clock.seconds = 1009.0
    before = scheduler.run_due()
    clock.seconds = 1010.0
    first = scheduler.run_due()

    assert before == []
    assert first == ["hourly", "every-minute", "every-ten-minutes"]
    assert ran == ["tasks.hourly", "tasks.minute", "tasks.ten"]


def test_each_job_runs_again_after_its_own_interval_only():
    clock = FakeClock()
    scheduler, ran = recording_scheduler(clock, first_run_delay=0)
    scheduler.run_due()
    ran.clear()

    clock.seconds = 1059.0
    early = scheduler.run_due()
    clock.seconds = 1060.0
    minute = scheduler.run_due()
    clock.seconds = 1600.0
    ten_minutes = scheduler.run_due()

    assert early == []
    assert minute == ["every-minute"]
    # The minute job fell due at 1120 and the ten-minute one at 1600: the older first.
    assert ten_minutes == ["every-minute", "every-ten-minutes"]
    assert ran == ["tasks.minute", "tasks.minute", "tasks.ten"]
    assert scheduler.due_at("every-minute") == 1660.0
    assert scheduler.due_at("hourly") == 4600.0


def test_a_job_overdue_many_times_while_the_process_slept_runs_once():
    clock = FakeClock()
    scheduler, ran = recording_scheduler(clock, first_run_delay=0)
    scheduler.run_due()
    ran.clear()

    clock.seconds = 1000.0 + 5 * 3600
    after_sleep = scheduler.run_due()
    right_after = scheduler.run_due()

    # The longest overdue first: the minute job fell due at 1060, the hourly one at 4600.
    assert after_sleep == ["every-minute", "every-ten-minutes", "hourly"]
    assert right_after == []
    assert scheduler.due_at("every-minute") == 1000.0 + 5 * 3600 + 60


def test_a_failing_job_is_logged_the_others_still_run_and_it_is_tried_at_its_next_interval(
    caplog,
):
    clock = FakeClock()
    ran: list[str] = []

    def run_job(job: PeriodicJob) -> None:
        ran.append(job.name)
        if job.name == "hourly":
            raise RuntimeError("the carrier is down")

    scheduler = Scheduler(jobs=three_jobs(), run_job=run_job, clock=clock, first_run_delay=0)

    with caplog.at_level(logging.ERROR, logger="caravan.kernel.scheduler"):
        first = scheduler.run_due()
    clock.seconds = 1000.0 + 3600
    second = scheduler.run_due()

    assert first == ["hourly", "every-minute", "every-ten-minutes"]
    assert second == ["every-minute", "every-ten-minutes", "hourly"]
    assert ran.count("hourly") == 2
    assert [record.getMessage() for record in caplog.records] == [
        "periodic job hourly (tasks.hourly) failed",
        "periodic job hourly (tasks.hourly) failed",
    ]
    assert caplog.records[0].exc_info is not None


def test_the_next_run_counts_from_when_a_long_job_began_but_never_lies_in_the_past():
    clock = FakeClock()

    def slow(job: PeriodicJob) -> None:
        clock.seconds += 90.0  # longer than the minute job's interval

    scheduler = Scheduler(
        jobs=periodic_jobs({"every-minute": {"task": "tasks.minute", "schedule": 60.0}}),
        run_job=slow,
        clock=clock,
        first_run_delay=0,
    )

    scheduler.run_due()

    assert scheduler.due_at("every-minute") == 1090.0
    assert scheduler.seconds_until_next() == 0.0


def test_a_crontab_entry_is_refused_rather_than_silently_skipped():
    from celery.schedules import crontab

    with pytest.raises(ValueError, match="'nightly': the in-process scheduler runs plain"):
        periodic_jobs({"nightly": {"task": "tasks.night", "schedule": crontab(hour=3)}})


def test_every_entry_of_the_beat_schedule_is_a_registered_task_with_an_interval(settings):
    from celery import current_app

    current_app.loader.import_default_modules()

    jobs = periodic_jobs(settings.CELERY_BEAT_SCHEDULE)

    assert [job.name for job in jobs] == list(settings.CELERY_BEAT_SCHEDULE)
    assert [job.task for job in jobs if job.task not in current_app.tasks] == []


def test_the_loop_stops_when_told_and_a_scheduler_failure_does_not_end_it(caplog):
    clock = FakeClock()
    stop = threading.Event()
    passes: list[int] = []

    class Flaky(Scheduler):
        def run_due(self) -> list[str]:
            passes.append(1)
            if len(passes) == 1:
                raise RuntimeError("broken")
            stop.set()
            return []

    scheduler = Flaky(jobs=[], run_job=lambda job: None, clock=clock)

    with caplog.at_level(logging.ERROR, logger="caravan.kernel.scheduler"):
        run_until_stopped(scheduler, stop=_NoWait(stop))

    assert len(passes) == 2
    assert [record.getMessage() for record in caplog.records] == ["the in-process scheduler failed"]


class _NoWait:
    """The stop event, with waits that return at once, so the loop above never sleeps."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def is_set(self) -> bool:
        return self.event.is_set()

    def wait(self, timeout: float) -> bool:
        return self.event.is_set()


def test_the_scheduler_is_off_under_the_test_settings():
    from django.conf import settings

    assert settings.CARAVAN_INPROCESS_SCHEDULER is False
    assert start_inprocess_scheduler() is None
    assert "caravan-scheduler" not in {thread.name for thread in threading.enumerate()}


SETTING = "from django.conf import settings; print(settings.CARAVAN_INPROCESS_SCHEDULER)"


@pytest.mark.parametrize(
    ("module", "extra", "expected"),
    [
        ("caravan.config.settings.dev", {}, "True"),
        ("caravan.config.settings.dev", {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}, "False"),
        (
            "caravan.config.settings.production",
            {"SECRET_KEY": "s" * 64, "PAYMENT_ALLOW_SANDBOX": "1"},
            "False",
        ),
    ],
)
def test_the_scheduler_is_on_only_in_the_dev_settings_without_a_broker(
    tmp_path, module, extra, expected
):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CARAVAN_INPROCESS_SCHEDULER", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": module,
            "CARAVAN_VAR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'caravan.sqlite3'}",
            **extra,
        }
    )

    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SETTING}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stderr == ""
    assert result.stdout.strip() == expected
