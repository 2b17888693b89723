"""Forms of the parcels pages: a parcel with the quantity of each line, and an event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.parcels.models import Carrier, TrackingStatus
from caravan.parcels.selectors import LineToShip


class ParcelForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"), choices=Carrier.choices)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)

    def __init__(self, *args: Any, lines: Sequence[LineToShip], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [item for item in lines if item.remaining > 0]
        for item in self.lines:
            label = item.line.product_name
            if item.line.variant_label:
                label = f"{label} · {item.line.variant_label}"
            self.fields[self.line_field(item.line.id)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=item.remaining,
                initial=item.remaining,
                help_text=_("%(left)s of %(ordered)s left to ship")
                % {"left": item.remaining, "ordered": item.line.quantity},
            )

    @staticmethod
    def line_field(line_id: int) -> str:
        return f"line_{line_id}"

    def line_fields(self) -> list[forms.BoundField]:
        return [self[self.line_field(item.line.id)] for item in self.lines]

    def quantities(self) -> dict[int, int]:
        return {
            item.line.id: self.cleaned_data[self.line_field(item.line.id)] or 0
            for item in self.lines
        }


class TrackingEventForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[item for item in TrackingStatus.choices if item[0] != TrackingStatus.NOTE],
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    location = forms.CharField(label=_("Where"), max_length=120, required=False)
    description = forms.CharField(label=_("Note for the buyer"), max_length=255, required=False)

    @classmethod
    def blank(cls, prefix: str) -> TrackingEventForm:
        moment: datetime = timezone.localtime().replace(second=0, microsecond=0)
        return cls(prefix=prefix, initial={"occurred_at": moment})
