"""Reads for the back office's finance pages that no domain app offers yet. They only read:
every write goes through the domain services (finance, payouts, commissions, payments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.ledger.models import Account, JournalEntry, Posting
from caravan.ledger.selectors import CurrencyTotals, escrow_held, get_balance, provider_clearing
from caravan.ledger.services import PLATFORM, party_for_seller, seller_order_reference
from caravan.orders.models import OrderLine, SellerOrder
from caravan.orders.selectors import EARNING_STATUSES
from caravan.payments.models import Payment, PaymentAnomaly, Refund
from caravan.payouts.models import Payout

Purpose = Account.Purpose
_AMOUNT = DecimalField(max_digits=20, decimal_places=2)


# --- The trial balance, laid out as debit and credit columns ---


@dataclass(frozen=True)
class TrialLine:
    purpose: str
    label: str
    debit: Money | None
    credit: Money | None


@dataclass(frozen=True)
class TrialTable:
    currency: str
    lines: list[TrialLine]
    debit: Money  # the column totals
    credit: Money

    @property
    def difference(self) -> Money:
        return self.debit - self.credit

    @property
    def balanced(self) -> bool:
        return self.difference.is_zero


def trial_tables(totals: list[CurrencyTotals]) -> list[TrialTable]:
    """Each currency's balances per purpose in the column of their sign; the columns' totals
    are equal when the journal nets to zero."""
    labels = dict(Purpose.choices)
    tables = []
    for currency_totals in totals:
        currency = currency_totals.currency
        debit = credit = Money.zero(currency)
        lines = []
        for purpose, amount in currency_totals.by_purpose.items():
            if amount.is_zero:
                continue
            if amount.amount > 0:
                debit += amount
            else:
                credit -= amount
            lines.append(
                TrialLine(
                    purpose=purpose,
                    label=str(labels.get(purpose, purpose)),
                    debit=amount if amount.amount > 0 else None,
                    credit=-amount if amount.amount < 0 else None,
                )
            )
        tables.append(TrialTable(currency=currency, lines=lines, debit=debit, credit=credit))
    return tables


@dataclass(frozen=True)
class HeldVsClearing:
    currency: str
    escrow: Money  # held for sellers, in the seller currency
    clearing: Money  # owed by the provider for captures, in the buyer currency
    refunds_payable: Money


def escrow_against_clearing(currencies: list[str]) -> list[HeldVsClearing]:
    return [
        HeldVsClearing(
            currency=currency,
            escrow=escrow_held(currency=currency),
            clearing=provider_clearing(currency=currency),
            refunds_payable=get_balance(
                purpose=Purpose.REFUNDS_PAYABLE, party=PLATFORM, currency=currency
            ),
        )
        for currency in currencies
    ]


@dataclass(frozen=True)
class FinanceCounts:
    anomalies: int
    reconciliation_anomalies: int
    refunds_pending: int
    refunds_failed: int
    payouts_in_transit: int


def finance_counts() -> FinanceCounts:
    unresolved = PaymentAnomaly.objects.filter(resolved_at__isnull=True)
    refunds = dict(
        Refund.objects.filter(status__in=[Refund.Status.PENDING, Refund.Status.FAILED])
        .values("status")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("status", "count")
    )
    return FinanceCounts(
        anomalies=unresolved.count(),
        reconciliation_anomalies=unresolved.filter(
            source=PaymentAnomaly.Source.RECONCILIATION
        ).count(),
        refunds_pending=refunds.get(Refund.Status.PENDING, 0),
        refunds_failed=refunds.get(Refund.Status.FAILED, 0),
        payouts_in_transit=Payout.objects.filter(status=Payout.Status.IN_TRANSIT).count(),
    )


# --- Queues ---


def list_refund_queue(*, status: str | None = None) -> QuerySet[Refund]:
    """Refunds not yet through: pending ones (being sent) and failed ones (refused)."""
    wanted = [status] if status else [Refund.Status.PENDING, Refund.Status.FAILED]
    return (
        Refund.objects.filter(status__in=wanted)
        .select_related("payment", "seller_order", "seller_order__seller", "requested_by")
        .order_by("-created_at", "-id")
    )


def list_anomalies(
    *, resolved: bool = False, source: str | None = None
) -> QuerySet[PaymentAnomaly]:
    anomalies = PaymentAnomaly.objects.filter(resolved_at__isnull=not resolved).select_related(
        "payment", "payment__order"
    )
    if source:
        anomalies = anomalies.filter(source=source)
    return anomalies.order_by("-created_at", "-id")


# --- One seller order's money ---


def find_seller_order(*, number: str) -> SellerOrder:
    """A seller order by its number (or its order's number when it has one seller order)."""
    text = number.strip()
    found = SellerOrder.objects.filter(number__iexact=text).first()
    if found is None:
        only = list(SellerOrder.objects.filter(order__number__iexact=text)[:2])
        found = only[0] if len(only) == 1 else None
    if found is None:
        raise NotFound(_("No seller order has the number %(number)s.") % {"number": text})
    return found


def get_operator_seller_order(*, public_id: str) -> SellerOrder:
    """Any seller order, for operator staff, with its lines, refunds and order."""
    seller_order = (
        SellerOrder.objects.select_related("order", "order__buyer", "seller", "customs")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("requested_by").order_by("created_at", "id"),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
    if seller_order is None:
        raise NotFound(_("order not found"))
    return seller_order


@dataclass(frozen=True)
class EscrowState:
    held: Money
    released_at: datetime | None
    protection_ends_at: datetime | None


def seller_order_escrow(seller_order: SellerOrder) -> EscrowState:
    return EscrowState(
        held=get_balance(
            purpose=Purpose.ESCROW,
            party=party_for_seller(seller_order.seller_id),
            currency=seller_order.currency,
            reference=seller_order_reference(seller_order.id),
        ),
        released_at=seller_order.escrow_released_at,
        protection_ends_at=seller_order.protection_ends_at,
    )


def settling_payment(seller_order: SellerOrder) -> Payment | None:
    return Payment.objects.filter(order_id=seller_order.order_id, settles_order=True).first()


def list_seller_order_entries(seller_order: SellerOrder) -> list[JournalEntry]:
    """The journal entries keyed to the seller order: its capture (the whole payment's), its
    escrow's moves, its release and its refunds (also those after release, which touch the
    seller's payable rather than the escrow), oldest first."""
    keys = {f"release:{seller_order.public_id}"}
    payment = settling_payment(seller_order)
    if payment is not None:
        keys.add(f"capture:{payment.public_id}")
    for refund_id in seller_order.refunds.values_list("public_id", flat=True):
        keys |= {f"refund:{refund_id}", f"refund_sent:{refund_id}"}
    touching = Posting.objects.filter(
        account__reference=seller_order_reference(seller_order.id)
    ).values("entry_id")
    entries = JournalEntry.objects.filter(key__in=keys) | JournalEntry.objects.filter(
        pk__in=touching
    )
    return list(
        entries.distinct()
        .order_by("id")
        .prefetch_related(
            Prefetch("postings", queryset=Posting.objects.select_related("account").order_by("id"))
        )
    )


# --- The chart: GMV, commission and escrow per day ---


@dataclass
class DailyFinance:
    currency: str
    days: list[date]
    gmv: list[Decimal] = field(default_factory=list)
    commission: list[Decimal] = field(default_factory=list)
    escrow: list[Decimal] = field(default_factory=list)  # held at the end of each day


def _day_bounds(first: date) -> datetime:
    return datetime.combine(first, time.min, tzinfo=timezone.get_current_timezone())


def _sum_amount(expression: str) -> Coalesce:
    return Coalesce(Sum(expression), Value(Decimal(0)), output_field=_AMOUNT)


def chart_currencies(*, days: int, today: date) -> list[str]:
    """The currencies with orders or ledger money in the window, or held in escrow."""
    start = _day_bounds(today - timedelta(days=days - 1))
    buyer = SellerOrder.objects.filter(order__paid_at__gte=start).values_list(
        "buyer_currency", flat=True
    )
    ledger = Account.objects.filter(
        purpose__in=[Purpose.ESCROW, Purpose.COMMISSION_REVENUE]
    ).values_list("currency", flat=True)
    return sorted(set(buyer) | set(ledger))


def daily_finance(*, currency: str, days: int, today: date) -> DailyFinance:
    """For each of the last `days` days up to `today` (marketplace time zone), in one
    currency: GMV charged to buyers (goods and delivery of seller orders paid that day and
    not cancelled since), commission earned (releases less commission returned by refunds)
    and escrow held at the day's end."""
    first = today - timedelta(days=days - 1)
    start = _day_bounds(first)
    zone = timezone.get_current_timezone()
    calendar = [first + timedelta(days=offset) for offset in range(days)]
    gmv = dict(
        SellerOrder.objects.filter(
            status__in=EARNING_STATUSES, buyer_currency=currency, order__paid_at__gte=start
        )
        .annotate(day=TruncDate("order__paid_at", tzinfo=zone))
        .values("day")
        .annotate(charged=_sum_amount("buyer_total_amount"))
        .order_by()
        .values_list("day", "charged")
    )

    def per_day(purpose: str) -> dict[date, Decimal]:
        return dict(
            Posting.objects.filter(
                account__purpose=purpose, currency=currency, entry__created_at__gte=start
            )
            .annotate(day=TruncDate("entry__created_at", tzinfo=zone))
            .values("day")
            .annotate(total=_sum_amount("amount"))
            .order_by()
            .values_list("day", "total")
        )

    commission = per_day(Purpose.COMMISSION_REVENUE)
    escrow_moves = per_day(Purpose.ESCROW)
    opening = Posting.objects.filter(
        account__purpose=Purpose.ESCROW, currency=currency, entry__created_at__lt=start
    ).aggregate(total=_sum_amount("amount"))["total"]
    result = DailyFinance(currency=currency, days=calendar)
    held = -opening
    for day in calendar:
        held -= escrow_moves.get(day, Decimal(0))
        result.gmv.append(gmv.get(day, Decimal(0)))
        # Credit-normal accounts: a credit (negative posting) is money earned or held.
        result.commission.append(-commission.get(day, Decimal(0)))
        result.escrow.append(held)
    return result
