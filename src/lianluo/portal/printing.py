"""The poster documents by public code and language, for the HTML links and the API alike."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from lianluo.deputies.selectors import deputy_public_get
from lianluo.portal.selectors import deputy_posters, station_poster
from lianluo.stations.selectors import station_public_get


def poster_language(requested: str | None) -> str:
    """The language asked for (?lang=zh-hans|en), else the request's active language."""
    if requested and requested in dict(settings.LANGUAGES):
        return requested
    return translation.get_language() or settings.LANGUAGE_CODE


def station_poster_document(*, code: str, language: str) -> tuple[bytes, str]:
    """(PDF, file name) of a station's poster; NotFound for an unknown or closed station."""
    from lianluo.portal.posters import station_poster_pdf  # reportlab: loaded to draw

    station = station_public_get(code=code)
    with translation.override(language):
        return station_poster_pdf(station_poster(station=station)), f"poster-{station.code}.pdf"


def deputy_poster_document(*, code: str, language: str) -> tuple[bytes, str]:
    from lianluo.portal.posters import deputy_posters_pdf

    deputy = deputy_public_get(code=code)
    with translation.override(language):
        pdf = deputy_posters_pdf(deputy_posters(deputies=[deputy]), title=deputy.name)
    return pdf, f"poster-{deputy.code}.pdf"


def station_deputies_document(*, code: str, language: str) -> tuple[bytes, str]:
    """One page per deputy of the station, in the order of their codes."""
    from lianluo.portal.posters import deputy_posters_pdf

    station = station_public_get(code=code)
    with translation.override(language):
        pdf = deputy_posters_pdf(
            deputy_posters(deputies=list(station.deputies.all())), title=station.name
        )
    return pdf, f"posters-{station.code}.pdf"
