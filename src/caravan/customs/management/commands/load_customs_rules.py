from typing import Any

from django.core.management.base import BaseCommand

from caravan.customs.services import load_customs_rules


class Command(BaseCommand):
    help = "Load the import rules and VAT rates Caravan ships (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_customs_rules()
        self.stdout.write(f"{result.rules} import rules, {result.vat_rates} VAT rates loaded")
