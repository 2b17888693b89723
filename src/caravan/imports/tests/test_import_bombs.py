"""XLSX zip bombs: a small upload that would unpack to gigabytes, or to millions of rows, is
refused with one message before openpyxl expands it. Each bomb is built here, in memory, in
well under a second and a few hundred kilobytes."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from caravan.imports.readers import MAX_ROWS, MAX_UPLOAD_BYTES, XLSX, FileRejected, read_rows

from .helpers import gtin, xlsx_bytes
from .test_import_files import refused

SHEET = "xl/worksheets/sheet1.xml"
TOO_LARGE = "The workbook is too large; split it into several files."
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS} rows; split it into several files."


def workbook_parts() -> dict[str, bytes]:
    data = xlsx_bytes([["seller_sku", "gtin", "price", "stock"], ["HP-1", gtin(1), 10, 1]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes], *, zeros: tuple[str, int] | None = None) -> bytes:
    """The parts zipped again; `zeros` adds a member of that many zero bytes, streamed in
    1 MB pieces so the test never holds the unpacked bomb either."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        if zeros is not None:
            name, size = zeros
            chunk = bytes(1024 * 1024)
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    return buffer.getvalue()


def refused_unopened(shop, data: bytes) -> FileRejected:
    """Refused with any member opened for reading failing the test: the bomb must be judged
    by the central directory alone."""
    open_member = zipfile.ZipFile.open

    def refuse_to_unpack(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError(f"{name} was unpacked")
        return open_member(self, name, mode, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "open", refuse_to_unpack)
        return refused(shop, data, name="offers.xlsx")


def test_a_workbook_unpacking_to_gigabytes_is_refused_unopened(shop):
    # 128 MB of zeros stand for the gigabytes (zipping more only makes the test slower).
    data = rezip(workbook_parts(), zeros=("xl/media/image1.png", 128 * 1024 * 1024))
    assert len(data) < MAX_UPLOAD_BYTES // 4

    error = refused_unopened(shop, data)

    assert (error.code, error.message) == ("import_too_large", TOO_LARGE)


def test_a_sheet_packed_a_thousand_times_is_refused_under_the_size_limit(shop):
    # 20 MB unpacked is under the 100 MB a workbook may hold; its ratio gives it away.
    parts = workbook_parts()
    data = rezip(parts, zeros=("xl/worksheets/sheet2.xml", 20 * 1024 * 1024))

    error = refused_unopened(shop, data)

    assert (error.code, error.message) == ("import_too_large", TOO_LARGE)


def test_thousands_of_members_are_refused(shop):
    parts = workbook_parts() | {f"xl/media/{number}.bin": b"" for number in range(1001)}

    error = refused_unopened(shop, rezip(parts))

    assert (error.code, error.message) == ("import_too_large", TOO_LARGE)


def test_a_sheet_declaring_a_million_rows_is_refused_before_its_rows_are_read(shop):
    parts = workbook_parts()
    parts[SHEET] = re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', parts[SHEET]
    )
    assert b'ref="A1:XFD1048576"' in parts[SHEET]

    error = refused(shop, rezip(parts), name="offers.xlsx")

    assert (error.code, error.message) == ("import_too_many_rows", TOO_MANY_ROWS)


def test_a_row_numbered_a_million_is_refused_without_making_the_empty_rows_between(shop):
    # No <dimension>: openpyxl would fill every missing row up to row 1048576 with blanks.
    parts = workbook_parts()
    sheet = re.sub(rb"<dimension [^>]*/>", b"", parts[SHEET])
    sheet = sheet.replace(b'<row r="2"', b'<row r="1048576"')
    parts[SHEET] = re.sub(rb'r="([A-Z]+)2"', rb'r="\g<1>1048576"', sheet)
    assert b'<row r="1048576"' in parts[SHEET]

    started = time.monotonic()
    error = refused(shop, rezip(parts), name="offers.xlsx")

    assert (error.code, error.message) == ("import_too_many_rows", TOO_MANY_ROWS)
    assert time.monotonic() - started < 5


def test_a_row_of_sixteen_thousand_columns_reads_only_the_first_hundred(tmp_path):
    # Read whole, the far cell would be a column named "x" and refuse the file.
    parts = workbook_parts()
    sheet = re.sub(rb"<dimension [^>]*/>", b"", parts[SHEET])
    far_cell = b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
    parts[SHEET] = sheet.replace(b"</row>", far_cell, 1)
    path = tmp_path / "offers.xlsx"
    path.write_bytes(rezip(parts))

    rows = list(read_rows(path, XLSX))

    assert [(row.line, row.cells) for row in rows] == [
        (2, {"seller_sku": "HP-1", "gtin": gtin(1), "price": "10", "stock": "1"})
    ]
