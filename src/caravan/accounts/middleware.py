"""Django's session and authentication middleware, with the user-id hint that lets a signed-in
request read its session and its user in one cache round trip
(docs/decisions/0022-session-and-user-in-one-read.md, `accounts.sessions`).

The hint is a cookie holding the signed-in user's primary key, nothing secret: it only says
which user's copy to fetch with the session. It follows the session, whichever view signed
in or out (the storefront, the admin, a password reset): a response whose session names a
user other than the hint's sets it, one whose session names none deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import SimpleLazyObject

from . import user_cache
from .sessions import SessionStore

USER_HINT_COOKIE = "caravan_user"
_CACHED_USER = "_cached_user"  # where django.contrib.auth.middleware keeps the request's user


class SessionMiddleware(DjangoSessions):
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.takes_hint = issubclass(self.SessionStore, SessionStore)

    def process_request(self, request: HttpRequest) -> None:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if self.takes_hint:
            store = cast("type[SessionStore]", self.SessionStore)
            request.session = store(session_key, user_hint=request.COOKIES.get(USER_HINT_COOKIE))
        else:
            request.session = self.SessionStore(session_key)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        session = getattr(request, "session", None)
        # A session nobody read says nothing new about who is signed in (and reading it
        # now would cost a round trip): the hint stays as it is.
        if session is None or not session.accessed or not self.takes_hint:
            return response
        user_id = session.get(SESSION_KEY)
        wanted = str(user_id) if user_id is not None and user_cache.enabled() else None
        hint = request.COOKIES.get(USER_HINT_COOKIE)
        if wanted == hint:
            return response
        if wanted is None:
            if hint is not None:
                response.delete_cookie(
                    USER_HINT_COOKIE,
                    path=settings.SESSION_COOKIE_PATH,
                    domain=settings.SESSION_COOKIE_DOMAIN,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
            return response
        # Lives as the session cookie does; one that outlives it names a session that is
        # gone, which costs the old path.
        max_age = None if session.get_expire_at_browser_close() else session.get_expiry_age()
        response.set_cookie(
            USER_HINT_COOKIE,
            wanted,
            max_age=max_age,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
            secure=bool(settings.SESSION_COOKIE_SECURE),
            httponly=True,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        return response


def get_user(request: HttpRequest) -> object:
    """django.contrib.auth.middleware.get_user, handing `cached_user` the copy read with the
    session: auth.get_user still checks the session auth hash, the backend `is_active`."""
    if not hasattr(request, _CACHED_USER):
        session = request.session
        # auth.get_user reads the session first anyway: loading it here fetches the copy.
        session.get(SESSION_KEY)
        take = getattr(session, "take_prefetched_user", None)
        with user_cache.prefetched(take() if take is not None else None):
            setattr(request, _CACHED_USER, auth.get_user(request))
    return getattr(request, _CACHED_USER)


class AuthenticationMiddleware(DjangoAuthentication):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
