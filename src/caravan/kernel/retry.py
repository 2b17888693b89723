"""Retrying a whole transaction that PostgreSQL chose as a deadlock victim.

The house lock order keeps Caravan's own locks acyclic, but PostgreSQL also takes locks
Caravan does not name (the deferred foreign-key checks at commit take KEY SHARE on the rows
referred to), and two money transactions can still meet head-on there. The database aborts
one; running it again from the start is the documented remedy, and safe because the aborted
attempt wrote nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 3


def _is_deadlock(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "40P01"


def retry_on_deadlock(function: Callable[P, T]) -> Callable[P, T]:
    """Run `function` again (up to ATTEMPTS times) when it was a deadlock victim. Only for
    functions that own their transaction: inside an outer one a retry could not start over."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _is_deadlock(error) or attempt == ATTEMPTS or connection.in_atomic_block:
                    raise
                logger.warning("%s was a deadlock victim; attempt %s", function.__name__, attempt)
        raise AssertionError("unreachable")

    return wrapper
