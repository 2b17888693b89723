"""Bulk import of a seller's offers: upload and dry run, then apply in one transaction.

preview_import() keeps the upload in private storage (VAR_DIR/private/imports, never served)
and records what applying it would do; nothing about offers or products is written.
apply_import() runs the same rows again inside one transaction and writes the valid ones.
A file-level problem (format, encoding, columns, size) raises FileRejected and leaves
nothing behind: no record, no stored file.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, ValidationFailed
from caravan.sellers.models import Seller

from .models import OfferImport
from .planner import ImportReport, ImportRun
from .readers import MAX_UPLOAD_BYTES, FileRejected, detect_format, read_rows
from .selectors import get_seller_import

MAX_NAME_LENGTH = 255


def imports_dir() -> Path:
    configured = getattr(settings, "IMPORTS_DIR", None)
    directory = Path(configured) if configured else Path(settings.VAR_DIR) / "private" / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def stored_path(offer_import: OfferImport) -> Path:
    return imports_dir() / offer_import.stored_name


def preview_import(*, seller: Seller, uploaded_by: User, upload: UploadedFile) -> OfferImport:
    """Store the upload, dry-run every row, and record the outcome for the seller to confirm."""
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise FileRejected(
            _("The file is larger than %(size)s MB; split it into several files.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="import_too_large",
        )
    stored_name = f"{seller.public_id}-{secrets.token_urlsafe(16)}.upload"
    path = imports_dir() / stored_name
    try:
        written = 0
        with path.open("xb") as target:
            for chunk in upload.chunks():
                written += len(chunk)
                # The declared size may lie; the bytes do not.
                if written > MAX_UPLOAD_BYTES:
                    raise FileRejected(
                        _("The file is larger than %(size)s MB; split it into several files.")
                        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
                        code="import_too_large",
                    )
                target.write(chunk)
        file_format = detect_format(path)
        report = ImportRun(seller=seller, apply=False).run(read_rows(path, file_format))
        return OfferImport.objects.create(
            seller=seller,
            uploaded_by=uploaded_by,
            original_name=(upload.name or "offers")[:MAX_NAME_LENGTH],
            file_format=file_format,
            stored_name=stored_name,
            size_bytes=written,
            **_counts(report),
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _counts(report: ImportReport) -> dict[str, object]:
    return {
        "row_count": report.rows,
        "create_count": report.created,
        "update_count": report.updated,
        "unchanged_count": report.unchanged,
        "error_count": report.error_rows,
        "product_count": report.products,
        "errors": [error.as_dict() for error in report.errors],
    }


@transaction.atomic
def apply_import(*, seller: Seller, public_id: str) -> OfferImport:
    """Write the valid rows of a previewed upload, all in this one transaction. The counts
    are those of this run: the catalog or the offers may have moved since the preview."""
    offer_import = get_seller_import(seller=seller, public_id=public_id, for_update=True)
    if offer_import.status != OfferImport.Status.PREVIEWED:
        raise InvalidTransition(
            _("This file has already been applied."), code="import_already_applied"
        )
    path = stored_path(offer_import)
    if not path.is_file():
        raise FileRejected(
            _("The uploaded file is no longer kept; upload it again."), code="import_file_gone"
        )
    try:
        report = ImportRun(seller=seller, apply=True).run(read_rows(path, offer_import.file_format))
    except IntegrityError as error:
        # Someone changed the same offers between this run's lookups and its writes; the
        # transaction is rolled back whole.
        raise ValidationFailed(
            _(
                "Your offers changed while the file was being written, so nothing was "
                "written. Try again."
            ),
            code="import_conflict",
        ) from error
    for name, value in _counts(report).items():
        setattr(offer_import, name, value)
    offer_import.status = OfferImport.Status.APPLIED
    offer_import.applied_at = now()
    offer_import.stored_name = ""
    offer_import.save()
    # The file is only deleted once the rows it wrote are committed.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return offer_import


@transaction.atomic
def discard_import(*, seller: Seller, public_id: str) -> None:
    """The seller changed their mind: the preview and its file go, nothing else changes."""
    offer_import = get_seller_import(seller=seller, public_id=public_id, for_update=True)
    if offer_import.status != OfferImport.Status.PREVIEWED:
        raise InvalidTransition(
            _("This file has already been applied."), code="import_already_applied"
        )
    path = stored_path(offer_import)
    offer_import.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


# A preview nobody confirmed is dropped after this long, its file with it.
PREVIEW_LIFETIME = timedelta(days=2)


def purge_stale_imports(*, older_than: timedelta = PREVIEW_LIFETIME) -> int:
    """Previews left unconfirmed, and any stray file in the private directory (an upload cut
    off by a crash), are deleted. Safe to run twice. Returns how many previews went."""
    cutoff = now() - older_than
    stale = list(
        OfferImport.objects.filter(
            status=OfferImport.Status.PREVIEWED, created_at__lt=cutoff
        ).values_list("id", "stored_name")
    )
    OfferImport.objects.filter(id__in=[import_id for import_id, _name in stale]).delete()
    directory = imports_dir()
    for _import_id, stored_name in stale:
        if stored_name:
            (directory / stored_name).unlink(missing_ok=True)
    kept = set(OfferImport.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    for path in directory.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
    return len(stale)
