from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from caravan.payouts.files import configured_payer, format_amount
from caravan.payouts.selectors import get_batch_file
from caravan.payouts.services import run_payouts


class Command(BaseCommand):
    help = (
        "Pay sellers' available balances out: one payout per seller and currency at or above "
        "the currency's minimum, one bank file per currency written under VAR_DIR/payouts. "
        "Safe to run again: what was paid out is no longer available."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="where to write the files (default: VAR_DIR/payouts)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"] or Path(settings.VAR_DIR) / "payouts"
        payer = configured_payer()
        if not (payer.account_number or payer.iban):
            self.stderr.write(
                "Warning: settings.PAYOUT_PAYER names no paying account; "
                "the bank will refuse these files until it does"
            )
        result = run_payouts()
        if result.batches:
            directory.mkdir(parents=True, exist_ok=True)
        for summary in result.batches:
            download = get_batch_file(batch_id=summary.batch_id)
            path = directory / download.filename
            path.write_bytes(download.content)
            self.stdout.write(
                f"{summary.currency}: {summary.count} payout(s), total {format_amount(summary.total)} "
                f"{summary.currency}, file {path}"
            )
        if not result.batches:
            self.stdout.write("No payouts due")
        below = result.below_minimum
        if below:
            self.stdout.write(f"{len(below)} balance(s) below the payout minimum wait")
        for skipped in result.skipped:
            if skipped.code == "below_minimum":
                continue
            self.stdout.write(
                f"Skipped {skipped.seller_name} (id {skipped.seller_id}), "
                f"{format_amount(skipped.available)} {skipped.available.currency}: {skipped.reason}"
            )
