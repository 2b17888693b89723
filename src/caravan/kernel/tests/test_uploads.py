import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from PIL import Image
from pypdf import PdfWriter

from caravan.kernel import uploads
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.tests.pictures import jpeg_with_exif, png_declaring, png_with_text


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_png_declaring_30000_by_30000_pixels_is_refused_before_decoding():
    with pytest.raises(ValidationFailed) as caught:
        uploads.read_image(io.BytesIO(png_declaring(30000, 30000)))

    assert caught.value.code == "image_too_many_pixels"
    assert caught.value.message == (
        "The picture has too many pixels (at most 40 megapixels). "
        "Save it at a smaller size and upload it again."
    )


def test_a_picture_just_over_the_limit_is_refused_below_pillows_own_bomb_limit():
    with pytest.raises(ValidationFailed) as caught:
        uploads.read_image(io.BytesIO(png_declaring(8000, 5001)))

    assert caught.value.code == "image_too_many_pixels"


def test_a_jpeg_is_re_encoded_without_its_exif_and_kept_upright():
    original = jpeg_with_exif(size=(40, 30), orientation=6)  # "rotate 90° to view"

    clean = uploads.read_image(io.BytesIO(original))

    reopened = Image.open(io.BytesIO(clean.content))
    assert (clean.format, clean.content_type, clean.extension) == ("JPEG", "image/jpeg", "jpg")
    assert reopened.size == (30, 40)
    assert dict(reopened.getexif()) == {}
    assert b"SERIAL-12345" not in clean.content


def test_a_png_loses_its_text_chunks():
    clean = uploads.read_image(io.BytesIO(png_with_text()))

    assert clean.format == "PNG"
    assert b"<script>" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).info.get("Comment") is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "image_svg"),
        (b"<svg onload='alert(1)'></svg>", "image_svg"),
        (b"GIF89a" + b"\x00" * 40, "image_unreadable"),
        (b"not a picture at all", "image_unreadable"),
        (png_declaring(20, 20)[:40], "image_unreadable"),
    ],
)
def test_svg_and_unreadable_files_are_refused(data, code):
    with pytest.raises(ValidationFailed) as caught:
        uploads.read_image(io.BytesIO(data))

    assert caught.value.code == code


def test_a_pdf_that_parses_is_accepted():
    uploads.check_pdf(io.BytesIO(_pdf(pages=2)))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>",
        b"%PDF-1.4\n" + b"0" * 2000,
        _pdf(pages=1)[:200],
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(data):
    with pytest.raises(ValidationFailed) as caught:
        uploads.check_pdf(io.BytesIO(data))

    assert caught.value.code == "document_not_pdf"


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ValidationFailed) as caught:
        uploads.check_pdf(io.BytesIO(buffer.getvalue()))

    assert caught.value.code == "document_encrypted"


class CountingStream:
    """The request body as the server hands it over, counting what the parser reads."""

    def __init__(self, inner):
        self.inner = inner
        self.read_bytes = 0

    def read(self, size=-1):
        data = self.inner.read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = self.inner.readline(size)
        self.read_bytes += len(data)
        return data


def _view_reached(request):
    return HttpResponse(f"files: {len(request.FILES)}")


def _multipart_request(*, file_bytes: int):
    request = RequestFactory().post(
        "/seller/apply/",
        {"document": SimpleUploadedFile("big.pdf", b"0" * file_bytes), "kind": "registration"},
    )
    request._stream = CountingStream(request._stream)
    return request


def test_a_body_declared_over_the_limit_is_refused_without_reading_it(settings, db):
    settings.MAX_UPLOAD_REQUEST_BYTES = 1024 * 1024
    request = _multipart_request(file_bytes=50_000)
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)

    response = uploads.UploadLimitMiddleware(_view_reached)(request)

    assert response.status_code == 413
    assert request._stream.read_bytes == 0
    assert b"Files sent at once may add up to 1 MB." in response.content


def test_a_file_growing_past_the_limit_stops_the_parse_while_streaming(settings, db):
    settings.MAX_UPLOAD_REQUEST_BYTES = 256 * 1024
    request = _multipart_request(file_bytes=4 * 1024 * 1024)
    # The declared length passes (a proxy may not tell); the streaming count stops it.
    request.META["CONTENT_LENGTH"] = str(200 * 1024)

    response = uploads.UploadLimitMiddleware(_view_reached)(request)

    assert response.status_code == 413
    assert request._stream.read_bytes < 512 * 1024


def test_a_request_under_the_limit_reaches_the_view_with_its_file(settings, db):
    settings.MAX_UPLOAD_REQUEST_BYTES = 1024 * 1024
    request = _multipart_request(file_bytes=50_000)

    response = uploads.UploadLimitMiddleware(_view_reached)(request)

    assert response.status_code == 200
    assert response.content == b"files: 1"


def test_the_refusal_carries_no_hop_by_hop_header(settings, db):
    settings.MAX_UPLOAD_REQUEST_BYTES = 1024
    request = _multipart_request(file_bytes=50_000)

    response = uploads.UploadLimitMiddleware(_view_reached)(request)

    assert response.status_code == 413
    assert not response.has_header("Connection")
