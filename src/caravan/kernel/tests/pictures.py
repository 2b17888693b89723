"""Pictures built byte by byte for upload tests (not a test module)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header claims width x height pixels (a decompression bomb's shape:
    the claim alone would cost gigabytes to decode)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def jpeg_with_exif(size: tuple[int, int] = (40, 30), orientation: int = 1) -> bytes:
    """A JPEG carrying EXIF: a camera serial number and a GPS position, and an orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPS: a home's latitude
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_with_text(size: tuple[int, int] = (20, 20)) -> bytes:
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 0)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()
