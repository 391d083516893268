"""QR codes for stations and deputies: absolute URLs of their public landing pages."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse


def station_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('portal:station', args=[code])}"


def deputy_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('portal:deputy', args=[code])}"


def qr_bytes(url: str, kind: str) -> bytes:
    """PNG or SVG of a QR code (error correction M, 4-module quiet zone)."""
    import segno  # here, not at import: the URLs above are needed far more often than codes

    qr = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    if kind == "svg":
        qr.save(buf, kind="svg", scale=8, border=4, xmldecl=True)
    else:
        qr.save(buf, kind="png", scale=10, border=4)
    return buf.getvalue()
