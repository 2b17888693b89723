"""The one-time link in a staff invitation: the invitation's public id, signed.

The signature proves the link came from Caravan; expiry and single use are kept on the
invitation row (expires_at, accepted_at), so they hold even if a link leaks."""

from __future__ import annotations

from django.core import signing

SALT = "caravan.sellers.invitation"


def invitation_token(public_id: str) -> str:
    return signing.dumps(public_id, salt=SALT, compress=False)


def read_invitation_token(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None
