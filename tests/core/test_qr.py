"""QR codes (lianluo.core.qr): what the code carries is the absolute URL of the public page, as
an independent decoder (zbar) reads it back (`make test-browser`: it needs zbar-tools)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from lianluo.core.qr import deputy_url, qr_bytes, station_url

SITE = "https://lianluo.example.cn"


@override_settings(SITE_URL=SITE)
def test_station_and_deputy_urls_are_the_absolute_public_pages():
    assert station_url("cg-01") == f"{SITE}/s/cg-01/"
    assert deputy_url("dep-001") == f"{SITE}/d/dep-001/"


def test_the_png_is_a_png_and_the_svg_is_an_svg_document():
    png = qr_bytes("https://lianluo.example.cn/s/cg-01/", "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_bytes("https://lianluo.example.cn/s/cg-01/", "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg and svg.rstrip().endswith(b"</svg>")


@pytest.mark.browser
@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize("url", [station_url, deputy_url])
def test_zbar_reads_the_url_back_from_the_png(zbar, url):
    target = url("hk-02")
    assert zbar(qr_bytes(target, "png")) == target
