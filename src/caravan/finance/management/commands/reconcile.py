from datetime import date, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caravan.finance.reconciliation import reconcile
from caravan.kernel.clock import now
from caravan.payments.gateways.base import ProviderError


class Command(BaseCommand):
    help = (
        "Compare the provider's payments and refunds of a day with Caravan's; flag each mismatch."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--provider", required=True)
        parser.add_argument("--date", help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("date")
        try:
            day = (
                date.fromisoformat(str(raw))
                if raw
                else timezone.localdate(now()) - timedelta(days=1)
            )
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {raw!r}") from error
        try:
            report = reconcile(provider=str(options["provider"]), day=day)
        except ProviderError as error:
            raise CommandError(f"{options['provider']}: {error.message}") from error
        except ImproperlyConfigured as error:
            # A mistyped --provider: one line, not a traceback.
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.provider} {report.day}: {report.payments_checked} payments, "
            f"{report.refunds_checked} refunds checked, {len(report.mismatches)} mismatches"
        )
        for line in report.mismatches:
            self.stdout.write(f"  {line}")
