"""The user-id hint cookie (accounts.middleware, accounts.sessions; ADR 0022): a signed-in
request reads its session and its user in one cache read, and a wrong, forged or stale hint
signs no one in."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.test import Client
from tests.cache_reads import RECORDING_CACHE, ReadsRecordingCache
from tests.factories import PASSWORD, make_user

from caravan.accounts.middleware import USER_HINT_COOKIE
from caravan.accounts.models import User
from caravan.accounts.user_cache import keys_of

pytestmark = pytest.mark.django_db

ORDERS = "/orders/"


@pytest.fixture(autouse=True)
def _hinted_sessions(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": RECORDING_CACHE,
    }
    settings.USER_CACHE = True
    settings.SESSION_ENGINE = "caravan.accounts.sessions"
    cache.clear()
    ReadsRecordingCache.reads.clear()


def sign_in(client: Client, user: User) -> None:
    page = client.post("/account/login/", {"username": user.email, "password": PASSWORD})
    assert page.status_code == 302


def user_reads() -> list[list[str]]:
    return [keys for keys in ReadsRecordingCache.reads if any("accounts:user" in k for k in keys)]


def test_signing_in_sets_the_hint_to_the_user_s_id(client):
    user = make_user()

    page = client.post("/account/login/", {"username": user.email, "password": PASSWORD})

    assert page.status_code == 302
    assert page.cookies[USER_HINT_COOKIE].value == str(user.pk)
    assert page.cookies[USER_HINT_COOKIE]["httponly"] is True


def test_a_signed_in_page_reads_the_session_and_the_user_in_one_cache_read(client):
    user = make_user()
    sign_in(client, user)
    assert client.get(ORDERS).status_code == 200  # the first page keeps the user's copy
    ReadsRecordingCache.reads.clear()

    page = client.get(ORDERS)

    session_key = KEY_PREFIX + client.cookies["sessionid"].value
    assert page.status_code == 200
    assert page.wsgi_request.user.pk == user.pk
    assert user_reads() == [[session_key, *keys_of(user.pk)]]
    assert USER_HINT_COOKIE not in page.cookies  # unchanged: not sent again


def test_signing_out_deletes_the_hint(client):
    user = make_user()
    sign_in(client, user)

    page = client.post("/account/logout/")

    assert page.cookies[USER_HINT_COOKIE].value == ""
    assert page.cookies[USER_HINT_COOKIE]["max-age"] == 0


def test_a_session_signed_out_elsewhere_is_anonymous_with_its_old_hint(client):
    user = make_user()
    sign_in(client, user)
    assert client.get(ORDERS).status_code == 200
    other_tab = Client()
    other_tab.cookies = client.cookies
    assert other_tab.post("/account/logout/").status_code == 302

    # The same browser's old session cookie and hint, as another tab kept them.
    page = Client(
        headers={
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; {USER_HINT_COOKIE}={user.pk}"
        }
    ).get(ORDERS)

    assert page.status_code == 302
    assert page["Location"].startswith("/account/login/")
    assert page.cookies[USER_HINT_COOKIE].value == ""


def test_a_hint_naming_another_user_reads_the_session_s_own_user(client):
    user = make_user()
    other = make_user()
    other_client = Client()
    sign_in(other_client, other)
    assert other_client.get(ORDERS).status_code == 200  # the other user's copy is cached
    sign_in(client, user)
    client.cookies[USER_HINT_COOKIE] = str(other.pk)
    ReadsRecordingCache.reads.clear()

    page = client.get(ORDERS)

    assert page.status_code == 200
    assert page.wsgi_request.user.pk == user.pk
    # The hinted copy was fetched with the session and set aside; the session's own user was
    # read on its own, as without a hint.
    session_key = KEY_PREFIX + client.cookies["sessionid"].value
    assert user_reads() == [[session_key, *keys_of(other.pk)], list(keys_of(user.pk))]
    assert page.cookies[USER_HINT_COOKIE].value == str(user.pk)


def test_a_hint_without_a_signed_in_session_signs_no_one_in(client):
    user = make_user()
    signed = Client()
    sign_in(signed, user)
    assert signed.get(ORDERS).status_code == 200  # the user's copy is cached
    client.cookies[USER_HINT_COOKIE] = str(user.pk)

    page = client.get(ORDERS)

    assert page.status_code == 302
    assert page.wsgi_request.user.is_authenticated is False
    assert page.cookies[USER_HINT_COOKIE].value == ""


@pytest.mark.parametrize("hint", ["not-a-number", "1 2", "9" * 21, ""])
def test_a_malformed_hint_costs_only_the_normal_reads(client, hint):
    user = make_user()
    sign_in(client, user)
    assert client.get(ORDERS).status_code == 200
    client.cookies[USER_HINT_COOKIE] = hint
    ReadsRecordingCache.reads.clear()

    page = client.get(ORDERS)

    assert page.status_code == 200
    assert page.wsgi_request.user.pk == user.pk
    assert user_reads() == [list(keys_of(user.pk))]
    assert page.cookies[USER_HINT_COOKIE].value == str(user.pk)


def test_a_password_changed_elsewhere_signs_the_hinted_session_out_at_once(client):
    user = make_user()
    sign_in(client, user)
    assert client.get(ORDERS).status_code == 200

    stored = User.objects.get(pk=user.pk)
    stored.set_password("Another-pass-43-long")
    stored.save()
    page = client.get(ORDERS)

    assert page.status_code == 302
    assert page["Location"].startswith("/account/login/")
    assert page.cookies[USER_HINT_COOKIE].value == ""


def test_a_deactivated_user_with_a_hint_is_signed_out_at_once(client):
    user = make_user()
    sign_in(client, user)
    assert client.get(ORDERS).status_code == 200

    User.objects.filter(pk=user.pk).update(is_active=False)
    page = client.get(ORDERS)

    # The backend refuses the copy read with the session; the session itself still names the
    # user (django.contrib.auth keeps it), so the hint stays and keeps costing nothing more.
    assert page.status_code == 302
    assert page.wsgi_request.user.is_authenticated is False


def test_without_the_shared_cache_no_hint_is_set(client, settings):
    settings.USER_CACHE = False
    user = make_user()

    page = client.post("/account/login/", {"username": user.email, "password": PASSWORD})

    assert page.status_code == 302
    assert USER_HINT_COOKIE not in page.cookies
