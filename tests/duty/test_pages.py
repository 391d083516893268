"""Points pages: the archive as each user sees it, registering with evidence (and who may
download it), self-reporting, the verification queue, reversing, the catalog, the duty report
and filing a suggestion from the archive."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.core.models import User
from lianluo.duty.models import DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.services import points_self_report
from lianluo.suggestions.services import suggestion_create
from tests.factories.duty import png, sector_year

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world(demo, users):
    """On 15 June 2026: the 城关 east sector station, its officer, dep-005 with a login, the
    2026 catalog, a reception attended and a training registered."""
    with time_machine.travel(NOW, tick=False):
        yield {**demo, **users, **sector_year(training_note="代表履职培训")}


def browser(user: User | None, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def test_the_deputy_sees_their_archive_with_points_entries_and_receptions(world):
    d1 = world["deputies"][0]

    page = browser(world["me"]).get(f"/points/deputies/{d1.code}/?year=2026")

    assert page.status_code == 200
    html = page.content.decode()
    assert d1.name in html and world["station"].name in html
    assert 'data-testid="points-total">5<' in html
    assert "进站接待选民" in html and "参加学习培训" in html and "代表履职培训" in html
    assert 'data-testid="reception-count">1<' in html
    assert 'data-testid="self-report-link"' in html  # the deputy reports their own
    assert 'data-testid="register-for"' not in html  # and registers nothing
    assert 'data-testid="reverse-' not in html
    # The nav's points link takes a deputy to their own archive
    home = browser(world["me"]).get("/points/")
    assert home.status_code == 302 and home["Location"].startswith(f"/points/deputies/{d1.code}/")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 200),
        ("staff", 200),
        ("liaison", 404),
        ("other", 404),
        ("leader", 404),
        ("deputy", 404),
    ],
)
def test_the_archive_page_is_a_404_for_anyone_else(world, who, status):
    d1 = world["deputies"][0]
    assert browser(world[who]).get(f"/points/deputies/{d1.code}/").status_code == status
    assert browser(world[who]).get(f"/points/deputies/{d1.code}/report.docx").status_code == status
    anonymous = browser(None).get(f"/points/deputies/{d1.code}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_an_officer_registers_a_record_with_evidence_that_only_the_right_people_open(world):
    d1, d2, _d3 = world["deputies"]
    officer = browser(world["officer"])

    with time_machine.travel(NOW, tick=False):
        # The officer chooses the deputy among their station's
        choose = officer.get("/points/register/")
        assert d2.name in choose.content.decode()
        assert world["deputies"][0].name in choose.content.decode()
        form = officer.get(f"/points/register/?deputy={d2.code}")
        assert "走访联系选民" in form.content.decode()

        # Without the evidence the item needs, the form says so next to the field
        missing = officer.post(
            f"/points/register/?deputy={d2.code}",
            {"item": world["items"]["visit"].pk, "occurred_on": "2026-06-10", "note": "走访"},
        )
        assert missing.status_code == 400
        assert 'data-testid="error-evidence"' in missing.content.decode()

        # With a photo it is registered and the deputy's archive shows it
        done = officer.post(
            f"/points/register/?deputy={d2.code}",
            {
                "item": world["items"]["visit"].pk,
                "occurred_on": "2026-06-10",
                "note": "走访选民6户",
                "evidence": png(),
            },
        )
    assert done.status_code == 302 and f"/points/deputies/{d2.code}/" in done["Location"]
    entry = PointEntry.objects.get(deputy=d2, item__code="visit")
    assert entry.status == EntryStatus.APPROVED and entry.evidence

    # The evidence opens for the officer and staff, and for nobody else
    url = f"/points/entries/{entry.pk}/evidence/"
    shown = officer.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Cache-Control"] == "private, no-store"
    assert browser(world["staff"]).get(url).status_code == 200
    for who in ("other", "liaison", "leader", "me"):
        assert browser(world[who]).get(url).status_code == 404, who
    # An officer of another station cannot even open the form for this deputy
    assert browser(world["other"]).get(f"/points/register/?deputy={d2.code}").status_code == 404


def test_a_self_report_is_verified_from_the_queue(world):
    d1 = world["deputies"][0]
    me, officer = browser(world["me"]), browser(world["officer"])

    with time_machine.travel(NOW, tick=False):
        sent = me.post(
            "/points/report/",
            {"item": world["items"]["research"].pk, "occurred_on": "2026-06-01", "note": "调研"},
        )
        points_self_report(
            actor=world["me"],
            item=world["items"]["training"],
            occurred_on=date(2026, 6, 2),
            note="法律讲座",
        )
    assert sent.status_code == 302
    first = PointEntry.objects.get(deputy=d1, source=EntrySource.SELF_REPORTED, note="调研")
    second = PointEntry.objects.get(deputy=d1, source=EntrySource.SELF_REPORTED, note="法律讲座")

    queue = officer.get("/points/verify/").content.decode()
    assert f'data-testid="pending-{first.pk}"' in queue and "调研" in queue
    assert (
        'data-testid="queue-empty"'
        in browser(world["other"]).get("/points/verify/").content.decode()
    )

    # Rejecting without a reason is refused on the page, next to the record
    refused = officer.post(f"/points/entries/{second.pk}/verify/", {"approve": "0", "reason": ""})
    assert refused.status_code == 400
    assert 'data-testid="verify-error"' in refused.content.decode()

    assert officer.post(f"/points/entries/{first.pk}/verify/", {"approve": "1"}).status_code == 302
    rejected = officer.post(
        f"/points/entries/{second.pk}/verify/", {"approve": "0", "reason": "非履职培训"}
    )
    assert rejected.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (EntryStatus.APPROVED, EntryStatus.REJECTED)
    archive = me.get(f"/points/deputies/{d1.code}/?year=2026").content.decode()
    assert "非履职培训" in archive and 'data-testid="points-total">8<' in archive


def test_an_officer_reverses_an_entry_once_from_the_archive(world):
    d1 = world["deputies"][0]
    training = PointEntry.objects.get(deputy=d1, item__code="training")
    officer = browser(world["officer"])

    page = officer.get(f"/points/deputies/{d1.code}/?year=2026").content.decode()
    assert f'data-testid="reverse-{training.pk}"' in page

    no_reason = officer.post(f"/points/entries/{training.pk}/reverse/", {"reason": ""})
    assert no_reason.status_code == 400
    assert 'data-testid="reverse-error"' in no_reason.content.decode()
    done = officer.post(f"/points/entries/{training.pk}/reverse/", {"reason": "登记错误"})
    assert done.status_code == 302

    page = officer.get(f"/points/deputies/{d1.code}/?year=2026").content.decode()
    assert 'data-testid="points-total">3<' in page and "登记错误" in page
    assert f'data-testid="reverse-{training.pk}"' not in page
    again = officer.post(f"/points/entries/{training.pk}/reverse/", {"reason": "再次"})
    assert again.status_code == 400
    assert PointEntry.objects.filter(reverses=training).count() == 1
    assert browser(world["other"]).post(
        f"/points/entries/{training.pk}/reverse/", {"reason": "x"}
    ).status_code == (404)


def test_staff_install_and_edit_the_catalog_officers_cannot(world):
    staff = browser(world["staff"])
    congress = world["county_congress"]

    assert browser(world["officer"]).get("/points/catalog/").status_code == 404
    page = staff.get(f"/points/catalog/?congress={congress.pk}&year=2026").content.decode()
    assert 'data-testid="catalog-empty"' in page
    installed = staff.post(
        "/points/catalog/", {"congress": congress.pk, "year": 2026, "action": "install"}
    )
    assert installed.status_code == 302
    assert DutyItem.objects.filter(congress=congress, year=2026).count() == 27

    item = DutyItem.objects.get(congress=congress, year=2026, code="visit")
    edit = staff.post(
        f"/points/catalog/items/{item.pk}/",
        {
            "name": item.name,
            "name_en": item.name_en,
            "points": "2.5",
            "yearly_cap": "20",
            "evidence_required": "on",
            "auto_event": "",
            "order": item.order,
            "active": "on",
        },
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert item.points == 2.5 and item.yearly_cap == 20
    too_low = staff.post(
        f"/points/catalog/items/{item.pk}/",
        {"name": item.name, "points": "3", "yearly_cap": "1", "order": 1, "active": "on"},
    )
    assert too_low.status_code == 400
    assert 'data-testid="error-yearly_cap"' in too_low.content.decode()


def test_a_leader_reads_the_ranking_of_their_area_without_the_archives(world):
    d1 = world["deputies"][0]
    page = browser(world["leader"]).get("/points/?year=2026").content.decode()
    assert f'data-testid="points-{d1.code}">5<' in page
    assert f"/points/deputies/{d1.code}/" not in page
    assert browser(world["leader"]).get(f"/points/deputies/{d1.code}/").status_code == 404


def test_the_ranking_page_lists_the_officers_deputies_with_ties(world):
    page = browser(world["officer"]).get("/points/?year=2026").content.decode()
    d1, d2, d3 = world["deputies"]
    assert f'data-testid="points-{d1.code}">5<' in page
    assert (
        f'data-testid="points-{d2.code}">0<' in page
        and f'data-testid="points-{d3.code}">0<' in page
    )
    assert page.count('<span class="pt-pos">2</span>') == 2  # two share the second place


def test_the_duty_report_is_recorded_and_a_draft_suggestion_filed_from_the_archive(world):
    d1 = world["deputies"][0]
    me = browser(world["me"])
    draft = suggestion_create(
        actor=world["staff"],
        congress=world["station"].congress,
        deputy=d1,
        title="关于加装电梯的建议",
        text="建议加大补助",
    )
    with time_machine.travel(NOW, tick=False):
        page = me.get(f"/points/deputies/{d1.code}/?year=2026").content.decode()
        assert f'data-testid="file-{draft.pk}"' in page
        assert (
            me.post(f"/points/deputies/{d1.code}/suggestions/{draft.pk}/file/").status_code == 302
        )
        assert (
            me.post(f"/points/deputies/{d1.code}/report/submit/", {"year": 2026}).status_code == 302
        )
        assert (
            me.post(f"/points/deputies/{d1.code}/report/submit/", {"year": 2026}).status_code == 302
        )
        page = me.get(f"/points/deputies/{d1.code}/?year=2026").content.decode()
    draft.refresh_from_db()
    assert draft.status == "filed"
    codes = list(PointEntry.objects.filter(deputy=d1).values_list("item__code", flat=True))
    assert codes.count("suggestion") == 1 and codes.count("duty_report") == 1
    assert 'data-testid="points-total">20<' in page  # 3 + 2 + 5 + 10
    assert 'data-testid="duty-reported"' in page and 'data-testid="report-submit"' not in page
    pdf = me.get(f"/points/deputies/{d1.code}/report.pdf?year=2026")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
