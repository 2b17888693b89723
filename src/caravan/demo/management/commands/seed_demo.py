"""`caravan seed-demo`: load the deterministic demo marketplace and print its logins."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any
from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from caravan.demo.pending import APPLICANT_EMAIL
from caravan.demo.services import delete_demo_images, seed_demo
from caravan.demo.vocabulary import (
    ABROAD_BUYERS,
    BUYER,
    DEFAULT_PRODUCT_COUNT,
    DEMO_PASSWORD,
    OPERATOR,
    SECOND_BUYER,
    SELLER_LOGIN_SLUGS,
    SELLERS,
)

DEFAULT_URL = "http://127.0.0.1:8000"


def logins_text(*, site_url: str = DEFAULT_URL) -> str:
    """The closing banner: where the demo is served (`make demo` passes its HOST and PORT)."""
    site_url = site_url.rstrip("/")
    sellers = {seller.slug: seller for seller in SELLERS}
    rows = [
        (BUYER.email, "buyer: shop, check out, track orders (has a saved address)"),
        (SECOND_BUYER.email, "buyer: a second customer with past orders"),
    ]
    rows += [
        (login.email, f"buyer abroad: {login.purpose[len('buyer in ') :]} ({address['country']})")
        for login, address in ABROAD_BUYERS
    ]
    for slug in SELLER_LOGIN_SLUGS:
        seller = sellers[slug]
        rows.append(
            (
                seller.owner_email,
                f"seller: owner of {seller.name} ({seller.country}, {seller.currency})",
            )
        )
    rows.append((OPERATOR.email, "operator: staff and superuser for the back office"))
    rows.append((APPLICANT_EMAIL, "applicant: a seller application waiting for review"))
    width = max(len(email) for email, _purpose in rows)
    lines = [
        "",
        f"Caravan demo marketplace, served at {site_url}/ (port {port_of(site_url)})",
        f"  storefront     {site_url}/",
        f"  seller portal  {site_url}/seller/",
        f"  back office    {site_url}/backoffice/  (and the Django admin at /admin/)",
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD})",
    ]
    lines += [f"  {email.ljust(width)}  {purpose}" for email, purpose in rows]
    others = ", ".join(
        seller.owner_email for seller in SELLERS if seller.slug not in SELLER_LOGIN_SLUGS
    )
    lines += ["", f"Every other demo seller's owner signs in the same way: {others}", ""]
    return "\n".join(lines)


def port_of(site_url: str) -> int:
    parts = urlsplit(site_url)
    if parts.port is not None:
        return parts.port
    return 443 if parts.scheme == "https" else 80


class Command(BaseCommand):
    help = (
        "Build the deterministic demo marketplace: 11 sellers from 6 countries, a two-level "
        "catalog with generated pictures, competing offers, delivery options, exchange rates, "
        "six weeks of past orders, refunds and payouts, and demo logins. Does nothing but "
        "print the logins if the demo is already loaded."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database (flush) and the demo pictures, then seed again.",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCT_COUNT,
            help=f"How many products to generate (default {DEFAULT_PRODUCT_COUNT}); more for benchmarks.",
        )
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help=f"Where the demo will be served, for the closing banner (default {DEFAULT_URL}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        products: int = options["products"]
        if products < 1:
            raise CommandError("--products must be at least 1")
        site_url: str = options["url"]
        try:
            port_of(site_url)
        except ValueError as error:
            raise CommandError(f"--url {site_url!r} has no valid port: {error}") from error
        if urlsplit(site_url).scheme not in {"http", "https"} or not urlsplit(site_url).hostname:
            raise CommandError(f"--url must be an http(s) address with a host, not {site_url!r}")
        if options["reset"]:
            removed = delete_demo_images()
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"Database flushed, {removed} demo pictures removed.")
        started = time.monotonic()
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        summary = seed_demo(products=products, progress=progress)
        if summary.created:
            history = summary.history
            past = (
                f", {history.orders} past orders, {history.refunds} refunds, "
                f"{history.payouts} payouts"
                if history
                else ""
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded in {time.monotonic() - started:.1f} s: {summary.sellers} sellers, "
                    f"{summary.products} products, {summary.offers} offers{past}."
                )
            )
        else:
            self.stdout.write(
                "The demo data is already loaded; nothing changed (use --reset to reload)."
            )
        self.stdout.write(logins_text(site_url=site_url))
