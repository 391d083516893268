"""Printable A4 posters (PDF) of stations and deputies, and the batch of a station's deputies.

The pure-Python checks (a PDF, A4, the bundled Chinese font embedded, one page per deputy, the
API's answers) run in `make test`. The checks that need poppler and zbar — render the page on a
machine whose fontconfig knows no font, decode the QR code from the pixels, read the Chinese
text back — carry the `browser` marker (the Debian tools .ci/run installs) and run in
`make test-browser`."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from lianluo.core.pdf import FONT_PATH
from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionDay, ReceptionRule, Station

SITE = "https://lianluo.example.cn"
A4 = b"/MediaBox [ 0 0 595.2756 841.8898 ]"


@pytest.fixture
def site(settings, demo):
    settings.SITE_URL = SITE
    return demo


def get_pdf(path: str, language: str = "zh-hans") -> bytes:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    return body


def page_count(pdf: bytes) -> int:
    return int(re.search(rb"/Count (\d+) /Kids", pdf).group(1))


def fonts(pdf: bytes) -> list[bytes]:
    return re.findall(rb"/BaseFont /([^\s/]+)", pdf)


def assert_font_embedded(pdf: bytes) -> None:
    """Only the bundled font, as embedded TrueType subsets: nothing left to the viewer."""
    names = fonts(pdf)
    assert names, "no font in the PDF"
    assert all(re.fullmatch(rb"[A-Z]{6}\+LianluoSansSC-Regular", n) for n in names), names
    assert pdf.count(b"/FontFile2") >= len(set(names))
    assert b"STSong" not in pdf and b"Helvetica" not in pdf


# ---- pure Python: run everywhere ----------------------------------------------------------------


def test_the_font_ships_with_the_product_and_covers_the_common_characters():
    # Given the bundled font (a TrueType subset of Noto Sans SC under the OFL), read by reportlab
    # as it reads it for a poster (reportlab refuses CFF outlines, which it cannot embed)
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("check", str(FONT_PATH))
    cmap = font.face.charToGlyph

    # Then its licence lies beside it, and it has every GB 2312 hanzi and the usual punctuation
    assert (FONT_PATH.parent / "OFL.txt").read_text().startswith("Copyright")
    hanzi = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(hanzi) == 6763
    assert all(ord(ch) in cmap for ch in hanzi)
    assert all(ord(ch) in cmap for ch in "“”、。·–—：（）0123456789ABCxyz")


def test_station_poster_is_one_a4_page_with_the_font_embedded(site):
    pdf = get_pdf(f"/s/{site['cg_hub'].code}/poster.pdf")
    assert page_count(pdf) == 1
    assert A4 in pdf
    assert_font_embedded(pdf)


def test_deputy_poster_is_one_a4_page_with_the_font_embedded(site):
    pdf = get_pdf(f"/d/{site['deputy'].code}/poster.pdf")
    assert page_count(pdf) == 1
    assert A4 in pdf
    assert_font_embedded(pdf)


def test_batch_has_one_page_per_deputy_of_the_station(site):
    station = site["cg_hub"]
    count = station.deputies.count()
    assert count >= 2
    pdf = get_pdf(f"/s/{station.code}/posters.pdf")
    assert page_count(pdf) == count
    assert pdf.count(A4) == count
    assert_font_embedded(pdf)


def test_batch_of_a_station_without_deputies_says_so_on_one_page(site):
    station = Station.objects.create(
        code="empty",
        name="新建联络站",
        kind="contact",
        area=site["county"],
        congress=site["county_congress"],
    )
    pdf = get_pdf(f"/s/{station.code}/posters.pdf")
    assert page_count(pdf) == 1


def test_batch_runs_a_constant_number_of_queries(site, django_assert_max_num_queries):
    # Given the largest demo station's deputies: the batch reads them in a few queries
    station = site["cg_hub"]
    with django_assert_max_num_queries(10):
        get_pdf(f"/s/{station.code}/posters.pdf")
    # And with four more deputies it costs no more
    for i, deputy in enumerate(Deputy.objects.exclude(stations=station)[:4]):
        station.memberships.create(deputy=deputy, primary=False)
        assert i < 4
    with django_assert_max_num_queries(10):
        pdf = get_pdf(f"/s/{station.code}/posters.pdf")
    assert page_count(pdf) == station.deputies.count()


def test_api_serves_the_same_posters(site, api):
    client = api()
    station, deputy = site["cg_hub"], site["deputy"]
    for path in (
        f"/api/v1/public/stations/{station.code}/poster.pdf",
        f"/api/v1/public/deputies/{deputy.code}/poster.pdf",
        f"/api/v1/public/stations/{station.code}/posters.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert_font_embedded(response.content)


def test_api_unknown_code_is_a_404_with_code_and_message(site, api):
    for path in (
        "/api/v1/public/stations/nowhere/poster.pdf",
        "/api/v1/public/deputies/nobody/poster.pdf",
        "/api/v1/public/stations/nowhere/posters.pdf",
    ):
        response = api(language="en").get(path)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": response.json()["message"]}
        assert response.json()["message"].startswith("No ")


def test_html_unknown_or_closed_station_poster_is_404(site):
    station = site["cg_hub"]
    station.active = False
    station.save()
    assert Client().get(f"/s/{station.code}/poster.pdf").status_code == 404
    assert Client().get(f"/s/{station.code}/posters.pdf").status_code == 404
    assert Client().get("/d/nobody/poster.pdf").status_code == 404


def test_language_follows_lang_parameter_then_the_request(site):
    path = f"/s/{site['cg_hub'].code}/poster.pdf"
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(path)["Content-Language"] == "en"
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(path + "?lang=zh-hans")["Content-Language"] == (
        "zh-hans"
    )
    assert Client().get(path + "?lang=xx")["Content-Language"] == "zh-hans"


# ---- rendered by poppler, decoded by zbar (`make test-browser`) ---------------------------------

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def poppler(tmp_path):
    """Tools that read a PDF as a printer would, with a fontconfig that knows no font at all:
    whatever text shows was drawn with the font inside the PDF."""
    for tool in ("pdftoppm", "pdftotext", "pdffonts", "zbarimg"):
        assert shutil.which(tool), f"{tool} is missing (apt-get install poppler-utils zbar-tools)"
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "fc-cache"))
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(*args: str) -> str:
        result = subprocess.run(
            list(args), capture_output=True, text=True, timeout=60, check=False, env=env
        )
        assert result.returncode == 0, (args, result.returncode, result.stderr)
        return result.stdout

    class Tools:
        def pages(self, pdf: bytes) -> list[Path]:
            source = tmp_path / "poster.pdf"
            source.write_bytes(pdf)
            for old in tmp_path.glob("page-*.png"):
                old.unlink()
            run("pdftoppm", "-png", "-r", "100", str(source), str(tmp_path / "page"))
            return sorted(tmp_path.glob("page-*.png"))

        def qr(self, png: Path) -> str:
            lines = run("zbarimg", "--nodbus", "--raw", "-q", str(png)).splitlines()
            assert len(lines) == 1, lines
            return lines[0]

        def text(self, pdf: bytes) -> str:
            source = tmp_path / "poster.pdf"
            source.write_bytes(pdf)
            return run("pdftotext", "-layout", str(source), "-")

        def fonts(self, pdf: bytes) -> list[list[str]]:
            source = tmp_path / "poster.pdf"
            source.write_bytes(pdf)
            rows = run("pdffonts", str(source)).splitlines()[2:]
            return [row.split() for row in rows]

        def ink(self, png: Path, top: float, bottom: float) -> int:
            """Near-black pixels in a band of the page (fractions of its height) above the QR
            code, where the name is written. Blank text (a font the renderer lacks) leaves none."""
            from PIL import Image

            with Image.open(png) as img:
                gray = img.convert("L")
                w, h = gray.size
                return sum(gray.crop((0, int(h * top), w, int(h * bottom))).histogram()[:60])

    return Tools()


@pytest.mark.browser
def test_station_poster_renders_and_its_qr_opens_the_station_page(site, poppler):
    # Given the station has a 逢6 reception rule
    station = site["cg_hub"]
    ReceptionRule.objects.create(
        station=station, kind="month_days", values=[6, 16, 26], start="09:00", end="12:00"
    )

    # When its poster is printed in Chinese
    pdf = get_pdf(f"/s/{station.code}/poster.pdf?lang=zh-hans")

    # Then the rendered page's QR code is the absolute address of the station's page
    [png] = poppler.pages(pdf)
    assert poppler.qr(png) == f"{SITE}/s/{station.code}/"
    # And the Chinese name and address are text in the PDF, drawn with the embedded font
    text = poppler.text(pdf)
    assert station.name in text
    assert station.address in text
    assert "9:00–12:00" in text
    for row in poppler.fonts(pdf):
        assert "LianluoSansSC-Regular" in row[0] and row[-5] == "yes", row  # emb = yes
    assert poppler.ink(png, 0.10, 0.22) > 2000  # the name was drawn, not left blank


@pytest.mark.browser
def test_deputy_poster_renders_in_english_with_chinese_name_and_qr(site, poppler):
    deputy = site["deputy"]
    pdf = get_pdf(f"/d/{deputy.code}/poster.pdf?lang=en")
    [png] = poppler.pages(pdf)
    assert poppler.qr(png) == f"{SITE}/d/{deputy.code}/"
    text = poppler.text(pdf)
    assert deputy.name in text
    assert "National deputy" in text and "County deputy" in text
    assert "Scan to reach me" in text
    assert poppler.ink(png, 0.10, 0.32) > 2000


@pytest.mark.browser
def test_batch_pages_each_carry_their_deputys_qr(site, poppler):
    station = site["cg_hub"]
    deputies = list(station.deputies.order_by("code"))
    pdf = get_pdf(f"/s/{station.code}/posters.pdf")
    pages = poppler.pages(pdf)
    assert [poppler.qr(p) for p in pages] == [f"{SITE}/d/{d.code}/" for d in deputies]
    text = poppler.text(pdf)
    for d in deputies:
        assert d.name in text


# ---- a printed poster names the rule, never a date (it outlives the dates) ---------------------


@pytest.mark.parametrize(
    ("kind", "values", "zh", "en"),
    [
        ("month_days", [6, 16, 26], "逢6", "days ending in 6 each month"),
        ("month_days", [28], "每月28日", "day 28 of each month"),
        ("month_days", [1, 15], "每月1、15日", "day 1, 15 of each month"),
        ("weekdays", [2], "每周三", "every Wednesday"),
        ("weekdays", [0, 4], "每周一、周五", "every Monday, Friday"),
        ("market_days", ["2026-12-13", "2026-12-19"], "逢集日", "on market days"),
    ],
)
def test_rule_text_says_the_rule_in_chinese_and_english(kind, values, zh, en):
    from lianluo.stations.rules import rule_text

    rule = ReceptionRule(kind=kind, values=values)
    with translation.override("zh-hans"):
        assert rule_text(rule) == zh
    with translation.override("en"):
        assert rule_text(rule) == en


DATED = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}|\d{4}-\d{2}-\d{2}")


@pytest.fixture
def ruled(site):
    """A station with a 逢6 rule, a 28th-of-the-month rule, a Wednesday rule and market days
    ahead of the demo's today."""
    hub = site["cg_hub"]
    station = Station.objects.create(
        code="cg-rules",
        name="城关规则联络站",
        kind="station",
        area=hub.area,
        congress=hub.congress,
        parent=hub,
        address="城关镇东街1号",
    )
    ahead = [(site["today"] + timedelta(days=n)).isoformat() for n in (9, 15)]
    for kind, values, start, end in (
        ("month_days", [6, 16, 26], "09:00", "12:00"),
        ("month_days", [28], "14:30", "17:00"),
        ("weekdays", [2], "09:00", "11:30"),
        ("market_days", ahead, "08:00", "11:00"),
    ):
        ReceptionRule.objects.create(
            station=station, kind=kind, values=values, start=start, end=end
        )
    return station


def test_station_poster_says_the_rules_and_links_the_live_schedule(site, ruled):
    from lianluo.portal.selectors import station_poster

    with translation.override("zh-hans"):
        poster = station_poster(station=ruled, today=site["today"])
    assert sorted(poster.schedule) == sorted(
        [
            "逢6 9:00–12:00 接待群众",
            "每月28日 14:30–17:00 接待群众",
            "每周三 9:00–11:30 接待群众",
            "逢集日 8:00–11:00 接待群众",
        ]
    )
    assert poster.schedule_url == f"{SITE}/s/cg-rules/#schedule"


@pytest.mark.browser
def test_printed_station_poster_has_the_rules_and_the_link_and_no_dated_day(site, ruled, poppler):
    # When the station's poster is printed in Chinese
    text = poppler.text(get_pdf(f"/s/{ruled.code}/poster.pdf?lang=zh-hans"))
    flat = "".join(text.split())

    # Then it says the rules and where the dates are, and no date at all
    for words in ("逢69:00–12:00", "每月28日14:30–17:00", "每周三9:00–11:30", "逢集日8:00–11:00"):
        assert words in flat
    assert "接待安排" in flat and f"{SITE}/s/cg-rules/#schedule" in flat
    assert not DATED.search(text), DATED.search(text)

    # And in English the same
    text = poppler.text(get_pdf(f"/s/{ruled.code}/poster.pdf?lang=en"))
    assert "days ending in 6 each month" in text and "every Wednesday" in text
    assert f"{SITE}/s/cg-rules/#schedule" in text
    assert not DATED.search(text)


@pytest.mark.browser
def test_printed_deputy_poster_links_the_duties_and_prints_no_dated_duty(site, poppler):
    # Given the demo deputy, on duty on published days of the coming weeks
    deputy = site["deputy"]
    assert ReceptionDay.objects.filter(
        deputies=deputy, status="published", date__gte=site["today"]
    ).exists()

    # When their poster is printed
    text = poppler.text(get_pdf(f"/d/{deputy.code}/poster.pdf?lang=zh-hans"))

    # Then it links their live duties and prints no date
    flat = "".join(text.split())
    assert "值班代表" in flat and f"{SITE}/d/{deputy.code}/#schedule" in flat
    assert not DATED.search(text), DATED.search(text)
