"""One masked CSRF token per request (kernel.csrf.page_token), accepted as Django's own."""

import re

from django.middleware.csrf import CsrfViewMiddleware, rotate_token
from django.test import RequestFactory

from caravan.kernel.csrf import page_token

SECRET = "a" * 32


def accepted(token, secret):
    """Whether Django's CSRF check passes a POST carrying this token with this cookie."""
    post = RequestFactory().post("/", HTTP_X_CSRFTOKEN=token)
    post.COOKIES["csrftoken"] = secret
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(post)
    return middleware.process_view(post, lambda request: None, (), {}) is None


def test_a_request_masks_its_token_once_and_django_accepts_it():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET

    first, second = page_token(request), page_token(request)

    assert first == second
    assert len(first) == 64
    assert accepted(first, SECRET)


def test_a_rotated_secret_is_masked_again():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    before = page_token(request)

    rotate_token(request)
    after = page_token(request)

    assert after != before
    assert accepted(after, request.META["CSRF_COOKIE"])
    assert not accepted(before, request.META["CSRF_COOKIE"])


def test_a_first_visit_without_a_cookie_gets_a_secret_and_one_token():
    request = RequestFactory().get("/")

    first, second = page_token(request), page_token(request)

    assert first == second
    assert accepted(first, request.META["CSRF_COOKIE"])


def test_a_product_page_prints_one_token_everywhere_and_its_form_posts(client, market):
    client.handler.enforce_csrf_checks = True
    page = client.get(f"/p/{market.product.public_id}/").content.decode()

    printed = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    printed += re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    tokens = set(printed)
    added = client.post(
        "/cart/add/",
        {
            "offer": market.offer_ru.public_id,
            "quantity": 1,
            "csrfmiddlewaretoken": next(iter(tokens)),
        },
    )

    # The page's htmx headers, the account area's language, currency and country forms, the
    # buy box's form and each of the two offer rows' forms.
    assert len(printed) == 7
    assert len(tokens) == 1
    assert added.status_code == 302
