"""Emails to sellers: status changes and staff invitations, sent after the change commits.

Mail goes out in the marketplace's default language (accounts keep no language preference
yet). A link is added when the caller knows the site's address (a web request does)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Membership, Seller

S = Seller.Status


def owner_emails(seller: Seller) -> list[str]:
    return list(
        Membership.objects.filter(seller=seller, role=Membership.Role.OWNER)
        .order_by("created_at", "id")
        .values_list("user__email", flat=True)
    )


def send_on_commit(*, recipients: Sequence[str], compose: Callable[[], tuple[str, str]]) -> None:
    """Compose in the default language and send once the transaction has committed."""
    addresses = list(recipients)
    if not addresses:
        return

    def deliver() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = compose()
        send_mail(subject, body, None, addresses)

    transaction.on_commit(deliver)


def _status_message(
    *, name: str, previous: str, status: str, reason: str, link: str
) -> tuple[str, str]:
    portal = _("Seller portal: %(link)s") % {"link": link} if link else ""
    why = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
    if status == S.SUBMITTED:
        subject = _("We received the application of %(name)s") % {"name": name}
        lines = [_("Thank you. Our team reviews applications within two working days.")]
    elif status == S.UNDER_REVIEW:
        subject = _("The application of %(name)s is under review") % {"name": name}
        lines = [_("An operator is checking your details and documents now.")]
    elif status == S.ACTIVE and previous == S.SUSPENDED:
        subject = _("%(name)s is active again") % {"name": name}
        lines = [_("Your offers are back on the storefront."), why]
    elif status == S.ACTIVE:
        subject = _("Welcome to Caravan: %(name)s is approved") % {"name": name}
        lines = [_("Your shop is open. List your first offers in the seller portal.")]
    elif status == S.REJECTED:
        subject = _("The application of %(name)s needs changes") % {"name": name}
        lines = [why, _("Correct the application in the seller portal and submit it again.")]
    elif status == S.SUSPENDED:
        subject = _("%(name)s is suspended") % {"name": name}
        lines = [
            why,
            _("Your offers are hidden from buyers. Orders already placed must still be shipped."),
        ]
    elif status == S.CLOSED:
        subject = _("%(name)s is closed") % {"name": name}
        lines = [why]
    else:
        subject = _("The status of %(name)s changed") % {"name": name}
        lines = []
    body = "\n\n".join(line for line in [*lines, portal] if line)
    return subject, body + "\n"


def notify_status_change(*, seller: Seller, previous: str, reason: str, site_url: str) -> None:
    status = seller.status
    name = seller.name or seller.legal_name
    target = "seller_portal:apply" if seller.is_applying else "seller_portal:dashboard"
    link = f"{site_url.rstrip('/')}{reverse(target)}" if site_url else ""
    send_on_commit(
        recipients=owner_emails(seller),
        compose=lambda: _status_message(
            name=name, previous=previous, status=status, reason=reason, link=link
        ),
    )


def notify_invitation(
    *, email: str, seller_name: str, role: str, inviter: str, link: str, days: int
) -> None:
    def compose() -> tuple[str, str]:
        subject = _("%(inviter)s invites you to the staff of %(name)s on Caravan") % {
            "inviter": inviter,
            "name": seller_name,
        }
        body = "\n\n".join(
            [
                _("You are invited to work for %(name)s as %(role)s.")
                % {"name": seller_name, "role": Membership.Role(role).label},
                _("Accept the invitation (sign in or register with this email address first):"),
                link,
                _("The link works once and expires in %(days)d days.") % {"days": days},
            ]
        )
        return subject, body + "\n"

    send_on_commit(recipients=[email], compose=compose)
