"""The scope matrix of writes: every reference a write makes to another record (the responsible
deputy, the category, the department, an official's department) is checked against the record's
scope, through the JSON API and the HTML pages both. A reference out of scope gets exactly the
answer of a missing one, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from lianluo.activities.models import Activity, Signup
from lianluo.activities.services import (
    SuggestionDraft,
    activity_create,
    activity_publish,
    activity_record,
)
from lianluo.cases.models import Case, CaseEvent, Category
from lianluo.cases.reception.services import OfficialIn, reception_record_save
from lianluo.cases.services import case_transition
from lianluo.core.errors import DomainError
from lianluo.core.models import Area, AuditLog, Congress, Department, OutboxMessage
from lianluo.deputies.models import Deputy
from lianluo.duty.models import PointEntry
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_create

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)

# Deputies of the demo county (see demo.seed.seed_structure), by what they are to a case of
# 河口 (Hekou) township's hub:
IN_HEKOU = {
    "dep-002": "grouped into 河口's hub, county mandate",
    "dep-038": "grouped into a 河口 station, township mandate only",
}
OUT_OF_HEKOU = {
    "dep-001": "grouped into 城关's hub; county and national mandates",
    "dep-035": "grouped into a 石桥 station, 石桥 township mandate only",
}
MISSING = "dep-999"
# Who may accept a case of 河口's hub, and who may not even see it.
ACTORS = ["admin", "staff", "other"]
OUTSIDERS = {"liaison": 404, "deputy": 404, "dept": 404, "leader": 403}


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def state(case: Case) -> tuple:
    """Everything a refused write must leave untouched."""
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        CaseEvent.objects.filter(case=case).count(),
        Case.objects.count(),
        PointEntry.objects.count(),
        OutboxMessage.objects.count(),
        AuditLog.objects.count(),
    )


def html(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def transition(api, role: str, case: Case, **body):
    return api(role).post(f"/api/v1/cases/{case.number}/transitions", body)


@pytest.fixture
def hekou_case(make_case) -> Case:
    return make_case(station=Station.objects.get(code="hk-hub"))


# ---- the probe ------------------------------------------------------------------------------


def test_another_townships_officer_cannot_make_an_outside_deputy_responsible(
    api, users, hekou_case
):
    # given a new case at 河口's hub, and dep-001, a deputy grouped into 城关's hub
    before = state(hekou_case)

    # when 河口's liaison officer accepts it naming dep-001 responsible
    response = transition(
        api, "other", hekou_case, action="accept", triage="general", deputy="dep-001"
    )

    # then it is refused as an unknown deputy would be, and nothing changed: dep-001 still
    # cannot read the case (nor reveal the phone, answer or earn points with it)
    missing = transition(
        api, "other", hekou_case, action="accept", triage="general", deputy=MISSING
    )
    assert response.status_code == 422
    assert response.json() == missing.json()
    assert response.json()["field"] == "deputy"
    assert state(hekou_case) == before
    assert hekou_case.responsible_deputy_id is None


# ---- the responsible deputy, through the API -------------------------------------------------


@pytest.mark.parametrize("code", [*IN_HEKOU, *OUT_OF_HEKOU, MISSING])
@pytest.mark.parametrize("role", ACTORS)
def test_the_api_makes_responsible_only_a_deputy_of_the_cases_scope(
    api, users, make_case, role, code
):
    # given a new case at 河口's hub, and someone who may accept it
    case = make_case(station=Station.objects.get(code="hk-hub"))
    before = state(case)

    # when they accept it naming a deputy responsible
    response = transition(api, role, case, action="accept", triage="general", deputy=code)

    # then a deputy of 河口 (grouped into its stations, or holding its mandate) becomes
    # responsible; any other is answered exactly as a code that does not exist, and nothing
    # changed
    case.refresh_from_db()
    if code in IN_HEKOU:
        assert response.status_code == 200, response.content
        assert response.json()["responsible_deputy"] == code
        assert case.responsible_deputy.code == code
        assert CaseEvent.objects.filter(case=case).last().actor == users[role]
    else:
        assert (response.status_code, response.json()) == (
            422,
            {"code": "invalid_value", "message": "未知的代表。", "field": "deputy"},
        )
        assert state(case) == before


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_someone_who_may_not_accept_names_no_deputy_either(api, make_case, role):
    # given a new case at 河口's hub and a user who may not triage it
    case = make_case(station=Station.objects.get(code="hk-hub"))
    before = state(case)

    # when they try to accept it naming a deputy of 河口 and one of 城关
    answers = {
        code: transition(api, role, case, action="accept", triage="general", deputy=code)
        for code in ("dep-002", "dep-001")
    }

    # then both get the answer of the read matrix (not found, or forbidden for a leader), the
    # same whichever deputy was named, and nothing changed
    assert {code: r.status_code for code, r in answers.items()} == {
        "dep-002": OUTSIDERS[role],
        "dep-001": OUTSIDERS[role],
    }
    assert state(case) == before


@pytest.fixture
def county_case(make_case) -> Case:
    """A county case: one of 河口's hub, escalated to the congress directly above."""
    origin = make_case(
        ("accept", {"triage": "major"}),
        ("escalate", {"reason": "需县级统筹"}),
        station=Station.objects.get(code="hk-hub"),
    )
    case = Case.objects.get(escalated_from=origin)
    assert (case.station, case.congress.area.code) == (None, "430399000000")
    return case


@pytest.mark.parametrize(
    ("code", "serves"),
    [
        ("dep-002", True),  # a county mandate
        ("dep-001", True),  # a county mandate, grouped elsewhere: the county is theirs
        ("dep-038", False),  # 河口's township mandate only: not a deputy of the county
        (MISSING, False),
    ],
)
def test_a_county_case_takes_a_deputy_of_the_county_congress(api, county_case, code, serves):
    # given a county case (escalated from 河口) and the county's staff
    before = state(county_case)

    # when staff accept it naming a deputy
    response = transition(api, "staff", county_case, action="accept", triage="general", deputy=code)

    # then only a deputy of the county congress may be responsible for it
    if serves:
        assert response.status_code == 200, response.content
        assert response.json()["responsible_deputy"] == code
    else:
        assert (response.status_code, response.json()["field"]) == (422, "deputy")
        assert state(county_case) == before


# ---- the responsible deputy, through the HTML ledger -----------------------------------------


@pytest.mark.parametrize("code", [*IN_HEKOU, *OUT_OF_HEKOU, MISSING])
@pytest.mark.parametrize("role", ACTORS)
def test_the_html_ledger_offers_and_accepts_only_deputies_of_the_cases_scope(
    users, make_case, role, code
):
    # given a new case at 河口's hub, open on the page of someone who may accept it
    case = make_case(station=Station.objects.get(code="hk-hub"))
    client = html(users[role])
    page = client.get(f"/ledger/{case.number}/").content.decode()
    before = state(case)

    # when they accept it naming a deputy (even one the select does not offer)
    response = client.post(
        f"/ledger/{case.number}/do/accept/", {"accept-triage": "general", "accept-deputy": code}
    )

    # then the select offers exactly the deputies the service accepts; the page refuses any
    # other next to the field, and nothing changed
    offered = f'value="{code}"' in page
    assert offered == (code in IN_HEKOU)
    case.refresh_from_db()
    if code in IN_HEKOU:
        assert response.status_code == 302
        assert case.responsible_deputy.code == code
    else:
        assert response.status_code == 400
        assert "选择一个有效的选项" in response.content.decode()
        assert state(case) == before


def test_the_service_refuses_an_outside_deputy_whoever_calls_it(users, make_case):
    # given a new case at 河口's hub and a deputy of 城关
    case = make_case(station=Station.objects.get(code="hk-hub"))
    before = state(case)

    # when code (a command, an admin action, a future view) calls the service directly, even as
    # the system administrator
    with pytest.raises(DomainError) as refused:
        case_transition(
            case=case,
            actor=users["admin"],
            action="accept",
            triage="general",
            deputy=Deputy.objects.get(code="dep-001"),
        )

    # then it is refused with the API's answer for an unknown deputy, and nothing changed
    assert (refused.value.code, refused.value.field) == ("invalid_value", "deputy")
    assert state(case) == before


# ---- the category ----------------------------------------------------------------------------


@pytest.fixture
def catalogs(demo) -> dict[str, Category]:
    hekou = Congress.objects.get(area__code="430399101000")
    chengguan = Congress.objects.get(area__code="430399100000")
    return {
        # Every congress has its own defaults (cases 0008); a shared row is still possible.
        "shared": Category.objects.create(congress=None, code="shared-x", name="共用"),
        "hekou": Category.objects.create(congress=hekou, code="hk-ferry", name="渡口"),
        "same-code": Category.objects.create(congress=hekou, code="roads", name="河口道路"),
        "chengguan": Category.objects.create(congress=chengguan, code="cg-market", name="集市"),
        "chengguan-same-code": Category.objects.create(
            congress=chengguan, code="roads", name="城关道路"
        ),
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [("shared", "shared"), ("hk-ferry", "hekou"), ("roads", "same-code"), ("cg-market", None)],
)
@pytest.mark.parametrize("role", ACTORS)
def test_a_case_is_filed_only_under_its_congress_or_the_shared_catalog(
    api, make_case, catalogs, role, code, expected
):
    # given a new case at 河口's hub; 城关 has a category of its own, and one with a code 河口
    # uses too
    case = make_case(station=Station.objects.get(code="hk-hub"))
    code = catalogs["shared"].code if code == "shared" else code
    before = state(case)

    # when it is accepted under a category code
    response = transition(api, role, case, action="accept", triage="general", category=code)

    # then a code of 河口's catalog or the shared one files it there (河口's own first); 城关's
    # is unknown here, and nothing changed
    case.refresh_from_db()
    if expected is not None:
        assert response.status_code == 200, response.content
        assert case.category == catalogs[expected]
    else:
        assert (response.status_code, response.json()) == (
            422,
            {"code": "invalid_value", "message": "未知的类别。", "field": "category"},
        )
        assert state(case) == before


# ---- the department ----------------------------------------------------------------------------


@pytest.fixture
def departments(demo) -> dict[str, Department]:
    hekou = Area.objects.get(code="430399101000")
    chengguan = Area.objects.get(code="430399100000")
    hk_village = hekou.children.order_by("code").first()
    return {
        "county": Department.objects.get(code="qx-housing"),
        "hekou": Department.objects.create(code="hk-water", name="河口镇水利站", area=hekou),
        "hekou-village": Department.objects.create(
            code="hk-village", name="河口村委会", area=hk_village
        ),
        "chengguan": Department.objects.create(
            code="cg-water", name="城关镇水利站", area=chengguan
        ),
        "inactive": Department.objects.create(
            code="qx-old", name="县撤并局", area=Area.objects.get(code="430399000000"), active=False
        ),
    }


@pytest.mark.parametrize(
    ("which", "serves"),
    [
        ("county", True),
        ("hekou", True),
        ("hekou-village", True),
        ("chengguan", False),
        ("inactive", False),
        ("missing", False),
    ],
)
@pytest.mark.parametrize("role", ACTORS)
def test_a_case_is_assigned_only_to_a_department_on_its_line_of_areas(
    api, users, make_case, departments, role, which, serves
):
    # given an accepted case of 河口's hub
    case = make_case(("accept", {"triage": "general"}), station=Station.objects.get(code="hk-hub"))
    code = departments[which].code if which in departments else "no-such-dept"
    before = state(case)

    # when it is assigned, through the API and (for a refusal) through its page as well
    response = transition(api, role, case, action="assign", department=code)
    page = None
    if not serves:
        page = html(users[role]).post(
            f"/ledger/{case.number}/do/assign/", {"assign-department": code}
        )

    # then 河口's own, the county's and those below 河口 take it; 城关's (a sibling), an
    # inactive one and a missing one are the same unknown department, and nothing changed
    case.refresh_from_db()
    if serves:
        assert response.status_code == 200, response.content
        assert case.department == departments[which]
    else:
        assert (response.status_code, response.json()) == (
            422,
            {"code": "invalid_value", "message": "未知的承办单位。", "field": "department"},
        )
        assert page.status_code == 400
        assert state(case) == before


def test_the_departments_listed_for_an_officer_are_those_the_assignment_accepts(api, departments):
    # given 河口's liaison officer
    # when they list the departments they may assign to
    listed = {d["code"] for d in api("other").get("/api/v1/departments").json()}

    # then 河口's line is listed and nothing else
    assert {"qx-housing", "hk-water", "hk-village"} <= listed
    assert not listed & {"cg-water", "qx-old"}


# ---- the officials of a reception record ------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "serves"), [("county", True), ("hekou", True), ("chengguan", False)]
)
def test_a_reception_record_names_officials_only_of_departments_on_the_stations_line(
    users, departments, which, serves
):
    # given a past reception day at 河口's hub
    day, _ = ReceptionDay.objects.update_or_create(
        station=Station.objects.get(code="hk-hub"),
        date=dt.date(2026, 11, 6),
        defaults={"start": dt.time(9), "end": dt.time(12), "status": "published"},
    )
    before = (ReceptionRecord.objects.count(), PointEntry.objects.count(), AuditLog.objects.count())

    # when 河口's officer records it with an official of a department
    def record():
        return reception_record_save(
            actor=users["other"],
            day=day,
            deputies_present=[],
            citizens_received=3,
            officials=[OfficialIn(name="王立军", title="副站长", department=departments[which])],
        )

    # then a department on the station's line is recorded; 城关's is refused as an invalid
    # choice, and nothing was written
    if serves:
        assert record().officials.get().department == departments[which]
    else:
        with pytest.raises(DomainError) as refused:
            record()
        assert refused.value.code == "invalid_value"
        assert before == (
            ReceptionRecord.objects.count(),
            PointEntry.objects.count(),
            AuditLog.objects.count(),
        )


# ---- the record of an activity -----------------------------------------------------------------


@pytest.fixture
def begun_activity(users) -> Activity:
    """A published activity of 城关's hub that began an hour ago."""
    start = NOW - dt.timedelta(hours=1)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        activity = activity_create(
            actor=users["liaison"],
            station=Station.objects.get(code="cg-hub"),
            type="symposium",
            title="民生实事座谈会",
            place="城关镇政府一楼会议室",
            start=start,
            end=start + dt.timedelta(hours=2),
            capacity=None,
        )
        return activity_publish(actor=users["liaison"], activity=activity)


def activity_state(activity: Activity) -> tuple:
    return (
        Activity.objects.filter(pk=activity.pk).values().get(),
        Signup.objects.count(),
        Suggestion.objects.count(),
        list(activity.suggestions.values_list("pk", flat=True)),
        PointEntry.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize(
    ("deputy", "serves"), [("dep-001", True), ("dep-002", False), ("dep-035", False)]
)
@pytest.mark.parametrize("reference", ["new_suggestion", "linked_suggestion"])
def test_an_activity_record_names_only_the_stations_deputies_and_their_suggestions(
    users, begun_activity, reference, deputy, serves
):
    # given an activity of 城关's hub that has begun; dep-001 is grouped into 城关's hub, the
    # others into stations of 河口 and 石桥
    named = Deputy.objects.get(code=deputy)
    congress = begun_activity.station.congress
    kwargs: dict = {"actor": users["liaison"], "activity": begun_activity, "attended": []}
    if reference == "new_suggestion":
        kwargs["new_suggestions"] = [SuggestionDraft("修缮村道", "村道破损严重。", named)]
    else:
        made = suggestion_create(
            actor=users["staff"], congress=congress, deputy=named, title="修缮村道", text="…"
        )
        kwargs["suggestions"] = [made]
    before = activity_state(begun_activity)

    # when 城关's officer records it, filing or linking a suggestion of that deputy
    def record():
        return activity_record(summary="座谈了村道修缮。", **kwargs)

    # then a deputy of the station is accepted; one of another station is refused (the form
    # does not offer them either), and nothing changed
    if serves:
        assert record().suggestions.get().deputy == named
    else:
        with pytest.raises(DomainError) as refused:
            record()
        assert refused.value.code == "invalid_value"
        assert activity_state(begun_activity) == before
