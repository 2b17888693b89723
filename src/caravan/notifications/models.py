"""The outbox of messages to users, and what each user chose to receive.

A message is rendered once, in its recipient's language, when its event arrives; the sender
only transports it. One row per (event, recipient, channel): the unique key is what keeps an
event that is reported twice from being sent twice (docs/decisions/0011-notifications.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    # "<kind>:<public id of the object>": the event this message tells about.
    event_key = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    # An email address, or a phone number in E.164 for SMS.
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Links shown with the message in the mailbox page and put in the mail's headers.
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "user", "channel"], name="message_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["user", "-created_at"], name="message_mailbox"),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.address} ({self.status})"


class Preference(models.Model):
    """A user's choices; a user without a row gets the defaults (site language, all on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(
        _("language of messages"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    # Optional kinds the user turned off (kinds.OPTIONAL); required ones are never muted.
    muted_kinds = models.JSONField(default=list, blank=True)
    sms_enabled = models.BooleanField(_("text messages"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
