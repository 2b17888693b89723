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
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

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


def cached_user(user_id: int | str) -> User | None:
    """The user with this primary key, or None when there is none. From the cache while no
    write to the user happened since the copy was read."""
    from .models import User

    if not enabled():
        return User._default_manager.filter(pk=user_id).first()
    user_key, generation_key = _user_key(user_id), _generation_key(user_id)
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
