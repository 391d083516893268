"""What every router of API v1 shares, and nothing that knows a router: the bearer auth, the
`Error` schema, the parser that reads bodies at the edge, the error handlers (installed on the
API object by lianluo.api.api) and the few serializers several routers use.

Routers import from here and from the apps; only lianluo.api.api imports the routers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from lianluo.core.edge import (
    PARSED_JSON,
    STATUS_CODES,
    BadInput,
    check_api_body,
    status_message,
)
from lianluo.core.errors import DomainError
from lianluo.core.qr import deputy_url
from lianluo.core.services import api_token_user
from lianluo.deputies.models import Deputy

# ---- auth ---------------------------------------------------------------------------------


class BearerAuth(HttpBearer):
    """A bearer token of core.services.api_token_issue; the user becomes request.auth."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class _Bearer(BearerAuth):
    """The same tokens. OpenAPI names a security scheme after its class, and the activities,
    stations and duty routers have always published theirs as `_Bearer`: generated clients
    key their credentials on that name, so it stays until the contract changes on purpose."""


bearer = BearerAuth()
bearer_v1 = _Bearer()


# ---- errors -------------------------------------------------------------------------------


class Error(Schema):
    code: str
    message: str


def _validation_message(item: dict[str, Any]) -> str:
    """pydantic's error, in the user's language: its `msg` is English only. The msgids that
    Django already translates are reused (its catalog is loaded after ours)."""
    kind = str(item.get("type", ""))
    by_type = {
        "missing": _("This field is required."),
        "string_type": _("Enter text."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "date_parsing": _("Enter a valid date."),
        "date_type": _("Enter a valid date."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "date_from_datetime_inexact": _("Enter a valid date."),
        "datetime_parsing": _("Enter a valid date/time."),
        "datetime_type": _("Enter a valid date/time."),
        "datetime_from_date_parsing": _("Enter a valid date/time."),
        "time_parsing": _("Enter a valid time."),
        "list_type": _("Enter a list of values."),
        "dict_type": _("Enter an object (a JSON {…})."),
        "model_type": _("Enter an object (a JSON {…})."),
        "model_attributes_type": _("Enter an object (a JSON {…})."),
        "string_too_long": _("The text is too long."),
        "string_too_short": _("The text is too short."),
        "literal_error": _("Choose one of the allowed values."),
        "enum": _("Choose one of the allowed values."),
        "json_invalid": _("The request body is not valid JSON: check quotes, commas and brackets."),
    }
    if kind in by_type:
        return by_type[kind]
    if kind.startswith(("greater_than", "less_than", "int_too", "finite_number")):
        return _("The number is out of range.")
    return _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error of the API as `{code, message}` (and `field`/`errors` where one is at
    fault), the message in the request's language."""

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict[str, Any] = {"code": exc.code, "message": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=exc.status)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query")]
            errors.setdefault(".".join(loc) or "body", []).append(_validation_message(item))
        return api.create_response(
            request,
            {"code": "invalid", "message": _("The request is not valid."), "errors": errors},
            status=422,
        )

    def on_bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
        return api.create_response(
            request, {"code": exc.code, "message": exc.message}, status=exc.status
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja turns whatever its parser raises into "400 Cannot parse request body".
        if isinstance(exc.__cause__, BadInput):
            return on_bad_input(request, exc.__cause__)
        # ninja's own HttpErrors (unparsable body, authentication, throttling) carry English
        # texts: the user reads ours, by status.
        status = exc.status_code
        code = STATUS_CODES.get(status, "error")
        message = status_message(status)
        if status == 400:
            code = "malformed_json"
            message = _("The request body is not valid JSON: check quotes, commas and brackets.")
        return api.create_response(request, {"code": code, "message": message}, status=status)

    def on_form_sent_for_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # A form (multipart) body, already read as a form by the edge, where the endpoint
        # reads JSON.
        return on_bad_input(
            request, BadInput("unsupported_media_type", status_message(415), status=415)
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, {"code": "not_found", "message": status_message(404)}, status=404
        )

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (DomainError, on_domain_error),
        (ValidationError, on_validation_error),
        (HttpError, on_http_error),
        (BadInput, on_bad_input),
        (RawPostDataException, on_form_sent_for_json),
        (Http404, on_not_found),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


# ---- the body ------------------------------------------------------------------------------


class EdgeParser(Parser):
    """Where the API reads a body: only JSON, or a form with a bearer token (check_api_body says
    why); the JSON as the edge middleware already parsed and checked it (once, not twice)."""

    def parse_body(self, request: HttpRequest) -> Any:
        check_api_body(request, form=False)
        if hasattr(request, PARSED_JSON):
            return getattr(request, PARSED_JSON)
        return super().parse_body(request)

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        if data is request.POST or data is request.FILES:
            check_api_body(request, form=True)
        return super().parse_querydict(data, list_fields, request)


# ---- shared serializers ---------------------------------------------------------------------


def page_of(
    qs: QuerySet[Any], *, page: int, page_size: int, item: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """One page of a list answer: `{count, page, page_size, results}`, at most 100 a page."""
    size = max(1, min(page_size, 100))
    page = max(1, page)
    rows = list(qs[(page - 1) * size : page * size])
    return {
        "count": qs.count(),
        "page": page,
        "page_size": size,
        "results": [item(r) for r in rows],
    }


class DeputyBrief(Schema):
    code: str
    name: str
    levels: list[str]
    url: str


def deputy_brief(d: Deputy) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "levels": d.level_labels(), "url": deputy_url(d.code)}
