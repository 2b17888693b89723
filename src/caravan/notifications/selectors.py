"""Notification reads: a user's mailbox (scoped to the user) and their choices."""

from __future__ import annotations

from django.db.models import QuerySet

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound

from .models import Message, Preference


def list_mailbox(*, user: User) -> QuerySet[Message]:
    """Every message sent or to be sent to the user, newest first."""
    return Message.objects.filter(user=user).order_by("-created_at", "-id")


def get_mailbox_message(*, user: User, public_id: str) -> Message:
    message = Message.objects.filter(user=user, public_id=public_id).first()
    if message is None:
        raise NotFound("message not found", code="message_not_found")
    return message


def get_preference(*, user: User) -> Preference:
    """The user's stored choices, or the defaults (unsaved) when they made none."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
