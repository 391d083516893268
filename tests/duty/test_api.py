"""API v1 of the duty archive and points: the archive contract and its scope, duty records
(registered by an officer, self-reported by a deputy) with evidence, verification, reversal,
and the duty report as PDF (bundled font only) and DOCX (opened by python-docx)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.core.models import User
from lianluo.core.services import api_token_issue
from lianluo.duty.models import EntryStatus, PointEntry
from lianluo.duty.services import points_self_report
from tests.factories.duty import png, sector_year

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def june(demo):
    with time_machine.travel(NOW, tick=False):
        yield demo


@pytest.fixture
def world(june, users):
    """The 城关 east sector station with its officer and deputies, the 2026 catalog, and
    dep-005's year so far: a reception attended, a training registered, a visit reported and
    awaiting verification."""
    world = sector_year(training_note="培训", day_status="published")
    points_self_report(
        actor=world["me"],
        item=world["items"]["research"],
        occurred_on=date(2026, 6, 1),
        note="饮水安全调研",
    )
    return {**world, "users": users}


def client_for(user: User | None, language: str = "zh-hans") -> Client:
    if user is None:
        return Client(HTTP_ACCEPT_LANGUAGE=language)
    raw, _token = api_token_issue(user=user)
    return Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_AUTHORIZATION=f"Bearer {raw}")


# ---- the archive --------------------------------------------------------------------------------


def test_the_archive_answers_the_contract_for_the_deputy(world):
    d1 = world["deputies"][0]

    body = client_for(world["me"]).get(f"/api/v1/deputies/{d1.code}/archive?year=2026").json()

    assert set(body) >= {"deputy", "year", "points_total", "by_item", "entries"}
    assert body["deputy"]["code"] == d1.code and body["year"] == 2026
    assert body["deputy"]["stations"] == [world["station"].name]
    # Counted: the reception (3) and the training (2); the report awaits verification
    assert body["points_total"] == 5
    assert {(r["item"], r["points"], r["count"]) for r in body["by_item"]} == {
        ("进站接待选民", 3, 1),
        ("参加学习培训", 2, 1),
    }
    entries = [(e["at"], e["item"], e["points"], e["source"], e["status"]) for e in body["entries"]]
    assert entries == [
        ("2026-06-06", "进站接待选民", 3, "auto", "approved"),
        ("2026-06-01", "参加专题调研", 3, "self_reported", "pending"),
        ("2026-05-20", "参加学习培训", 2, "registered", "approved"),
    ]
    # And another year is empty
    other = client_for(world["me"]).get(f"/api/v1/deputies/{d1.code}/archive?year=2025").json()
    assert (other["points_total"], other["entries"]) == (0, [])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("me", 200),
        ("officer", 200),
        ("staff", 200),
        ("admin", 200),
        ("liaison", 404),  # officer of another station
        ("other", 404),
        ("leader", 404),
        ("dept", 404),
        ("deputy", 404),  # another deputy
        (None, 401),
    ],
)
def test_the_archive_is_for_the_deputy_their_officers_and_staff_in_scope(world, who, status):
    d1 = world["deputies"][0]
    user = world.get(who) or (world["users"][who] if who else None)

    response = client_for(user).get(f"/api/v1/deputies/{d1.code}/archive")
    pdf = client_for(user).get(f"/api/v1/deputies/{d1.code}/report.pdf")

    assert response.status_code == pdf.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


# ---- records ------------------------------------------------------------------------------------


def post_record(user, **fields):
    data = {k: v for k, v in fields.items() if v is not None}
    return client_for(user).post("/api/v1/duty/records", data)


def test_an_officer_registers_with_evidence_and_a_deputy_self_reports(world):
    d1, d2, _d3 = world["deputies"]
    visit = world["items"]["visit"]  # evidence required

    # When the officer registers a visit for d2 with a photo
    registered = post_record(
        world["officer"],
        deputy=d2.code,
        item=visit.pk,
        occurred_on="2026-06-10",
        note="走访选民6户",
        evidence=png(),
    )
    # And d1 reports one of their own
    reported = post_record(
        world["me"], item=visit.pk, occurred_on="2026-06-12", note="走访独居老人", evidence=png()
    )

    # Then the first counts at once with its evidence, the second waits for verification
    assert registered.status_code == 201, registered.content
    assert registered.json()["status"] == "approved" and registered.json()["evidence"]
    assert reported.status_code == 201, reported.content
    assert (reported.json()["status"], reported.json()["source"]) == ("pending", "self_reported")
    entry = PointEntry.objects.get(pk=registered.json()["id"])
    assert entry.deputy == d2 and entry.evidence.name.endswith(".png")
    assert entry.created_by == world["officer"] and entry.station == world["station"]


def test_record_refusals_say_why(world):
    d1, d2, _d3 = world["deputies"]
    items = world["items"]
    before = PointEntry.objects.count()

    no_proof = post_record(
        world["officer"], deputy=d2.code, item=items["visit"].pk, occurred_on="2026-06-10", note="x"
    )
    not_a_photo = post_record(
        world["officer"],
        deputy=d2.code,
        item=items["visit"].pk,
        occurred_on="2026-06-10",
        note="x",
        evidence=io.BytesIO(b"MZ\x90\x00 not a photo"),
    )
    elsewhere = post_record(
        world["users"]["other"],
        deputy=d2.code,
        item=items["training"].pk,
        occurred_on="2026-06-10",
        note="x",
    )
    automatic = post_record(
        world["officer"],
        deputy=d2.code,
        item=items["reception"].pk,
        occurred_on="2026-06-10",
        note="x",
    )
    twice = [
        post_record(
            world["officer"],
            deputy=d2.code,
            item=items["training"].pk,
            occurred_on="2026-06-10",
            note="同一次培训",
        )
        for _ in range(2)
    ]

    assert (no_proof.status_code, no_proof.json()["code"]) == (422, "evidence_required")
    assert no_proof.json()["field"] == "evidence"
    assert (not_a_photo.status_code, not_a_photo.json()["field"]) == (422, "evidence")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "not_found")
    assert (automatic.status_code, automatic.json()["code"]) == (422, "automatic_item")
    assert [r.status_code for r in twice] == [201, 409]
    assert twice[1].json()["code"] == "duplicate"
    assert PointEntry.objects.count() == before + 1


def test_verification_and_reversal_through_the_api(world):
    d1 = world["deputies"][0]
    pending = PointEntry.objects.get(deputy=d1, status=EntryStatus.PENDING)
    officer = client_for(world["officer"])

    queue = officer.get("/api/v1/duty/pending").json()
    assert [(e["id"], e["deputy"]) for e in queue] == [(pending.pk, d1.code)]

    url = f"/api/v1/duty/records/{pending.pk}/verify"
    refused = officer.post(url, {"approve": False}, content_type="application/json")
    assert (refused.status_code, refused.json()["field"]) == (422, "reason")
    stranger = client_for(world["users"]["other"]).post(
        url, {"approve": True}, content_type="application/json"
    )
    assert stranger.status_code == 404
    own = client_for(world["me"]).post(url, {"approve": True}, content_type="application/json")
    assert own.status_code in (403, 404)

    approved = officer.post(url, {"approve": True}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = officer.post(url, {"approve": False, "reason": "x"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_status")

    reverse = f"/api/v1/duty/records/{pending.pk}/reverse"
    first = officer.post(reverse, {"reason": "重复登记"}, content_type="application/json")
    second = officer.post(reverse, {"reason": "重复登记"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["points"] == -3
    assert (second.status_code, second.json()["code"]) == (409, "already_reversed")
    body = client_for(world["me"]).get(f"/api/v1/deputies/{d1.code}/archive").json()
    assert body["points_total"] == 5
    reversed_entry = next(e for e in body["entries"] if e["id"] == pending.pk)
    assert reversed_entry["reversed"] is True


def test_the_items_one_may_register(world):
    d2 = world["deputies"][1]
    rows = client_for(world["officer"]).get(f"/api/v1/duty/items?deputy={d2.code}").json()
    codes = {r["code"] for r in rows}
    assert "training" in codes and "visit" in codes
    assert "reception" not in codes  # credited automatically only
    assert client_for(world["users"]["other"]).get(
        f"/api/v1/duty/items?deputy={d2.code}"
    ).status_code == (404)


# ---- the duty report ----------------------------------------------------------------------------


def test_the_duty_report_pdf_embeds_only_the_bundled_font(world):
    d1 = world["deputies"][0]
    response = client_for(world["officer"]).get(f"/api/v1/deputies/{d1.code}/report.pdf?year=2026")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    names = re.findall(rb"/BaseFont /([^\s/]+)", body)
    assert names and all(re.fullmatch(rb"[A-Z]{6}\+LianluoSansSC-Regular", n) for n in names)
    assert b"/FontFile2" in body and b"Helvetica" not in body and b"STSong" not in body


def test_the_duty_report_docx_opens_in_python_docx(world):
    import docx

    d1 = world["deputies"][0]
    response = client_for(world["me"]).get(f"/api/v1/deputies/{d1.code}/report.docx?year=2026")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert d1.name in text and "2026" in text
    assert d1.name in cells and world["station"].name in cells
    # The points table: the counted items with their points, and the total
    assert "进站接待选民" in cells and "参加学习培训" in cells
    assert "5" in cells
    # The reception day attended is listed
    assert "2026-06-06" in text
    # In English on request
    english = client_for(world["me"], "en").get(
        f"/api/v1/deputies/{d1.code}/report.docx?year=2026&lang=en"
    )
    document_en = docx.Document(io.BytesIO(english.content))
    assert "Duty report 2026" in "\n".join(p.text for p in document_en.paragraphs)
