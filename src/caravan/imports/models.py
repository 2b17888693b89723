"""One upload of a seller's offers file: its dry-run preview and, once confirmed, the result.

The file itself lives in private storage (never under MEDIA_ROOT) until it is applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id
from caravan.sellers.models import Seller


class OfferImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("checked, waiting for confirmation")
        APPLIED = "applied", _("applied")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="offer_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # Relative to the private imports directory; emptied once the file is applied.
    stored_name = models.CharField(max_length=80, blank=True)
    size_bytes = models.PositiveIntegerField(_("size"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    create_count = models.PositiveIntegerField(_("new offers"), default=0)
    update_count = models.PositiveIntegerField(_("updated offers"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    product_count = models.PositiveIntegerField(_("new products proposed"), default=0)
    # [{"line": 7, "column": "price", "message": "..."}], the first few hundred.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offer import")
        verbose_name_plural = _("offer imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.original_name} ({self.status})"
