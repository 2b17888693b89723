"""Reading an uploaded offers file row by row, whatever its size: CSV (UTF-8, with or without
a byte order mark, comma or semicolon) or XLSX (openpyxl in read-only mode, which streams the
sheet). Nothing here holds more than one row; a file that is not what it claims to be is
refused with one clear FileRejected before any row is read.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed

from .columns import COLUMN_NAMES, MAX_CELL_LENGTH, REQUIRED_COLUMNS, normalise_header, restore

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that would unpack to far more than any sheet of MAX_ROWS rows.
# Python's zipfile never unpacks a member past the size its central directory declares (and
# fails its CRC check if the data goes on), so the declared sizes bound what openpyxl expands.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# A workbook has a dozen parts; thousands of entries are a bomb of overlapping members.
MAX_XLSX_MEMBERS = 1_000
# Deflate packs a sheet's XML 5 to 30 times (a column of one repeated value up to ~60); a zip
# bomb's runs of one byte pack 1000 times. Small parts are exempt: a few kilobytes of styles
# may pack well and cannot hurt.
MAX_XLSX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# Lines read from a sheet, blank ones included (a sheet of a million empty rows is a bomb
# too), and columns read per line: the offer columns and room for a few notes beside them.
MAX_SHEET_LINES = 2 * MAX_ROWS
MAX_SHEET_COLUMNS = 100
SNIFF_BYTES = 64 * 1024
CSV = "csv"
XLSX = "xlsx"


class FileRejected(ValidationFailed):
    """The whole file is unusable (format, encoding, columns); no row is looked at."""

    code = "import_file_rejected"


@dataclass(frozen=True)
class SourceRow:
    """One data row: its line in the file (the header is line 1) and its cells by column."""

    line: int
    cells: dict[str, str]


def detect_format(path: Path) -> str:
    """What the bytes are, whatever the file is called: an XLSX workbook or UTF-8 CSV text."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRejected(_("The file is empty."), code="import_empty")
    if head.startswith(b"PK\x03\x04"):
        _check_workbook(path)
        return XLSX
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        if _looks_binary(head):
            raise FileRejected(
                _("This is not a CSV or XLSX file. Save the sheet as XLSX or as CSV UTF-8."),
                code="import_not_a_table",
            ) from None
        raise FileRejected(
            _(
                "The file is not in UTF-8. Save it as “CSV UTF-8” (Excel) or choose the "
                "UTF-8 encoding when you export it, then upload it again."
            ),
            code="import_encoding",
        ) from None
    if _looks_binary(head) or "\x00" in text:
        raise FileRejected(
            _("This is not a CSV or XLSX file. Save the sheet as XLSX or as CSV UTF-8."),
            code="import_not_a_table",
        )
    return CSV


def _looks_binary(head: bytes) -> bool:
    """Control bytes other than tab and line breaks never occur in a CSV a person made."""
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return b"\x00" in head or controls > len(head) // 100


def _check_workbook(path: Path) -> None:
    """Refuses a zip bomb from its central directory alone, before any member is unpacked:
    too many members, too many bytes declared in all, or a large member packed too tightly."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRejected(
            _("This is not a CSV or XLSX file. Save the sheet as XLSX or as CSV UTF-8."),
            code="import_not_a_table",
        ) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise FileRejected(
            _("This archive is not an XLSX workbook. Save the sheet as XLSX or as CSV UTF-8."),
            code="import_not_a_table",
        )
    unpacked = sum(member.file_size for member in members)
    packed_too_tight = any(
        member.file_size >= RATIO_CHECKED_FROM_BYTES
        and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES or packed_too_tight:
        raise FileRejected(
            _("The workbook is too large; split it into several files."), code="import_too_large"
        )


def read_rows(path: Path, file_format: str) -> Iterator[SourceRow]:
    """The data rows, in file order, blank rows skipped. Raises FileRejected for the header
    (missing, unknown or repeated columns), a broken encoding or too many rows."""
    raw = _csv_rows(path) if file_format == CSV else _xlsx_rows(path)
    header: list[str] | None = None
    count = 0
    for line, values in raw:
        if header is None:
            if not any(value.strip() for value in values):
                continue
            header = _check_header(values)
            continue
        if not any(value.strip() for value in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        cells: dict[str, str] = {}
        for name, value in zip(header, values, strict=False):
            if name:
                cells[name] = restore(value.strip())
        yield SourceRow(line=line, cells=cells)
    if header is None:
        raise FileRejected(_("The file is empty."), code="import_empty")
    if count == 0:
        raise FileRejected(
            _("The file has the column names but no rows below them."), code="import_no_rows"
        )


def _check_header(values: list[str]) -> list[str]:
    names = [normalise_header(value) for value in values]
    problems: list[str] = []
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    unknown = [name for name in names if name and name not in COLUMN_NAMES]
    for name in unknown[:20]:
        guess = (
            difflib.get_close_matches(name, COLUMN_NAMES, n=1)
            or [column for column in COLUMN_NAMES if len(name) >= 3 and name in column][:1]
        )
        if guess:
            problems.append(
                _("Unknown column “%(name)s” (did you mean %(guess)s?).")
                % {"name": name[:60], "guess": guess[0]}
            )
        else:
            problems.append(_("Unknown column “%(name)s”.") % {"name": name[:60]})
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(_("Columns given twice: %(names)s.") % {"names": ", ".join(repeated)})
    if problems:
        problems.append(
            _("The first row must name the columns: %(names)s.")
            % {"names": ", ".join(COLUMN_NAMES)}
        )
        raise FileRejected(" ".join(problems), code="import_columns")
    return names


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as binary:
        lines = _utf8_lines(binary)
        first = next(lines, "")
        reader = csv.reader(
            itertools.chain([first], lines), delimiter=_sniff_delimiter(first), strict=False
        )
        line = 1
        try:
            for values in reader:
                if any(len(value) > MAX_CELL_LENGTH for value in values):
                    raise FileRejected(
                        _("Line %(line)s: a cell is longer than %(count)s characters.")
                        % {"line": line, "count": MAX_CELL_LENGTH},
                        code="import_cell_too_long",
                    )
                yield line, values
                line = reader.line_num + 1
        except csv.Error as error:
            raise FileRejected(
                _("Line %(line)s cannot be read as CSV: %(reason)s")
                % {"line": line, "reason": str(error)},
                code="import_bad_csv",
            ) from None


def _utf8_lines(binary: IO[bytes]) -> Iterator[str]:
    """The file's lines decoded one by one, so a wrong byte is reported on its own line."""
    for number, raw in enumerate(binary, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise FileRejected(
                _(
                    "The file is not in UTF-8 (line %(line)s). Save it as “CSV UTF-8” "
                    "(Excel) or choose the UTF-8 encoding when you export it."
                )
                % {"line": number},
                code="import_encoding",
            ) from None


def _sniff_delimiter(header_line: str) -> str:
    """The header names hold no separators, so the separator they are split by is the one
    used most in that line."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    # Imported here: openpyxl is only needed for workbooks, and it is slow to import.
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl would judge a path by its extension.
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
            sheet = workbook.worksheets[0]
        except Exception as error:  # openpyxl raises many types for a damaged archive
            raise FileRejected(
                _("The workbook cannot be opened: %(reason)s") % {"reason": str(error)[:200]},
                code="import_not_a_table",
            ) from None
        try:
            _check_dimensions(sheet)
            rows = sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True)
            for line, values in enumerate(rows, start=1):
                if line > MAX_SHEET_LINES:
                    raise _too_many_rows()
                cells = [_cell_text(value) for value in values]
                if any(len(value) > MAX_CELL_LENGTH for value in cells):
                    raise FileRejected(
                        _("Line %(line)s: a cell is longer than %(count)s characters.")
                        % {"line": line, "count": MAX_CELL_LENGTH},
                        code="import_cell_too_long",
                    )
                yield line, cells
        finally:
            workbook.close()


def _check_dimensions(sheet: object) -> None:
    """The size the sheet declares (its <dimension> element, which Excel and LibreOffice
    write): a sheet claiming a million rows is refused before its first row is parsed."""
    max_row = getattr(sheet, "max_row", None)
    if isinstance(max_row, int) and max_row > MAX_SHEET_LINES:
        raise _too_many_rows()


def _too_many_rows() -> FileRejected:
    return FileRejected(
        _("The file has more than %(count)s rows; split it into several files.")
        % {"count": MAX_ROWS},
        code="import_too_many_rows",
    )


def _cell_text(value: object) -> str:
    """Every cell is read as text; a number typed into a cell comes back as it was typed
    (19.99, not 19.990000000000002), a formula as its text, never its result."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
