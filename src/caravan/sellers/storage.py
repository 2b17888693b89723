"""Where applicants' documents live: a private directory that no URL maps to.

Files are read back only through the back office view that checks the operator first; the
storage refuses to build a URL, so no template or admin page can link to one by mistake.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read from settings on every use (not cached at import) so tests can point it elsewhere.
    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("private files have no public URL")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
