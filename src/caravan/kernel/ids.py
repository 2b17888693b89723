"""Opaque public identifiers and non-sequential order numbers."""

import secrets

# No 0/O/1/I: numbers are read out over the phone.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def public_id() -> str:
    return secrets.token_urlsafe(9)


def order_number(prefix: str = "CV") -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"
