"""The `caravan` command: Django's manage.py with Caravan's defaults and dashed names."""

from __future__ import annotations

import os
import sys

ALIASES = {
    "seed-demo": "seed_demo",
    "expire-payments": "expire_payments",
    "search-rebuild": "search_rebuild",
    "fx-import": "fx_import",
    "ledger-verify": "ledger_verify",
    "release-escrow": "release_escrow",
    "payouts-run": "payouts_run",
    "reconcile": "reconcile",
    "send-messages": "send_messages",
}

HELP = """Caravan marketplace command line.

Caravan commands:
  caravan seed-demo [--reset]   build the deterministic demo marketplace (sellers, catalog, offers, logins,
                                six weeks of orders, refunds, releases and payouts)
  caravan expire-payments       cancel unpaid orders past their payment deadline and release their stock
  caravan search-rebuild        rebuild the whole search index in batches, with progress
                                (--listings: recompute listing rows and facets first, after an upgrade)
  caravan fx-import --source cbr|ecb [--file PATH] [--date YYYY-MM-DD]
                                import exchange rates from the Central Bank of Russia or the ECB
  caravan ledger-verify         recompute every ledger invariant; non-zero exit on a violation
  caravan release-escrow        confirm overdue deliveries and release escrow that is due
  caravan payouts-run           pay sellers' available balances out, writing a file per currency
  caravan reconcile --provider NAME [--date D]
                                compare the provider's payments and refunds with Caravan's
  caravan send-messages         send due mail and text messages again and queue ship-by reminders
  caravan migrate               create or update the database tables
  caravan runserver [ADDR:PORT] serve the marketplace for development
  caravan createsuperuser       create an operator account for the back office
  caravan compilemessages       compile the ru/en translations

Every Django command works too; `caravan help <command>` explains one.
Settings come from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
DJANGO_SETTINGS_MODULE (default caravan.config.settings.dev).
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.dev")
    if len(args) < 2 or args[1] in {"--help", "-h"}:
        print(HELP)
        if len(args) < 2:
            return
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    if len(args) > 2 and args[1] == "help":
        args[2] = ALIASES.get(args[2], args[2])
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
