"""The ship-by reminder (once per seller order, only when it is due) and the payout sent."""

from datetime import UTC, datetime, timedelta

from django.core import mail
from tests.factories import pay_market_order

from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.notifications import kinds
from caravan.notifications.models import Message, Preference
from caravan.notifications.reminders import remind_ship_by
from caravan.orders.models import SellerOrder
from caravan.orders.services import ship_seller_order
from caravan.payouts.models import Payout
from caravan.payouts.services import run_payouts, settle_payout
from caravan.payouts.tests.factories import credit_payable, make_user, rub_seller


def owner_of(seller):
    return seller.memberships.get().user


def test_a_paid_order_not_shipped_a_day_before_its_ship_by_date_is_reminded_once(
    market, django_capture_on_commit_callbacks
):
    order = pay_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    cn = SellerOrder.objects.get(order=order, seller=market.seller_cn)
    assert cn.ship_by > ru.ship_by + timedelta(days=1)  # handling 3 days against 1
    moment = ru.ship_by - timedelta(hours=20)

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_ship_by(at=moment)
        second = remind_ship_by(at=moment + timedelta(hours=1))

    assert (first, second) == (1, 0)
    reminder = Message.objects.get(kind=kinds.SELLER_SHIP_BY_REMINDER)
    assert reminder.user == owner_of(market.seller_ru)
    assert reminder.subject.startswith(f"Reminder: ship order {ru.number} by ")
    assert ru.number in reminder.body_text
    assert [sent.subject for sent in mail.outbox] == [reminder.subject]


def test_no_reminder_before_the_last_day_nor_for_a_shipped_order(market):
    order = pay_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)

    assert remind_ship_by(at=ru.ship_by - timedelta(days=1, minutes=1)) == 0
    ship_seller_order(
        seller=market.seller_ru,
        seller_order_public_id=ru.public_id,
        carrier="CDEK",
        tracking_number="1234567890",
        actor=owner_of(market.seller_ru),
    )
    assert remind_ship_by(at=ru.ship_by) == 0
    assert not Message.objects.filter(kind=kinds.SELLER_SHIP_BY_REMINDER).exists()


def test_a_seller_who_turned_reminders_off_gets_none(market):
    order = pay_market_order(market)
    ru = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    Preference.objects.create(
        user=owner_of(market.seller_ru), muted_kinds=[kinds.SELLER_SHIP_BY_REMINDER]
    )

    remind_ship_by(at=ru.ship_by)

    assert not Message.objects.filter(kind=kinds.SELLER_SHIP_BY_REMINDER).exists()


def test_a_settled_payout_tells_the_seller(db, django_capture_on_commit_callbacks):
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("1500.00", "RUB"))
    run_payouts(at=datetime(2026, 12, 6, 9, 30, tzinfo=UTC))
    payout = Payout.objects.get(seller=seller)

    with django_capture_on_commit_callbacks(execute=True):
        settle_payout(payout_public_id=payout.public_id, actor=make_user())
        settle_payout(payout_public_id=payout.public_id, actor=make_user())

    message = Message.objects.get(kind=kinds.SELLER_PAYOUT_SENT)
    assert message.user == owner_of(seller)
    assert message.subject == "Payout of 1,500 ₽ sent"
    assert payout.account_number in message.body_text
    assert payout.public_id in message.body_text
    assert message.sent_at <= now()
