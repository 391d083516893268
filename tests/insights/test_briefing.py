"""The briefing (联络动态): its figures are figures_of's, it prints no personal data, only consented
satisfied cases are exemplary, it renders (PDF, DOCX, PNG) and an empty period does not crash.

The world is test_figures' (March 2027 in the demo county) plus two cases closed in March: one
whose citizen consented to publication (a name, a phone and a place in its text), one who did
not."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from lianluo.core.models import User
from lianluo.insights.briefing.build import TopicLine, briefing_for, pct
from lianluo.insights.briefing.charts import png
from lianluo.insights.briefing.docx import briefing_docx
from lianluo.insights.briefing.pdf import briefing_pdf
from lianluo.insights.figures import Period, Target, figures_of
from tests.factories.cases import case_walk, make_case
from tests.insights.test_figures import FOLLOW, accept, build, on

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 4, 2, 10, tzinfo=SH)
MARCH = Period.month(2027, 3)
NAME, PHONE, PLACE = "李秀英", "13900001111", "幸福路十八号"

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdftoppm"), reason="poppler-utils"
)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(scope="module")
def _world(_demo_per_module, django_db_blocker):
    with django_db_blocker.unblock():
        staff = User.objects.get(username="staff")
        world = build(_demo_per_module, staff)
        hub = world["s1"]
        with on("2027-03-03"):
            shared = make_case(
                station=hub,
                text=f"我是{NAME}，电话{PHONE}，{PLACE}门口路灯不亮，晚上出行不便。",
                name=NAME,
                phone=PHONE,
                place=PLACE,
                consent_publish=True,
            )
            private = make_case(
                station=hub, title="小区垃圾清运不及时", text="小区垃圾清运不及时", name="王五"
            )
        for case in (shared, private):
            with on("2027-03-04"):
                case = case_walk(case, accept(), actor=staff)
            with on("2027-03-07"):
                case = case_walk(
                    case,
                    ("answer", {"text": f"已联系供电所修复，{NAME}家门口路灯恢复照明。"}),
                    FOLLOW,
                    ("rate", {"rating": "satisfied"}),
                    "close",
                    actor=staff,
                )
        world.update(shared=shared, private=private)
        yield world


@pytest.fixture
def world(_world, db):
    return _world


def _briefing(target, period=MARCH, **kw):
    with time_machine.travel(NOW, tick=False):
        return briefing_for(target=target, period=period, **kw), figures_of(
            target=target, period=period
        )


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def _expected(f, p) -> dict[str, str]:
    """Row label → (this period, previous period) as printed."""
    return {
        "接待群众（人次）": (str(f.citizens_received), str(p.citizens_received)),
        "收集意见建议（件）": (str(f.received), str(p.received)),
        "办结问题（件）": (str(f.closed), str(p.closed)),
        "形成代表建议（件）": (str(f.suggestions_formed), str(p.suggestions_formed)),
        "办结率": (pct(f.closure_rate), pct(p.closure_rate)),
        "群众满意率": (pct(f.satisfaction_rate), pct(p.satisfaction_rate)),
        "代表接待日（次）": (str(f.receptions), str(p.receptions)),
        "代表活动（次）": (str(f.activities), str(p.activities)),
    }


@needs_poppler
def test_figures_printed_are_the_dashboards(world, demo, tmp_path):
    county = Target(area=demo["county"])
    b, f = _briefing(county)
    with time_machine.travel(NOW, tick=False):
        before = figures_of(target=county, period=MARCH.previous())
    assert f.received > 0 and f.closed > 0 and f.citizens_received == 12
    assert b.title == f"{demo['county'].name}人大代表联络站联络动态（2027年3月）"
    summary = (
        f"本月，全县各代表联络站共开展代表接待日{f.receptions}次，接待群众{f.citizens_received}"
        f"人次，收集意见建议{f.received}件，办结{f.closed}件，办结率{pct(f.closure_rate)}，"
        f"群众满意率{pct(f.satisfaction_rate)}；推动形成代表建议{f.suggestions_formed}件"
    )
    assert b.summary.startswith(summary)
    expected = _expected(f, before)
    pdf_text = _pdf_text(briefing_pdf(b), tmp_path)
    docx_text = _docx_text(briefing_docx(b))
    assert re.sub(r"\s", "", summary) in re.sub(r"\s", "", pdf_text)
    assert summary in docx_text
    for label, (now, previous) in expected.items():
        pdf_row = next(line for line in pdf_text.splitlines() if line.strip().startswith(label))
        assert pdf_row.split()[1:3] == [now, previous], label
        docx_row = next(line for line in docx_text.splitlines() if line.startswith(label + " |"))
        assert docx_row.split(" | ")[1:3] == [now, previous], label
    # the chart's steps are figures_of's of each week, and add up to the period's
    trend = b.charts[0]
    assert sum(trend.series[0][1]) == f.received and sum(trend.series[1][1]) == f.closed
    assert b.charts[1].series[0][1] == list(f.by_channel.values())


def test_exemplary_cases_consented_satisfied_without_personal_data(world, demo, tmp_path):
    b, _f = _briefing(Target(station=world["s1"]))
    titles = [c.title for c in b.cases]
    # the private case was closed satisfied too, but its citizen did not consent
    assert "小区垃圾清运不及时" not in titles
    assert len(b.cases) == 1
    story = b.cases[0]
    assert "路灯不亮" in story.title and "修复" in story.answer
    outputs = [repr(b), _docx_text(briefing_docx(b))]
    if shutil.which("pdftotext"):
        outputs.append(_pdf_text(briefing_pdf(b), tmp_path))
    for text in outputs:
        for secret in (NAME, PHONE, PLACE, "王五", "小区垃圾清运不及时"):
            assert secret not in text


def test_activities_and_stations(world, demo):
    b, f = _briefing(Target(area=demo["county"]))
    assert any("代表1人参加" in line for line in b.activities)
    assert any("代表2人进站，接待群众12人次" in line for line in b.receptions)
    # the hub's township closed most in March
    assert b.stations and b.stations[0].closed == max(s.closed for s in b.stations)
    assert b.stations[0].reason.startswith("办结最多")


def test_topics_are_printed_when_given(world, demo, tmp_path):
    topics = [TopicLine(label="路灯照明", keywords=["路灯", "不亮", "夜间"], size=7, growth=40.0)]
    b, _f = _briefing(Target(area=demo["county"]), topics=topics)
    docx = _docx_text(briefing_docx(b))
    assert "热点问题" in docx and "路灯照明（7件，较上期+40%）：路灯、不亮、夜间" in docx
    plain, _f = _briefing(Target(area=demo["county"]))
    assert "热点问题" not in _docx_text(briefing_docx(plain))


@needs_poppler
def test_empty_period(world, demo, tmp_path):
    b, f = _briefing(Target(area=demo["county"]), Period.month(2001, 5))
    assert f.closure_rate is None and f.satisfaction_rate is None
    assert b.summary == "本月，全县各代表联络站未登记群众意见建议、接待日和代表活动。"
    text = _pdf_text(briefing_pdf(b), tmp_path)
    assert "办结率" in text and "—" in text and "0.0%" not in text
    assert not b.cases and not b.charts
    assert "群众满意率 | — | —" in _docx_text(briefing_docx(b))


@needs_poppler
def test_rendered_to_png(world, demo, tmp_path):
    """Renders the PDF at 60 dpi (looked at by hand when this was written) and the charts."""
    b, _f = _briefing(Target(area=demo["county"]))
    path = tmp_path / "b.pdf"
    path.write_bytes(briefing_pdf(b))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "LianluoSansSC" in fonts and "STSong" not in fonts
    from PIL import Image

    chart = Image.open(io.BytesIO(png(b.charts[0])))
    assert chart.size == (1320, 600)
    # not a blank page: the masthead is red ink
    first = Image.open(pages[0]).convert("RGB")
    colours = first.getcolors(1 << 24) or []
    assert any(r > 150 and g < 80 and b_ < 80 for _n, (r, g, b_) in colours)


def test_page_downloads_and_scope(world, demo, client, users):
    query = {"scope": demo["county"].code, "from": "2027-03-01", "to": "2027-03-31"}
    clock = time_machine.travel(NOW, tick=False)
    clock.start()
    client.force_login(users["staff"])
    page = client.get(reverse("briefing:page"), query)
    pdf = client.get(reverse("briefing:pdf"), query)
    docx = client.get(reverse("briefing:docx"), query)
    assert page.status_code == 200
    assert "联络动态（2027年3月）" in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert docx.content.startswith(b"PK") and "attachment" in docx["Content-Disposition"]
    bad = client.get(reverse("briefing:page"), {**query, "to": "2027-02-01"})
    assert bad.status_code == 422 and 'data-testid="briefing-error"' in bad.content.decode()
    # the township liaison officer sees their station, not the county
    client.force_login(users["liaison"])
    for name in ("briefing:page", "briefing:pdf", "briefing:docx"):
        assert client.get(reverse(name), query).status_code == 403
    own = {**query, "scope": demo["cg_hub"].code}
    assert client.get(reverse("briefing:pdf"), own).status_code == 200
    client.logout()
    assert client.get(reverse("briefing:page"), query).status_code == 302
    clock.stop()


def test_command_writes_files(world, demo, tmp_path):
    out = tmp_path / "march.docx"
    with time_machine.travel(NOW, tick=False):
        call_command(
            "make_briefing",
            "--scope",
            demo["county"].code,
            "--from",
            "2027-03-01",
            "--to",
            "2027-03-31",
            "--out",
            str(out),
            stdout=io.StringIO(),
        )
    assert "联络动态（2027年3月）" in _docx_text(out.read_bytes())
