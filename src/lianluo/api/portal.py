"""API v1 endpoints of the portal context (a django-ninja Router mounted in api.api): the
printable posters. Public information, no sign-in; `?lang=zh-hans|en`, else Accept-Language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from lianluo.api.common import Error
from lianluo.portal.printing import (
    deputy_poster_document,
    poster_language,
    station_deputies_document,
    station_poster_document,
)

router = Router(tags=["portal"])


def _pdf(content: bytes, filename: str, language: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response


@router.get("/public/stations/{code}/poster.pdf", response={404: Error}, tags=["public"])
def station_poster(request: HttpRequest, code: str, lang: str | None = None):
    """A4 poster of a station for the notice board: name, kind, address, reception rule, and
    the QR code of its public page (PDF, Chinese font embedded)."""
    language = poster_language(lang)
    return _pdf(*station_poster_document(code=code, language=language), language)


@router.get("/public/stations/{code}/posters.pdf", response={404: Error}, tags=["public"])
def station_deputy_posters(request: HttpRequest, code: str, lang: str | None = None):
    """The posters of all deputies of a station, one A4 page each (PDF)."""
    language = poster_language(lang)
    return _pdf(*station_deputies_document(code=code, language=language), language)


@router.get("/public/deputies/{code}/poster.pdf", response={404: Error}, tags=["public"])
def deputy_poster(request: HttpRequest, code: str, lang: str | None = None):
    """A4 poster of a deputy: name, levels, stations, duty schedule, QR code of their page."""
    language = poster_language(lang)
    return _pdf(*deputy_poster_document(code=code, language=language), language)
