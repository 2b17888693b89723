from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.i18n import localized
from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES
from caravan.kernel.transitions import TransitionTable

from .storage import private_storage


class Seller(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        REJECTED = "rejected", _("rejected")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    class BusinessType(models.TextChoices):
        INDIVIDUAL = "individual", _("individual entrepreneur")
        COMPANY = "company", _("company")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("trading name"), max_length=120)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    currency = models.CharField(
        _("price currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        help_text=_("Every offer and delivery option of this seller is priced in it."),
    )
    description_ru = models.TextField(_("description (ru)"), blank=True)
    description_en = models.TextField(_("description (en)"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="sellers/logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # The reason given with the latest rejection or suspension: what the seller reads.
    status_reason = models.TextField(_("reason"), blank=True)
    business_type = models.CharField(
        _("business type"), max_length=16, choices=BusinessType.choices, blank=True
    )
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=32, blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    return_country = models.CharField(
        _("return country"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    return_city = models.CharField(_("return city"), max_length=100, blank=True)
    return_postal_code = models.CharField(_("return postal code"), max_length=16, blank=True)
    return_street = models.CharField(_("return street, building"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.legal_name or self.public_id

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_applying(self) -> bool:
        """Not yet approved: the portal shows the application instead of the shop."""
        return self.status in APPLYING_STATUSES

    @property
    def can_edit_application(self) -> bool:
        return self.status in EDITABLE_STATUSES


S = Seller.Status
APPLYING_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED})
EDITABLE_STATUSES = frozenset({S.DRAFT, S.REJECTED})
# A closed seller is history: its staff may apply again or join another shop.
LIVE_STATUSES = frozenset(set(S) - {S.CLOSED})

SELLER_TRANSITIONS = TransitionTable(
    "seller",
    {
        S.DRAFT: frozenset({S.SUBMITTED, S.CLOSED}),
        S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.CLOSED}),
        S.UNDER_REVIEW: frozenset({S.ACTIVE, S.REJECTED, S.CLOSED}),
        S.REJECTED: frozenset({S.SUBMITTED, S.CLOSED}),
        S.ACTIVE: frozenset({S.SUSPENDED, S.CLOSED}),
        S.SUSPENDED: frozenset({S.ACTIVE, S.CLOSED}),
        S.CLOSED: frozenset(),
    },
)


class SellerEvent(models.Model):
    """One audited status change: who moved the seller, when, from where to where, why."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("seller status change")
        verbose_name_plural = _("seller status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.from_status or '-'} -> {self.to_status}"

    def status_label(self, value: str) -> str:
        return str(Seller.Status(value).label) if value in Seller.Status.values else value

    @property
    def from_label(self) -> str:
        return self.status_label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self.status_label(self.to_status)


class PayoutDetails(models.Model):
    """Where the marketplace sends the seller's money. Only owners and finance see it."""

    seller = models.OneToOneField(Seller, on_delete=models.CASCADE, related_name="payout_details")
    currency = models.CharField(
        _("payout currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True
    )
    bank_country = models.CharField(
        _("bank country"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank name"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    bic = models.CharField(_("BIC (SWIFT)"), max_length=11, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payout details")
        verbose_name_plural = _("payout details")

    def __str__(self) -> str:
        return f"{self.seller} ({self.currency})"


def document_path(instance: Any, filename: str) -> str:
    # A random name: the applicant's file name is kept in a column, never trusted on disk.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"seller-documents/{secrets.token_hex(16)}{suffix}"


class SellerDocument(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration certificate")
        TAX = "tax", _("tax registration")
        IDENTITY = "identity", _("identity document of the owner")
        BANK = "bank", _("bank account confirmation")
        OTHER = "other", _("other")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller document")
        verbose_name_plural = _("seller documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.original_name}"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MANAGER = "manager", _("manager")
        CATALOG = "catalog", _("catalog")
        FULFILMENT = "fulfilment", _("fulfilment")
        FINANCE = "finance", _("finance")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller staff membership")
        verbose_name_plural = _("seller staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller} ({self.role})"


class Invitation(models.Model):
    """An emailed offer to join a seller's staff; accepted once, before it expires."""

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.seller} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
