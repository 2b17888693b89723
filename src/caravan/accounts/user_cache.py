"""The signed-in user's row from the shared cache instead of the database on every request
(docs/decisions/0018-faster-misses-and-signed-in-pages.md).

Every copy is stored with the user's generation, a random token kept in the cache beside it.
Any write to the user (save, delete, a queryset update or delete: `User` calls
`forget_users`) draws a new generation at once and again when the transaction commits, so
a copy read before the write no longer matches and the next request reads the database: a
changed password, a deactivation or a deletion signs the user out on the next request, as
without the cache. The session auth hash and `is_active` are still checked on the copy by
django.contrib.auth and the backend, exactly as on a row read from the database.

Only with a cache every process shares (USER_CACHE, on with REDIS_URL): with a per-process
cache another process's write would never reach this one's copy.

The copy and its generation may come with the session, in the one cache read that loads it
(`accounts.sessions`, docs/decisions/0022-session-and-user-in-one-read.md): `prefetched`
hands that read's answer to `cached_user`, which then decides exactly as on its own read.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

if TYPE_CHECKING:
    from .models import User

USER_TTL_SECONDS = 15 * 60
# Outlives every copy stored under it; a generation that expired anyway is replaced by a
# new random one, which no stored copy carries.
GENERATION_TTL_SECONDS = 2 * USER_TTL_SECONDS


def _user_key(user_id: object) -> str:
    return f"accounts:user:{user_id}"


def _generation_key(user_id: object) -> str:
    return f"accounts:user-generation:{user_id}"


def enabled() -> bool:
    return bool(settings.USER_CACHE)


def keys_of(user_id: object) -> tuple[str, str]:
    """The cache keys `cached_user` reads for this user: their copy and their generation."""
    return _user_key(user_id), _generation_key(user_id)


@dataclass(frozen=True)
class Prefetched:
    """What one cache read found under `keys_of(user_id)` (a key it did not find is absent)."""

    user_id: str
    found: Mapping[str, Any]


_prefetched: ContextVar[Prefetched | None] = ContextVar("caravan_user_prefetched", default=None)


@contextmanager
def prefetched(answer: Prefetched | None) -> Iterator[None]:
    """While inside, `cached_user` for `answer.user_id` takes `answer` instead of reading the
    cache: the caller read the same keys a moment before (with the session)."""
    token = _prefetched.set(answer)
    try:
        yield
    finally:
        _prefetched.reset(token)


def cached_user(user_id: int | str) -> User | None:
    """The user with this primary key, or None when there is none. From the cache while no
    write to the user happened since the copy was read."""
    from .models import User

    if not enabled():
        return User._default_manager.filter(pk=user_id).first()
    user_key, generation_key = keys_of(user_id)
    answer = _prefetched.get()
    if answer is not None and answer.user_id == str(user_id):
        found = answer.found
    else:
        found = cache.get_many([user_key, generation_key])
    generation = found.get(generation_key)
    entry = found.get(user_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]  # type: ignore[no-any-return]
    if generation is None:
        # add(): two first readers agree on one generation; a writer's newer one wins.
        cache.add(generation_key, secrets.token_hex(8), timeout=GENERATION_TTL_SECONDS)
        generation = cache.get(generation_key)
    # The generation is read before the row: a write committed in between has drawn a new
    # one, so this copy, whatever it holds, is never served after that write.
    user = User._default_manager.filter(pk=user_id).first()
    if user is not None and generation is not None:
        cache.set(user_key, (generation, user), timeout=USER_TTL_SECONDS)
    return user


def forget_users(user_ids: Iterable[int | str]) -> None:
    """Make every cached copy of these users stale, now and when the writing transaction
    commits (a request between the two may have read the row as it was before the write)."""
    ids = list(user_ids)
    if not ids or not enabled():
        return
    _new_generations(ids)
    transaction.on_commit(lambda: _new_generations(ids))


def _new_generations(user_ids: list[int | str]) -> None:
    cache.set_many(
        {_generation_key(user_id): secrets.token_hex(8) for user_id in user_ids},
        timeout=GENERATION_TTL_SECONDS,
    )
