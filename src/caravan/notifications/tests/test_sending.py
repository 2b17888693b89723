"""The sender: one send per row however often it runs, failures retried with a delay until
they succeed, given up (and logged) after MAX_ATTEMPTS or a refusal that cannot pass."""

import io
import logging
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from tests.factories import make_user

from caravan.kernel.clock import now
from caravan.notifications import kinds
from caravan.notifications.compose import Content
from caravan.notifications.console import ReadableConsoleBackend
from caravan.notifications.models import Message
from caravan.notifications.services import (
    MAX_ATTEMPTS,
    Recipient,
    queue,
    send_due_messages,
    send_message,
)
from caravan.notifications.sms.base import SmsReceipt, SmsRejected, SmsUnavailable


def content():
    return Content(subject="Order CV-TEST-0001 is placed", paragraphs=["Thank you."])


def queued(user, *, kind=kinds.ORDER_PLACED):
    (message,) = queue(kind=kind, about="order-1", recipients=[Recipient(user)], compose=content)
    return message


class FlakyBackend(EmailBackend):
    """The local-memory backend after `failures` refused connections."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_running_the_sender_twice_sends_once(db):
    message = queued(make_user())

    first = send_message(message_id=message.id)
    second = send_message(message_id=message.id)

    message.refresh_from_db()
    assert (first, second) == ("sent", "")
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
    assert [sent.subject for sent in mail.outbox] == ["Order CV-TEST-0001 is placed"]


def test_a_row_claimed_by_a_live_worker_is_not_sent_by_another(db):
    message = queued(make_user())
    Message.objects.filter(id=message.id).update(status=Message.Status.SENDING, claimed_at=now())

    assert send_message(message_id=message.id) == ""
    assert send_due_messages() == 0
    assert mail.outbox == []


def test_a_row_abandoned_by_a_dead_worker_is_taken_over(db):
    message = queued(make_user())
    Message.objects.filter(id=message.id).update(
        status=Message.Status.SENDING, claimed_at=now() - timedelta(minutes=6), attempts=1
    )

    assert send_due_messages() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (Message.Status.SENT, 2, 1)


def test_a_failing_transport_is_retried_later_and_then_succeeds(db, flaky, caplog):
    flaky.failures = 2
    message = queued(make_user())

    with caplog.at_level(logging.WARNING, logger="caravan.notifications.services"):
        assert send_message(message_id=message.id) == "pending"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert "will retry" in caplog.text
    # Not due yet: the sweep leaves it alone until its delay is over.
    assert send_due_messages() == 0

    Message.objects.filter(id=message.id).update(next_attempt_at=now())
    assert send_due_messages() == 0  # the second failure
    message.refresh_from_db()
    assert message.attempts == 2
    Message.objects.filter(id=message.id).update(next_attempt_at=now())
    assert send_due_messages() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Message.Status.SENT, 3, "")
    assert len(mail.outbox) == 1


def test_the_delay_grows_with_each_failure(db, flaky):
    flaky.failures = 2
    message = queued(make_user())

    send_message(message_id=message.id)
    message.refresh_from_db()
    first_delay = message.next_attempt_at - now()
    Message.objects.filter(id=message.id).update(next_attempt_at=now())
    send_message(message_id=message.id)
    message.refresh_from_db()
    second_delay = message.next_attempt_at - now()

    assert timedelta(seconds=50) < first_delay <= timedelta(minutes=1)
    assert timedelta(seconds=110) < second_delay <= timedelta(minutes=2)


def test_after_the_last_attempt_the_message_is_given_up_and_logged(db, flaky, caplog):
    flaky.failures = MAX_ATTEMPTS
    message = queued(make_user())

    with caplog.at_level(logging.ERROR, logger="caravan.notifications.services"):
        for _attempt in range(MAX_ATTEMPTS):
            Message.objects.filter(id=message.id).update(next_attempt_at=now())
            send_message(message_id=message.id)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, MAX_ATTEMPTS)
    assert f"message {message.public_id} not sent, giving up" in caplog.text
    Message.objects.filter(id=message.id).update(next_attempt_at=now())
    assert send_due_messages() == 0
    assert mail.outbox == []


class RecordingGateway:
    name = "recording"

    def __init__(self, *errors):
        self.errors = list(errors)
        self.sent = []

    def send(self, *, phone, text):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((phone, text))
        return SmsReceipt(reference=f"sms-{len(self.sent)}")


def sms_row(user):
    return Message.objects.create(
        event_key="parcel_shipped:x",
        kind=kinds.PARCEL_SHIPPED,
        channel=Message.Channel.SMS,
        user=user,
        address="+79001234567",
        language="en",
        subject="shipped",
        body_text="Caravan: parcel shipped",
        next_attempt_at=now(),
    )


def test_a_text_message_the_gateway_cannot_take_now_is_retried(db, monkeypatch):
    gateway = RecordingGateway(SmsUnavailable("SMS.ru error 220: service unavailable"))
    monkeypatch.setattr("caravan.notifications.services.get_sms_gateway", lambda: gateway)
    message = sms_row(make_user())

    assert send_message(message_id=message.id) == "pending"
    Message.objects.filter(id=message.id).update(next_attempt_at=now())
    assert send_message(message_id=message.id) == "sent"

    message.refresh_from_db()
    assert (message.provider_reference, message.attempts) == ("sms-1", 2)
    assert gateway.sent == [("+79001234567", "Caravan: parcel shipped")]


def test_a_text_message_the_gateway_refuses_is_given_up_at_once(db, monkeypatch):
    gateway = RecordingGateway(SmsRejected("SMS.ru error 202: wrong number"))
    monkeypatch.setattr("caravan.notifications.services.get_sms_gateway", lambda: gateway)
    message = sms_row(make_user())

    assert send_message(message_id=message.id) == "failed"

    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        Message.Status.FAILED,
        "SMS.ru error 202: wrong number",
    )


def test_the_demo_prints_a_mail_readably(db):
    message = queued(make_user(email="reader@example.com"))
    stream = io.StringIO()
    backend = ReadableConsoleBackend(stream=stream)
    email = mail.EmailMultiAlternatives(
        subject=message.subject, body="Thank you.\n", to=[message.address]
    )
    email.attach_alternative("<p>Thank you.</p>", "text/html")

    assert backend.send_messages([email]) == 1

    assert stream.getvalue() == (
        "To: reader@example.com\nSubject: Order CV-TEST-0001 is placed\n\nThank you.\n\n"
        "(with an HTML part)\n" + "-" * 79 + "\n"
    )


def test_the_send_messages_command_sends_what_is_due(db):
    queued(make_user())
    out = io.StringIO()

    call_command("send_messages", stdout=out)

    assert out.getvalue() == "0 ship-by reminder(s) queued, 1 message(s) sent\n"
    assert len(mail.outbox) == 1
