"""The signed token of a user's unsubscribe link: it names the user and cannot be forged,
so the link works without signing in. It does not expire: an old email's link must work."""

from __future__ import annotations

from django.core import signing

SALT = "caravan.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int) -> str:
    return signing.Signer(salt=SALT).sign(str(user_id))


def user_id_from_token(token: str) -> int | None:
    """The user the token was made for, or None when it was altered or is not ours."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None
