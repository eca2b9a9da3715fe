"""Domain errors raised by services and selectors; views and the API turn them into clear answers.

Each error carries a user-facing (translated) message and, where it concerns one input, the field it names, so a
form can show it next to the field and the API can return it as `{"detail": ..., "field": ...}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class DomainError(Exception):
    """Base of every error a user can cause. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": self.field}


class InvalidInput(DomainError):
    status = 422


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action."""

    status = 409


class Conflict(DomainError):
    """The action would duplicate something that must be unique (a second open application...)."""

    status = 409


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError, DjangoPermissionDenied):
    """Raised when the actor may see the object but not act on it. Django's handler answers 403 too."""

    status = 403


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)
