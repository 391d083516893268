"""The edge: every request's input is checked as text before a view sees it, and every answer on
the API is `{code, message}` JSON, whatever failed (a view, the URL resolver, Django's parsing).

Why one middleware and not a check per endpoint: a lone surrogate (`"\\ud800"` in JSON) or a NUL
character passes pydantic and Django forms alike and only fails deep down, when the database
driver encodes the string (HTTP 500, or on PostgreSQL a NUL in any filter). Checking once, here,
covers JSON bodies, form fields, query strings and the path (hence path parameters) of every
view, API and HTML, including the ones written next year.

The API's media-type policy is `check_api_body`, called by the API's parser where a body is
read (after authentication, so an anonymous request to a signed-in endpoint still gets its 401).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("lianluo.edge")

API_PREFIX = "/api/"
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
# Where the parsed JSON body is kept for the API's parser (see lianluo.api.common.EdgeParser).
PARSED_JSON = "_lianluo_json"

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


def status_message(status: int) -> str:
    """The user's message for a framework error that carries none of ours."""
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in first: send a bearer token."),
        403: _("You may not do this."),
        404: _("There is nothing at this address."),
        405: _("This method is not allowed at this address."),
        413: _("The request is too large."),
        415: _("Send the request body as JSON (Content-Type: application/json)."),
        429: _("Too many requests. Please wait a minute and try again."),
    }
    if status >= 500:
        return _("Something went wrong on our side. Please try again later.")
    return messages.get(status, _("The request failed."))


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    body = {
        "code": code or STATUS_CODES.get(status, "server_error" if status >= 500 else "error"),
        "message": message or status_message(status),
    }
    return JsonResponse(
        body,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


class BadInput(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _bad_text() -> BadInput:
    return BadInput(
        "invalid_text",
        _(
            "The request contains characters that are not valid text "
            "(an unpaired surrogate or a NUL character)."
        ),
    )


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise _bad_text()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_text() from None


def _check_json_strings(data: Any) -> None:
    """Every key and string in a parsed JSON document; iterative, so depth costs no stack."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                _check_text(key)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _check_utf8(raw: bytes) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("invalid_text", _("The request is not valid UTF-8 text.")) from None


def _wsgi_bytes(environ: dict[str, Any], key: str) -> bytes:
    try:
        return get_bytes_from_wsgi(environ, key, "")
    except UnicodeEncodeError:
        # Not the ISO-8859-1 str of PEP 3333: a server (or a test) that decoded it already.
        return str(environ.get(key, "")).encode("utf-8", "surrogatepass")


def _content_type(request: HttpRequest) -> str:
    return (request.content_type or "").lower()


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _check_request(request: HttpRequest) -> None:
    # The path, and so every path parameter: Django already keeps bytes that are not UTF-8
    # percent-encoded in it (so a view sees "%FF", never a broken string), but a NUL passes.
    _check_text(request.path_info)
    # The query string from its raw bytes: Django would replace what is not UTF-8 with U+FFFD
    # and carry on with altered input.
    query = _wsgi_bytes(request.META, "QUERY_STRING")
    if query:
        _check_utf8(unquote_to_bytes(query.replace(b"+", b" ")))
        for key, values in request.GET.lists():
            _check_text(key)
            for value in values:
                _check_text(value)

    content_type = _content_type(request)
    has_body = _content_length(request) > 0
    try:
        _check_body(request, content_type, has_body)
    except RequestDataTooBig:
        raise BadInput("too_large", status_message(413), status=413) from None


def _check_body(request: HttpRequest, content_type: str, has_body: bool) -> None:
    if has_body and (_is_json(content_type) or content_type == "application/x-www-form-urlencoded"):
        # Strictly UTF-8 (Django's form parsing would silently replace what is not).
        raw = request.body
        _check_utf8(raw if _is_json(content_type) else unquote_to_bytes(raw.replace(b"+", b" ")))
    if has_body and _is_json(content_type):
        raw = request.body
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise BadInput(
                "malformed_json",
                _("The request body is not valid JSON: check quotes, commas and brackets."),
            ) from None
        _check_json_strings(data)
        setattr(request, PARSED_JSON, data)
    elif request.method == "POST" and content_type in FORM_TYPES:
        try:
            post = request.POST
        except MultiPartParserError:
            raise BadInput(
                "bad_request",
                _("The request body could not be read as a form (multipart) upload."),
            ) from None
        for key, values in post.lists():
            _check_text(key)
            for value in values:
                _check_text(value)


def is_json_request(request: HttpRequest) -> bool:
    return _is_json(_content_type(request))


def check_api_body(request: HttpRequest, *, form: bool) -> None:
    """Refuse (415) a body the API is about to read unless it is JSON, or a form (multipart or
    urlencoded) sent with an `Authorization` header.

    Why: `text/plain`, `multipart/form-data` and `application/x-www-form-urlencoded` are what any
    web page may make its visitors' browsers send cross-origin without a CORS preflight; ninja
    would read such a body as JSON all the same, so a page could submit cases in their name. An
    `Authorization` header cannot be sent that way (it forces a preflight, which we don't
    answer), and the API has no cookie authentication, so a form with a bearer token is not a
    forgery risk: the duty records upload (multipart) needs it."""
    if is_json_request(request) and not form:
        return
    if form and "HTTP_AUTHORIZATION" in request.META:
        return
    raise BadInput("unsupported_media_type", status_message(415), status=415)


class EdgeMiddleware:
    """Refuses input that is not text with a 4xx, and makes every API answer JSON.

    Place it after LocaleMiddleware (messages in the user's language) and before anything that
    reads the request's input (CsrfViewMiddleware reads the form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = is_api(request)
        try:
            _check_request(request)
        except BadInput as exc:
            logger.info("refused at the edge: %s %s: %s", request.method, request.path, exc.code)
            if api:
                return api_error(exc.status, exc.code, exc.message)
            return bad_request_page(request, exc.message, exc.status)
        response = self.get_response(request)
        if (
            api
            and response.status_code >= 400
            and not _is_json(_response_type(response))
            # With DEBUG on, a developer reads the traceback of a 500.
            and not (settings.DEBUG and response.status_code >= 500)
        ):
            # A framework answer (ninja's 405, Django's 404/400/500 pages): the same status,
            # as the JSON every API client expects.
            json_response = api_error(response.status_code)
            if "Allow" in response:
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


def _response_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def bad_request_page(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    from django.shortcuts import render

    return render(request, "400.html", {"message": message}, status=status)


# ---- Django's error handlers (lianluo.urls): JSON on the API, the site's pages elsewhere ----


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(400)
    return bad_request_page(request, status_message(400))


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(403)
    return defaults.permission_denied(request, exception or Exception())


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(404)
    return defaults.page_not_found(request, exception or Exception())


def handler500(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(500)
    return defaults.server_error(request)
