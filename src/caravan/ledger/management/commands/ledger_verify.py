from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caravan.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = (
        "Recompute every ledger invariant from the postings: each entry balances per "
        "currency, cached balances match, no account on the wrong side, the database's "
        "append-only triggers are in place. Exits non-zero on any violation."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_ledger()
        for totals in report.totals:
            self.stdout.write(
                f"{totals.currency}  debit {totals.debit.amount}  credit {totals.credit.amount}"
            )
        if report.ok:
            self.stdout.write("OK")
            return
        for violation in report.violations:
            self.stderr.write(f"{violation.code}: {violation.detail}")
        raise CommandError(f"{len(report.violations)} ledger violation(s)")
