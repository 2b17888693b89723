"""Notification writes: put messages in the outbox, send them, and keep users' choices.

An event's subscriber calls queue(): each recipient's message is rendered in their language
and written as one outbox row per channel, unique per (event, recipient, channel), in its
own transaction; the send task is queued after commit. send_message() claims a row with a
conditional UPDATE, so two workers (or a task and the sweep) never send one row twice, calls
the transport outside any transaction, and records the answer. A failure is retried later
by the sweep (send_due_messages, Celery beat), with a growing delay, until MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, ValidationFailed

from .compose import Content, site_url
from .kinds import KINDS, OPTIONAL
from .models import Message, Preference
from .phones import to_e164
from .sms.base import SmsError
from .sms.registry import get_sms_gateway
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A row claimed longer ago than this belongs to a worker that died mid-send: it is taken
# over (the one case where a message can go out twice: the transport took it, the record
# of it did not survive).
CLAIM_TIMEOUT = timedelta(minutes=5)
LONGEST_DELAY = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4... minutes after the first, second, third failure, at most LONGEST_DELAY."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), LONGEST_DELAY)


@dataclass(frozen=True)
class Recipient:
    user: User
    # The number a text message goes to, as typed, and the country it is read in.
    phone: str = ""
    phone_region: str = ""


def language_of(preference: Preference | None) -> str:
    return (preference.language if preference else "") or settings.LANGUAGE_CODE


def queue(
    *, kind: str, about: str, recipients: Sequence[Recipient], compose: Callable[[], Content]
) -> list[Message]:
    """Write the messages of one event (`about`: the public id of the object it concerns)
    and send them after commit. An event queued again writes nothing new."""
    spec = KINDS[kind]
    event_key = f"{kind}:{about}"
    users = {recipient.user.id for recipient in recipients}
    preferences = {item.user_id: item for item in Preference.objects.filter(user_id__in=users)}
    created: list[Message] = []
    with transaction.atomic():
        for recipient in recipients:
            user = recipient.user
            preference = preferences.get(user.id)
            muted = spec.optional and preference is not None and kind in preference.muted_kinds
            if not user.is_active or muted:
                continue
            language = language_of(preference)
            with translation.override(language):
                content = compose()
                rows = [_email(event_key, kind, user, language, content)]
                phone = _phone(recipient) if spec.sms and content.sms_text else ""
                if phone and (preference is None or preference.sms_enabled):
                    rows.append(_sms(event_key, kind, user, language, content, phone))
            for row in rows:
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                except IntegrityError:
                    continue  # this event's message to this user went out already
                created.append(row)
        ids = [message.id for message in created]
        transaction.on_commit(lambda: _send_soon(ids))
    return created


def _send_soon(ids: list[int]) -> None:
    from .tasks import send_message_task

    for message_id in ids:
        send_message_task.delay(message_id)


def _phone(recipient: Recipient) -> str:
    if not recipient.phone:
        return ""
    try:
        return to_e164(recipient.phone, region=recipient.phone_region or "RU")
    except ValidationFailed:
        logger.warning("no text message to user %s: bad phone number", recipient.user.id)
        return ""


def _links(user: User) -> dict[str, str]:
    token = unsubscribe_token(user_id=user.id)
    return {
        "unsubscribe_url": site_url(reverse("storefront:unsubscribe", args=[token])),
        "preferences_url": site_url(reverse("storefront:message_preferences")),
    }


def _email(event_key: str, kind: str, user: User, language: str, content: Content) -> Message:
    links = _links(user)
    context = {
        "content": content,
        "name": user.full_name or user.email,
        "optional": KINDS[kind].optional,
        "language": language,
        **links,
    }
    return Message(
        event_key=event_key,
        kind=kind,
        channel=Message.Channel.EMAIL,
        user=user,
        address=user.email,
        language=language,
        subject=content.subject[:255],
        body_text=render_to_string("notifications/email/message.txt", context),
        body_html=render_to_string("notifications/email/message.html", context),
        unsubscribe_url=links["unsubscribe_url"],
        next_attempt_at=now(),
    )


def _sms(
    event_key: str, kind: str, user: User, language: str, content: Content, phone: str
) -> Message:
    return Message(
        event_key=event_key,
        kind=kind,
        channel=Message.Channel.SMS,
        user=user,
        address=phone,
        language=language,
        subject=content.subject[:255],
        body_text=content.sms_text,
        next_attempt_at=now(),
    )


def send_message(*, message_id: int) -> str:
    """Send one outbox row if it is due and nobody else is sending it; returns its status
    afterwards ("" when it was not ours to send). Safe to run any number of times."""
    moment = now()
    claimed = (
        Message.objects.filter(id=message_id)
        .filter(
            Q(status=Message.Status.PENDING, next_attempt_at__lte=moment)
            | Q(status=Message.Status.SENDING, claimed_at__lt=moment - CLAIM_TIMEOUT)
        )
        .update(status=Message.Status.SENDING, claimed_at=moment, attempts=F("attempts") + 1)
    )
    if not claimed:
        return ""
    message = Message.objects.get(id=message_id)
    try:
        reference = _transport(message)
    except Exception as error:  # any failure of the transport is recorded and retried
        return _record_failure(message, error)
    Message.objects.filter(id=message.id, status=Message.Status.SENDING).update(
        status=Message.Status.SENT,
        sent_at=now(),
        provider_reference=reference[:100],
        last_error="",
        claimed_at=None,
    )
    return Message.Status.SENT


def _transport(message: Message) -> str:
    if message.channel == Message.Channel.SMS:
        return get_sms_gateway().send(phone=message.address, text=message.body_text).reference
    headers = {}
    if message.unsubscribe_url:
        # RFC 8058: mail clients offer their own unsubscribe button, which POSTs the link.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)
    return ""


def _record_failure(message: Message, error: Exception) -> str:
    text = getattr(error, "message", "") or f"{type(error).__name__}: {error}"
    final = (isinstance(error, SmsError) and not error.retryable) or (
        message.attempts >= MAX_ATTEMPTS
    )
    status = Message.Status.FAILED if final else Message.Status.PENDING
    Message.objects.filter(id=message.id, status=Message.Status.SENDING).update(
        status=status,
        last_error=text[:255],
        next_attempt_at=now() + retry_delay(message.attempts),
        claimed_at=None,
    )
    if final:
        logger.error("message %s not sent, giving up: %s", message.public_id, text)
    else:
        logger.warning(
            "message %s not sent (attempt %s), will retry: %s",
            message.public_id,
            message.attempts,
            text,
        )
    return status


def send_due_messages(*, limit: int = 500) -> int:
    """The sweep: send every row that is due (new ones whose task was lost, failures whose
    delay is over, claims abandoned by a dead worker). Returns how many went out."""
    moment = now()
    due = (
        Message.objects.filter(
            Q(status=Message.Status.PENDING, next_attempt_at__lte=moment)
            | Q(status=Message.Status.SENDING, claimed_at__lt=moment - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(send_message(message_id=item) == Message.Status.SENT for item in list(due))


@transaction.atomic
def update_preferences(
    *, user: User, language: str, optional_kinds_on: Sequence[str], sms_enabled: bool
) -> Preference:
    """The user's choices from the preferences page: the optional kinds left on (the rest
    are muted), text messages on or off, the language of messages ("" for the site's)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Choose one of the offered languages."), code="invalid_language")
    unknown = set(optional_kinds_on) - OPTIONAL
    if unknown:
        raise ValidationFailed(_("Unknown kind of message."), code="invalid_kind")
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.language = language
    preference.muted_kinds = sorted(OPTIONAL - set(optional_kinds_on))
    preference.sms_enabled = sms_enabled
    preference.save()
    return preference


@transaction.atomic
def unsubscribe(*, user_id: int) -> Preference:
    """The one-link unsubscribe: every optional message and text messages off. Required
    messages about the user's orders still come."""
    user = User.objects.filter(id=user_id).first()
    if user is None:
        raise NotFound(_("This link is no longer valid."), code="user_not_found")
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.muted_kinds = sorted(OPTIONAL)
    preference.sms_enabled = False
    preference.save()
    return preference
