"""The SDR (ISO 4217 XDR) rate that decides CN22 against CN23. The Central Bank of Russia
publishes roubles per SDR every day in the same XML_daily.asp file fx reads (the Valute
with CharCode XDR); fx keeps the marketplace's currencies only, so the SDR row is read
here and kept in SdrRate with its date and source. Never assumed: no row, no form."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree
from django.db import transaction
from django.utils.translation import gettext as _

from caravan.fx.importing import SNAPSHOT_DIR, fetch_feed
from caravan.kernel.errors import NotFound, ValidationFailed

from .models import SdrRate

SOURCE = "cbr"
# A declaration may use an SDR rate this many days old at most (weekends, holidays).
MAX_AGE_DAYS = 7


def parse_cbr_sdr(content: bytes) -> tuple[date, Decimal]:
    """(rate date, roubles per SDR) from a CBR daily file."""
    try:
        root = ElementTree.fromstring(content)
        rate_date = datetime.strptime(root.get("Date") or "", "%d.%m.%Y").date()
    except (ElementTree.ParseError, ValueError) as error:
        raise ValidationFailed(
            _("Not a CBR daily rates file."), code="sdr_feed_malformed"
        ) from error
    for entry in root.findall("Valute"):
        if (entry.findtext("CharCode") or "").strip() != "XDR":
            continue
        try:
            nominal = Decimal((entry.findtext("Nominal") or "").strip())
            value = Decimal((entry.findtext("Value") or "").strip().replace(",", "."))
        except InvalidOperation as error:
            raise ValidationFailed(
                _("The CBR file's SDR rate is not a number."), code="sdr_feed_malformed"
            ) from error
        if nominal <= 0 or value <= 0:
            raise ValidationFailed(
                _("The CBR file's SDR rate is not positive."), code="sdr_feed_malformed"
            )
        return rate_date, (value / nominal).quantize(Decimal("0.0001"))
    raise ValidationFailed(_("The CBR file has no SDR (XDR) rate."), code="sdr_missing")


@transaction.atomic
def record_sdr_rate(*, content: bytes, source: str = SOURCE) -> SdrRate:
    """Record the file's SDR rate for its date (again the same day: corrected)."""
    rate_date, rub_per_sdr = parse_cbr_sdr(content)
    rate, _created = SdrRate.objects.update_or_create(
        rate_date=rate_date, defaults={"rub_per_sdr": rub_per_sdr, "source": source}
    )
    return rate


def import_sdr_rate() -> SdrRate:
    """Today's CBR file, fetched as fx fetches it (network: outside any transaction)."""
    return record_sdr_rate(content=fetch_feed(source="cbr"))


def load_snapshot_sdr_rate(*, on_date: date) -> SdrRate:
    """The demo's SDR rate: the XDR row of the CBR sample file fx's snapshot ships, dated
    `on_date` like the snapshot's other rates (a sample figure, labelled as such)."""
    _day, rub_per_sdr = parse_cbr_sdr((SNAPSHOT_DIR / "cbr.xml").read_bytes())
    rate, _created = SdrRate.objects.update_or_create(
        rate_date=on_date, defaults={"rub_per_sdr": rub_per_sdr, "source": "cbr-snapshot"}
    )
    return rate


def sdr_rate_on(day: date) -> SdrRate:
    rate = SdrRate.objects.filter(rate_date__lte=day).order_by("-rate_date").first()
    if rate is None or (day - rate.rate_date).days > MAX_AGE_DAYS:
        raise NotFound(
            _("No SDR rate for %(day)s: the customs form (CN22 or CN23) cannot be chosen.")
            % {"day": day.isoformat()},
            code="sdr_rate_missing",
        )
    return rate
