"""`caravan runserver`: Django's development server (with the static files app's handling),
plus the in-process scheduler of the embedded mode when the settings turn it on
(CARAVAN_INPROCESS_SCHEDULER, docs/decisions/0019-inprocess-scheduler.md).

The kernel app is listed before django.contrib.staticfiles so this command is the one found."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.management.commands.runserver import (
    Command as StaticFilesRunserver,
)

from caravan.kernel.scheduler import start_inprocess_scheduler


class Command(StaticFilesRunserver):
    def inner_run(self, *args: Any, **options: Any) -> None:
        # inner_run is the serving process (the autoreloader's child, or the only process
        # with --noreload), so the watching parent never runs the jobs too.
        if start_inprocess_scheduler() is not None:
            self.stdout.write("Periodic jobs run in this process (CARAVAN_INPROCESS_SCHEDULER).")
        super().inner_run(*args, **options)
