import pytest
from django.urls import reverse

from caravan.ledger.flows import post_capture
from caravan.ledger.models import Account

from .factories import ledger_state, same_share

pytestmark = pytest.mark.django_db


def test_the_admin_shows_entries_and_accounts_but_cannot_change_them(admin_client):
    entry = post_capture(key="capture:p1", memo="Order A-1", shares=[same_share()])
    account = Account.objects.get(purpose="escrow")
    before = ledger_state()

    listing = admin_client.get(reverse("admin:ledger_journalentry_changelist"))
    page = admin_client.get(reverse("admin:ledger_journalentry_change", args=[entry.pk]))
    accounts = admin_client.get(reverse("admin:ledger_account_changelist"))
    add = admin_client.get(reverse("admin:ledger_journalentry_add"))
    delete = admin_client.post(
        reverse("admin:ledger_account_delete", args=[account.pk]), {"post": "yes"}
    )

    assert (listing.status_code, page.status_code, accounts.status_code) == (200, 200, 200)
    assert "capture:p1" in listing.content.decode()
    assert "seller_order:40" in page.content.decode()
    assert (add.status_code, delete.status_code) == (403, 403)
    assert ledger_state() == before
