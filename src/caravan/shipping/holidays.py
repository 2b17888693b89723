"""ShippingProfile.holiday_dates, the copy of a profile's NonWorkingDay dates the quotes read
(one statement fewer on the checkout's path: the zones' query brings the profile with it).

Every NonWorkingDay save and delete refreshes it (signals, so the admin's edits count too);
a bulk_create sends no signal, and its caller refreshes by hand."""

from __future__ import annotations

from typing import Any

from .models import NonWorkingDay, ShippingProfile


def refresh_holiday_dates(profile_id: int) -> None:
    dates = sorted(
        day.isoformat()
        for day in NonWorkingDay.objects.filter(profile_id=profile_id).values_list(
            "date", flat=True
        )
    )
    ShippingProfile.objects.filter(id=profile_id).update(holiday_dates=dates)


def on_holiday_changed(sender: type[NonWorkingDay], instance: NonWorkingDay, **kwargs: Any) -> None:
    refresh_holiday_dates(instance.profile_id)
