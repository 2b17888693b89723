"""The signed-in user read from the shared cache (accounts.user_cache): no query on a page,
and every write to the user signs a stale session out on its next request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from tests.factories import make_user

from caravan.accounts.models import User
from caravan.accounts.user_cache import _generation_key, _user_key, cached_user

pytestmark = pytest.mark.django_db

ORDERS = "/orders/"


# Every test runs with the database sessions, and with the production engine that reads the
# user's copy with the session through the user-id hint (accounts.sessions, ADR 0022).
@pytest.fixture(
    autouse=True, params=["django.contrib.sessions.backends.db", "caravan.accounts.sessions"]
)
def _shared_cache(request, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "user-cache-tests",
        },
    }
    settings.USER_CACHE = True
    settings.SESSION_ENGINE = request.param
    cache.clear()


def signed_in(client, user: User) -> None:
    client.force_login(user)
    # The first page reads the row and keeps a copy.
    assert client.get(ORDERS).status_code == 200


def test_a_cached_user_is_read_without_a_query(django_assert_num_queries):
    user = make_user(email="cached@example.com")
    cached_user(user.pk)

    with django_assert_num_queries(0):
        again = cached_user(user.pk)

    assert again is not None
    assert (again.pk, again.email, again.password) == (user.pk, "cached@example.com", user.password)


def test_a_signed_in_page_reads_no_user_row_once_cached(client, django_assert_num_queries):
    user = make_user()
    signed_in(client, user)

    with django_assert_num_queries(0):
        user_read = cached_user(user.pk)

    assert user_read is not None and user_read.pk == user.pk
    assert client.get(ORDERS).status_code == 200


def test_a_changed_password_signs_the_other_sessions_out_at_once(client):
    user = make_user()
    signed_in(client, user)

    stored = User.objects.get(pk=user.pk)
    stored.set_password("Another-pass-43-long")
    stored.save()
    page = client.get(ORDERS)

    assert page.status_code == 302
    assert page["Location"].startswith("/account/login/")


def test_a_deactivated_user_is_signed_out_at_once(client):
    user = make_user()
    signed_in(client, user)

    stored = User.objects.get(pk=user.pk)
    stored.is_active = False
    stored.save(update_fields=["is_active"])
    page = client.get(ORDERS)

    assert page.status_code == 302


def test_a_user_deactivated_by_a_queryset_update_is_signed_out_at_once(client):
    user = make_user()
    signed_in(client, user)

    User.objects.filter(pk=user.pk).update(is_active=False)
    page = client.get(ORDERS)

    assert page.status_code == 302


def test_a_deleted_user_is_signed_out_at_once(client):
    user = make_user()
    signed_in(client, user)

    User.objects.filter(pk=user.pk).delete()
    page = client.get(ORDERS)

    assert page.status_code == 302
    assert cached_user(user.pk) is None


def test_a_copy_stored_before_the_write_committed_is_not_served_after_it(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    cached_user(user.pk)
    stale = User.objects.get(pk=user.pk)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        stored = User.objects.get(pk=user.pk)
        stored.is_active = False
        stored.save()
        # Another request read the row before this transaction committed and keeps its copy
        # under the generation it found.
        cache.set(_user_key(user.pk), (cache.get(_generation_key(user.pk)), stale))
    after = cached_user(user.pk)

    assert after is not None
    assert after.is_active is False


def test_without_a_shared_cache_every_request_reads_the_row(settings, django_assert_num_queries):
    settings.USER_CACHE = False
    user = make_user()
    cached_user(user.pk)

    with django_assert_num_queries(1):
        again = cached_user(user.pk)

    assert again is not None and again.pk == user.pk
