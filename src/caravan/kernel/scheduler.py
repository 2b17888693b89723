"""The periodic jobs of the embedded mode (docs/decisions/0019-inprocess-scheduler.md).

In production Celery beat runs settings.CELERY_BEAT_SCHEDULE. The demo and development serve
with `caravan runserver` and no broker, where nothing would run those jobs: unpaid orders
would never expire, escrow never release, parcels never move. There, a daemon thread of the
server process runs the same entries at their intervals, one job at a time, each in its own
database connection, closed after. A job that fails is logged and tried again at its next
interval; nothing a job does stops the thread.

The schedule is read from CELERY_BEAT_SCHEDULE, never listed twice. Only plain intervals are
understood (seconds or a timedelta): a crontab entry is refused when the thread starts, so a
job is never silently skipped."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

# Every job's first run comes this long after the server starts (it catches up on what fell
# due while the demo was not running), after the server has begun to answer.
FIRST_RUN_DELAY_SECONDS = 10.0
# The thread wakes at least this often, so a stop is noticed without waiting for a long job.
LONGEST_SLEEP_SECONDS = 30.0


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    interval_seconds: float
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def periodic_jobs(schedule: Mapping[str, Mapping[str, Any]]) -> list[PeriodicJob]:
    """The jobs of a Celery beat schedule, in its order."""
    jobs = []
    for name, entry in schedule.items():
        interval = entry["schedule"]
        if isinstance(interval, timedelta):
            seconds = interval.total_seconds()
        elif isinstance(interval, int | float):
            seconds = float(interval)
        else:
            raise ValueError(
                f"periodic job {name!r}: the in-process scheduler runs plain intervals only, "
                f"not {type(interval).__name__}"
            )
        if seconds <= 0:
            raise ValueError(f"periodic job {name!r}: the interval must be positive")
        jobs.append(
            PeriodicJob(
                name=name,
                task=entry["task"],
                interval_seconds=seconds,
                args=tuple(entry.get("args", ())),
                kwargs=dict(entry.get("kwargs", {})),
            )
        )
    return jobs


class Scheduler:
    """Which job is due and when the next one will be; `run_due` runs the due ones in turn.
    The clock is a monotonic count of seconds (injected by tests), so a change of the wall
    clock neither skips nor repeats a run."""

    def __init__(
        self,
        *,
        jobs: Iterable[PeriodicJob],
        run_job: Callable[[PeriodicJob], object],
        clock: Callable[[], float] = time.monotonic,
        first_run_delay: float = FIRST_RUN_DELAY_SECONDS,
    ) -> None:
        self.jobs = list(jobs)
        self._run_job = run_job
        self._clock = clock
        start = clock() + first_run_delay
        self._due = {job.name: start for job in self.jobs}

    def due_at(self, name: str) -> float:
        return self._due[name]

    def seconds_until_next(self) -> float:
        if not self.jobs:
            return LONGEST_SLEEP_SECONDS
        return max(0.0, min(self._due.values()) - self._clock())

    def run_due(self) -> list[str]:
        """Runs every job due now, the longest overdue first (the schedule's order among
        equals), one after the other; returns the names run. A job's next run is an
        interval after this one began; one that fell due several times while the process
        slept runs once."""
        moment = self._clock()
        position = {job.name: index for index, job in enumerate(self.jobs)}
        due = sorted(
            (job for job in self.jobs if self._due[job.name] <= moment),
            key=lambda job: (self._due[job.name], position[job.name]),
        )
        ran = []
        for job in due:
            began = self._clock()
            try:
                self._run_job(job)
            except Exception:
                logger.exception("periodic job %s (%s) failed", job.name, job.task)
            self._due[job.name] = max(began + job.interval_seconds, self._clock())
            ran.append(job.name)
        return ran


def run_celery_task(job: PeriodicJob) -> object:
    """The job's Celery task, run here and now, in a database connection of its own that is
    closed after (the thread's connection would otherwise stay open between runs)."""
    from celery import current_app

    current_app.loader.import_default_modules()
    task = current_app.tasks[job.task]
    try:
        return task.apply(args=job.args, kwargs=dict(job.kwargs), throw=True).get()
    finally:
        connections.close_all()


def run_until_stopped(scheduler: Scheduler, *, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            scheduler.run_due()
        except Exception:
            # run_due catches each job's failure; this is the scheduler's own, kept from
            # ending the thread.
            logger.exception("the in-process scheduler failed")
        stop.wait(min(scheduler.seconds_until_next(), LONGEST_SLEEP_SECONDS))


_started: threading.Thread | None = None
_lock = threading.Lock()


def start_inprocess_scheduler() -> threading.Thread | None:
    """Starts the thread once per process when settings.CARAVAN_INPROCESS_SCHEDULER is on;
    returns it (None when it is off). A daemon: it ends with the server process."""
    global _started
    if not settings.CARAVAN_INPROCESS_SCHEDULER:
        return None
    with _lock:
        if _started is None:
            scheduler = Scheduler(
                jobs=periodic_jobs(settings.CELERY_BEAT_SCHEDULE), run_job=run_celery_task
            )
            thread = threading.Thread(
                target=run_until_stopped,
                kwargs={"scheduler": scheduler, "stop": threading.Event()},
                name="caravan-scheduler",
                daemon=True,
            )
            thread.start()
            logger.info(
                "in-process scheduler: %s periodic jobs (%s)",
                len(scheduler.jobs),
                ", ".join(job.name for job in scheduler.jobs),
            )
            _started = thread
        return _started
