"""Typed domain errors: each carries a stable code that the API and forms show."""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class ValidationFailed(DomainError):
    code = "validation_failed"


class OutOfStock(DomainError):
    code = "out_of_stock"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class PaymentRejected(DomainError):
    code = "payment_rejected"
