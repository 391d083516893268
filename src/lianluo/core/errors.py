"""Typed domain errors with stable codes; the message is translated for the user."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal the user should read: `code` is stable for clients, `message` is translated."""

    status = 422

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Missing and not-yours are the same answer."""

    status = 404


class Forbidden(DomainError):
    status = 403
