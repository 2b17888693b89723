"""The admin saves models directly, past the services that announce a change. A model admin
that shows buyers something (a product, an offer, a delivery price) names what an edit
touched and how to announce it; every save (the form and its inlines) and every delete,
one or many, then announces it as the services' own changes do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest


class AnnouncesEdits(admin.ModelAdmin):  # type: ignore[type-arg]
    def edited(self, obj: Any) -> list[Any]:
        """What an edit of `obj` touched, read before a delete."""
        raise NotImplementedError

    def announce(self, touched: Sequence[Any]) -> None:
        raise NotImplementedError

    def saved(self, obj: Any) -> None:
        """After the object and its inlines are saved, before the announcement."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.saved(form.instance)
        self.announce(self.edited(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        touched = self.edited(obj)
        super().delete_model(request, obj)
        self.announce(touched)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        touched = [item for obj in queryset for item in self.edited(obj)]
        super().delete_queryset(request, queryset)
        self.announce(touched)
