"""Typed domain errors with stable codes; the message is translated for the user.

One error path: a service raises a `DomainError` (or a subclass) whose class says its HTTP status.
The API turns it into `{code, message, field?}` (lianluo.api.common), a page turns a `NotFound`
into the 404 page and a `Forbidden` into the 403 page (`DomainErrorMiddleware` below), and a form
view puts any other refusal at its field with `form_error`. Views and endpoints do not catch
`NotFound` to raise 404 by hand. Each app keeps its codes in one `StrEnum` (`CaseCode`,
`ReceptionCode`, …) next to its services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django import forms


class CoreCode(StrEnum):
    """Codes core itself raises, and the generic ones any app may raise."""

    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    NOT_ALLOWED = "not_allowed"
    INVALID_TRANSITION = "invalid_transition"
    INVALID = "invalid"


class DomainError(Exception):
    """A refusal the user should read: `code` is stable for clients, `message` is translated,
    `status` is the HTTP status the API answers with (422: the request is understood and
    refused)."""

    status = 422

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.code = str(code)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Missing and not-yours are the same answer."""

    status = 404


class Forbidden(DomainError):
    """The user may see the thing but not do this to it."""

    status = 403


class Conflict(DomainError):
    """The request clashes with the state of the thing (a transition not open from its state,
    a key already used for something else)."""

    status = 409


def one_of(
    value: object, allowed: Iterable[str], *, field: str, code: str = "invalid_value"
) -> str:
    """`value` when it is one of `allowed` (a fixed list: choices, codes), else a 422 at `field`
    that names the list."""
    allowed = list(allowed)
    if str(value) not in allowed:
        raise DomainError(
            code,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(allowed)},
            field=field,
        )
    return str(value)


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a service's refusal where the user looks: at its field when the form has one,
    otherwise at the top of the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def flash_outcome(request: HttpRequest, write: Callable[[], object], *, done: str) -> bool:
    """Run a POST-and-redirect view's one service call: its refusal is flashed as an error,
    else `done` as a success. A `NotFound` goes through (the 404 page, by the middleware).
    Returns whether the write went through."""
    try:
        write()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, done)
    return True


class DomainErrorMiddleware:
    """Pages: a `NotFound` a view lets through is the 404 page, a `Forbidden` the 403 page (in
    the user's language, through the project's handlers). The API answers its own errors before
    they reach here (lianluo.api.common)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(str(exception.message)) from exception
        return None
