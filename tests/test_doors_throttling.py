"""The doors hold: sign-in, the admin login, registration, password reset and the API are
throttled per account and per IP, with "try again in N minutes" (issue 11)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_ratelimit import core as ratelimit_core

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
TRY_AGAIN = re.compile(r"Too many attempts\. Try again in (\d+) minutes?\.")


def minutes_to_wait(page: str) -> int:
    match = TRY_AGAIN.search(page)
    assert match is not None, "no 'try again in N minutes' on the page"
    return int(match.group(1))


def sign_in(client: Client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/account/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client):
    user = make_user()
    wrong = [sign_in(client, user.email, WRONG).status_code for _attempt in range(40)]

    right = sign_in(client, user.email, PASSWORD)

    assert wrong == [200] * 10 + [429] * 30
    assert right.status_code == 429
    assert 1 <= minutes_to_wait(right.content.decode()) <= 15
    assert "_auth_user_id" not in client.session


def test_forty_wrong_passwords_then_the_right_one_do_not_open_the_admin(client):
    operator = make_user()
    operator.is_staff = True
    operator.is_superuser = True
    operator.save()
    for _attempt in range(40):
        client.post("/admin/login/", {"username": operator.email, "password": WRONG})

    right = client.post(
        "/admin/login/?next=/admin/", {"username": operator.email, "password": PASSWORD}
    )

    assert right.status_code == 200
    assert 1 <= minutes_to_wait(right.content.decode()) <= 15
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_account_is_counted_across_addresses(client):
    user = make_user()
    for attempt in range(10):
        sign_in(client, user.email, WRONG, address=f"10.0.0.{attempt + 1}")

    right = sign_in(Client(), user.email, PASSWORD, address="10.0.1.1")

    assert right.status_code == 429


def test_the_address_is_counted_across_accounts(client):
    victim = make_user()
    for attempt in range(50):
        sign_in(client, f"guess{attempt}@example.com", WRONG, address="192.0.2.7")

    same_address = sign_in(Client(), victim.email, PASSWORD, address="192.0.2.7")
    other_address = sign_in(Client(), victim.email, PASSWORD, address="192.0.2.8")

    assert same_address.status_code == 429
    assert other_address.status_code == 302


def test_a_few_mistakes_are_forgiven(client):
    user = make_user()
    for _attempt in range(9):
        sign_in(client, user.email, WRONG)

    right = sign_in(client, user.email, PASSWORD)

    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.id)


def test_the_door_opens_again_when_the_window_is_over(client, monkeypatch):
    user = make_user()
    for _attempt in range(12):
        sign_in(client, user.email, WRONG)
    later = ratelimit_core.time.time() + 16 * 60
    monkeypatch.setattr(ratelimit_core.time, "time", lambda: later)

    right = sign_in(client, user.email, PASSWORD)

    assert right.status_code == 302


def register(client: Client, email: str):
    return client.post("/account/register/", {"email": email, "password": "a-long-Passphrase-9"})


def test_registration_is_throttled_per_email(client):
    answers = [register(client, "target@example.com").status_code for _attempt in range(6)]

    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_registration_is_throttled_per_address(client):
    answers = [register(client, f"new{attempt}@example.com").status_code for attempt in range(21)]

    refused = register(client, "one-more@example.com")

    assert answers == [302] * 20 + [429]
    assert refused.status_code == 429
    assert 1 <= minutes_to_wait(refused.content.decode()) <= 60


def reset(client: Client, email: str):
    return client.post("/account/password-reset/", {"email": email})


def test_password_reset_answers_the_same_for_a_stranger_and_mails_only_the_owner(client):
    owner = make_user(email="owner@example.com")

    known = reset(client, "owner@example.com")
    unknown = reset(Client(), "stranger@example.com")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/account/password-reset/sent/"
    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_the_reset_link_sets_a_new_password(client):
    owner = make_user(email="owner@example.com")
    reset(client, owner.email)
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-Passphrase-7", "new_password2": "a-new-Passphrase-7"},
    )

    owner.refresh_from_db()
    assert saved["Location"] == "/account/password-reset/done/"
    assert owner.check_password("a-new-Passphrase-7")


def test_password_reset_is_throttled_per_email(client):
    make_user(email="owner@example.com")

    answers = [reset(client, "owner@example.com").status_code for _attempt in range(6)]

    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_the_api_is_throttled_per_address_with_a_stable_code(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api-ip": "5/m"}
    answers = [client.get("/api/v1/categories").status_code for _request in range(5)]

    refused = client.get("/api/v1/categories")
    elsewhere = client.get("/api/v1/categories", REMOTE_ADDR="198.51.100.4")

    assert answers == [200] * 5
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 1 <= minutes_to_wait(refused.json()["message"]) <= 1
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


def test_the_api_counts_a_signed_in_user_across_addresses(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api-user": "3/m"}
    client.force_login(make_user())
    for attempt in range(3):
        client.get("/api/v1/orders", REMOTE_ADDR=f"203.0.113.{attempt + 1}")

    refused = client.get("/api/v1/orders", REMOTE_ADDR="203.0.113.99")

    assert refused.status_code == 429
