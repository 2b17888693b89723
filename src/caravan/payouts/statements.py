"""Importing the bank's answer: a CSV statement that settles or fails payouts line by line.

Columns: the payout id (our public id, which is also the end-to-end id in pain.001 files),
the status (settled, failed or returned) and a reason (required for failed and returned).
A header line is optional; commas, semicolons or tabs separate the columns; UTF-8 (with or
without BOM) or windows-1251. Every good line is applied on its own, every bad line is
reported with its number, and a line for a payout already in that state changes nothing, so
importing the same statement twice applies it once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import DomainError, ValidationFailed

from .models import Payout
from .services import fail_payout, settle_payout

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
HEADER_NAMES = frozenset({"payout", "payout_id", "payout id", "id", "end_to_end_id", "endtoendid"})
SETTLED = "settled"
FAILED_STATUSES = frozenset({"failed", "returned"})
# Ties go to the comma, listed first.
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class StatementLine:
    line: int
    payout_public_id: str
    status: str


@dataclass(frozen=True)
class StatementError:
    line: int
    message: str


@dataclass
class StatementResult:
    applied: list[StatementLine] = field(default_factory=list)
    unchanged: list[StatementLine] = field(default_factory=list)
    errors: list[StatementError] = field(default_factory=list)


def _decode(content: bytes) -> str:
    if len(content) > MAX_STATEMENT_BYTES:
        raise ValidationFailed(_("The statement is larger than 5 MB"), code="statement_too_large")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Russian banks still export windows-1251; it decodes any byte, so it comes last.
        return content.decode("cp1251")


def _reader(text: str) -> Any:
    # The separator the first line uses most; csv.Sniffer guesses wrong on short files.
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def import_bank_statement(*, content: bytes, actor: User | None) -> StatementResult:
    """Apply a bank statement; see the module docstring for its layout."""
    result = StatementResult()
    reader = _reader(_decode(content))
    read_up_to = 0
    for row in reader:
        # The row's first line in the file: a quoted cell may span several lines.
        number, read_up_to = read_up_to + 1, reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in HEADER_NAMES:
            continue
        try:
            line, changed = _apply(number=number, cells=cells, actor=actor)
        except DomainError as error:
            result.errors.append(StatementError(line=number, message=error.message))
            continue
        (result.applied if changed else result.unchanged).append(line)
    return result


def _apply(*, number: int, cells: list[str], actor: User | None) -> tuple[StatementLine, bool]:
    if len(cells) < 2 or not cells[0]:
        raise ValidationFailed(_("Expected a payout id, a status and a reason"))
    public_id, status = cells[0], cells[1].lower()
    reason = cells[2] if len(cells) > 2 else ""
    line = StatementLine(line=number, payout_public_id=public_id, status=status)
    before = Payout.objects.filter(public_id=public_id).values_list("status", flat=True).first()
    if before is None:
        raise ValidationFailed(_("Unknown payout %(id)s") % {"id": public_id})
    if status == SETTLED:
        payout = settle_payout(payout_public_id=public_id, actor=actor)
    elif status in FAILED_STATUSES:
        if not reason:
            reason = _("returned by the bank") if status == "returned" else ""
        payout = fail_payout(payout_public_id=public_id, reason=reason, actor=actor)
    else:
        raise ValidationFailed(
            _("Unknown status %(status)s: use settled, failed or returned") % {"status": cells[1]}
        )
    return line, payout.status != before
