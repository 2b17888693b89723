"""Opaque public identifiers and non-sequential order numbers."""

import secrets

# No 0/O/1/I: numbers are read out over the phone.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


_LEADING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def public_id() -> str:
    """12 URL-safe characters; the first is a letter or digit, so an id never reads as an
    option ("-x") or a spreadsheet formula ("-1", "+1") where sellers export it."""
    return secrets.choice(_LEADING) + secrets.token_urlsafe(9)[1:]


def order_number(prefix: str = "CV") -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"
