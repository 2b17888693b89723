"""What people upload, checked by content: pictures, PDF documents and the request's size.

Every upload path (logos, product images, sellers' documents) reads pictures through
`read_image`, so one pixel limit and one message apply wherever an image is opened, and what
is stored is the picture re-encoded by Pillow: its EXIF (GPS, camera serial), text chunks and
anything appended after the image data are gone. A PDF must parse as a PDF (pypdf), not just
start with `%PDF-`. The size of a request is refused before its body is read
(`UploadLimitMiddleware`) and, where the length was not declared or lied about, while it
streams (`LimitedUploadHandler`). See docs/decisions/0009-doors.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from .errors import ValidationFailed

# A 40-megapixel photo is more than any logo, product picture or scanned page needs; above
# it, decoding alone takes hundreds of megabytes of memory.
MAX_IMAGE_PIXELS = 40_000_000
# Pillow refuses (DecompressionBombError) at twice its limit anywhere in the process, so an
# image opened outside read_image cannot exhaust memory either; read_image refuses earlier.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class CleanImage:
    """A picture decoded in full and encoded again: only its pixels are kept."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return IMAGE_FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_FORMATS[self.format][1]


def too_many_pixels() -> ValidationFailed:
    return ValidationFailed(
        _(
            "The picture has too many pixels (at most %(megapixels)d megapixels). "
            "Save it at a smaller size and upload it again."
        )
        % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_many_pixels",
    )


def _unreadable() -> ValidationFailed:
    return ValidationFailed(
        _("This is not a picture we can read. Upload a PNG, JPEG or WebP file."),
        code="image_unreadable",
    )


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text


def read_image(stream: IO[bytes]) -> CleanImage:
    """Decode a PNG, JPEG or WebP picture and encode it again without its metadata.

    Raises ValidationFailed (image_svg, image_too_many_pixels or image_unreadable)."""
    stream.seek(0)
    if _looks_like_svg(stream.read(1024)):
        raise ValidationFailed(
            _(
                "SVG pictures are not accepted (they can carry scripts). Upload a PNG, JPEG or WebP file."
            ),
            code="image_svg",
        )
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that; here it is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=list(IMAGE_FORMATS)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels()
                image_format = str(image.format)
                image.load()
                return _encode(image, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise _unreadable() from error
    finally:
        stream.seek(0)


def _encode(image: Image.Image, image_format: str) -> CleanImage:
    # The EXIF orientation goes with the rest of the EXIF, so it is applied to the pixels.
    upright = ImageOps.exif_transpose(image) or image
    upright.info = {}
    output = BytesIO()
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(output, "JPEG", quality=90, optimize=True)
    elif image_format == "WEBP":
        upright.save(output, "WEBP", quality=90)
    else:
        upright.save(output, "PNG", optimize=True)
    return CleanImage(
        content=output.getvalue(),
        format=image_format,
        width=upright.width,
        height=upright.height,
    )


def check_pdf(stream: IO[bytes]) -> None:
    """A PDF that pypdf parses in strict mode, with at least one page and no password."""
    refused = ValidationFailed(
        _("This file is not a readable PDF. Export or scan it to PDF again and upload it."),
        code="document_not_pdf",
    )
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=True)
        if reader.is_encrypted:
            raise ValidationFailed(
                _("The PDF is protected by a password. Upload a copy without one."),
                code="document_encrypted",
            )
        page_count = len(reader.pages)
    except ValidationFailed:
        raise
    except Exception as error:
        # Hostile bytes can make a parser fail in any way; each of them means "not a PDF".
        raise refused from error
    finally:
        stream.seek(0)
    if page_count == 0:
        raise refused


# --- The request's size -----------------------------------------------------------------------


class UploadTooLarge(RequestDataTooBig):
    """An upload past MAX_UPLOAD_REQUEST_BYTES; a RequestDataTooBig so Django answers 400
    wherever the body is parsed outside UploadLimitMiddleware."""


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file in the request as they stream in and stops the parse
    at the limit, so a body without an honest Content-Length is not read in full either."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_REQUEST_BYTES:
            raise UploadTooLarge("upload larger than MAX_UPLOAD_REQUEST_BYTES")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(request: HttpRequest) -> HttpResponse:
    megabytes = settings.MAX_UPLOAD_REQUEST_BYTES // (1024 * 1024)
    content = render_to_string("413.html", {"megabytes": megabytes}, request=request)
    # No "Connection: close" here: WSGI forbids hop-by-hop headers from the application; the
    # server decides whether to drain the unread rest of the body or drop the connection.
    return HttpResponse(content, status=413)


class UploadLimitMiddleware:
    """Refuses a multipart body over the limit from its declared length before reading it,
    and parses the others here, through LimitedUploadHandler, so one that grows past the
    limit while streaming gets the same page instead of a bare 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > settings.MAX_UPLOAD_REQUEST_BYTES:
                return _too_large(request)
            try:
                request.FILES  # noqa: B018 - parsing here is the point
            except UploadTooLarge:
                return _too_large(request)
        return self.get_response(request)
