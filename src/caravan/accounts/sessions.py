"""The session engine with the shared cache (SESSION_ENGINE with REDIS_URL): Django's
cached_db sessions, whose cache read also fetches the signed-in user's copy
(docs/decisions/0022-session-and-user-in-one-read.md).

A signed-in page read the session from the cache, then the user named in it
(`accounts.user_cache`): two round trips. The session cookie does not say who the user is,
so `accounts.middleware.SessionMiddleware` hands the store the user-id hint cookie, set at
sign-in; the store reads the session and the hinted user's copy and generation in one
`get_many`. The hint is not trusted: the prefetched copy is offered only when the session
itself names that user, and `cached_user` then decides on it exactly as on its own read
(generation), after which django.contrib.auth checks the session auth hash and the backend
`is_active`, as on every path. A wrong, forged or stale hint costs the old second read.

Another app may ask for a key of the default cache to be read in the same round trip
(`read_along`, before the session loads): the storefront's page cache asks for the page it
guesses the visitor will be shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import DEFAULT_CACHE_ALIAS, caches

from . import user_cache
from .user_cache import Prefetched

# The user's primary key: digits only, so a hint cannot build any other cache key.
_LONGEST_HINT = 20


def valid_hint(value: str | None) -> str | None:
    if value and len(value) <= _LONGEST_HINT and value.isascii() and value.isdecimal():
        return value
    return None


class SessionStore(CachedDBStore):
    def __init__(self, session_key: str | None = None, *, user_hint: str | None = None) -> None:
        super().__init__(session_key)
        self.user_hint = valid_hint(user_hint)
        self._prefetched_user: Prefetched | None = None
        self._along: dict[str, Any] = {}
        self._along_read = False

    def read_along(self, key: str) -> bool:
        """Read this key of the default cache with the session, in the same round trip
        (`taken_along` gives the answer). False when nothing will be read: the session is
        loaded already, has no key (nothing to load) or lives in another cache."""
        if (
            hasattr(self, "_session_cache")
            or self.session_key is None
            or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS
        ):
            return False
        self._along[key] = None
        return True

    def taken_along(self, key: str) -> tuple[bool, Any]:
        """(True, the value or None when the cache has none) for a key read with the session;
        (False, None) when it was not (the read failed, or the key was not asked for)."""
        if not self._along_read or key not in self._along:
            return False, None
        return True, self._along.pop(key)

    def load(self) -> dict[str, Any]:
        # The user's copy and the keys read along live in the default cache: one read only
        # if the sessions do too (read_along checks the same).
        same_cache = settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
        hint = self.user_hint if same_cache and user_cache.enabled() else None
        user_keys = user_cache.keys_of(hint) if hint is not None else ()
        along = list(self._along)
        if not user_keys and not along:
            return super().load()  # type: ignore[no-any-return]
        session_key = self.cache_key
        try:
            # cached_db's own cache (its `_cache`), checked above to be the default one.
            found = caches[settings.SESSION_CACHE_ALIAS].get_many([session_key, *user_keys, *along])
        except Exception:
            # As cached_db's own read: a failed read goes to the database.
            return super().load()  # type: ignore[no-any-return]
        self._along = {key: found.get(key) for key in along}
        self._along_read = True
        data = found.get(session_key)
        if data is None:
            # Not in the cache (expired, evicted, signed out): cached_db's database path.
            return super().load()  # type: ignore[no-any-return]
        if hint is not None and str(data.get(SESSION_KEY)) == hint:
            self._prefetched_user = Prefetched(
                user_id=hint, found={key: found[key] for key in user_keys if key in found}
            )
        return data  # type: ignore[no-any-return]

    def take_prefetched_user(self) -> Prefetched | None:
        """The user's copy read with the session, once: a later read in the same request
        (after a sign-in, a write to the user) goes to the cache."""
        answer, self._prefetched_user = self._prefetched_user, None
        return answer
