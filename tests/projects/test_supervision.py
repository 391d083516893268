from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from lianluo.core.errors import DomainError, Forbidden
from lianluo.core.models import AuditLog, OutboxMessage
from lianluo.deputies.models import Deputy, Mandate
from lianluo.duty.models import AutoEvent, PointEntry
from lianluo.duty.services import catalog_install_default
from lianluo.projects.cadence import cadence_table, steps_due
from lianluo.projects.matching import match_deputies
from lianluo.projects.models import Cadence
from lianluo.projects.reminders import project_reminders_send
from lianluo.projects.services.supervision import group_confirm, member_add, record_add
from tests.projects.supervise_helpers import (
    approved_project,
    county_deputies,
    with_group,
    with_plan,
)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _deputy(demo, code, **fields):
    d = Deputy.objects.create(code=code, name=fields.pop("name", code), **fields)
    Mandate.objects.create(
        deputy=d, congress=demo["county_congress"], term=14, level="county", active=True
    )
    return d


def test_matching_ranks_by_industry_specialty_place_and_load(demo, users):
    place = demo["townships"][1]
    project = approved_project(demo, title="排头乡通村公路", tags="交通,公路", area=place)
    a = _deputy(demo, "m-a", name="甲", industry="交通运输", grid_area=place)
    b = _deputy(demo, "m-b", name="乙", industry="交通运输")
    c = _deputy(demo, "m-c", name="丙", specialties="公路养护,会计")
    d = _deputy(demo, "m-d", name="丁", industry="交通运输")
    for i in range(2):
        other = approved_project(demo, title=f"其他{i}", tags="教育")
        member_add(actor=users["staff"], project=other, deputy=d)
    with translation.override("zh-hans"):
        ranked = [m for m in match_deputies(project) if m.deputy in (a, b, c, d)]
    assert [m.deputy for m in ranked] == [a, b, c, d]
    assert [m.score for m in ranked] == [60, 30, 20, 10]
    assert ranked[0].reason_text == f"行业: 交通运输; 住地: {place.name}"
    assert ranked[2].reason_text == "专长: 公路养护"
    assert "已在 2 个监督小组" in ranked[3].reason_text


def test_group_has_three_to_five_members_and_a_leader(demo, users):
    project = approved_project(demo)
    deputies = county_deputies(demo)[:6]
    for d in deputies:
        member_add(actor=users["staff"], project=project, deputy=d)
    for chosen in (deputies[:2], deputies[:6]):
        with pytest.raises(DomainError) as exc:
            group_confirm(
                actor=users["staff"],
                project=project,
                deputy_ids=[x.pk for x in chosen],
                leader_id=chosen[0].pk,
            )
        assert exc.value.code == "group_size"
    with pytest.raises(DomainError):
        group_confirm(
            actor=users["staff"],
            project=project,
            deputy_ids=[x.pk for x in deputies[:3]],
            leader_id=deputies[4].pk,
        )
    group_confirm(
        actor=users["staff"],
        project=project,
        deputy_ids=[x.pk for x in deputies[:3]],
        leader_id=deputies[1].pk,
    )
    members = list(project.members.all())
    assert len(members) == 3 and all(m.status == "confirmed" for m in members)
    assert [m.deputy_id for m in members if m.leader] == [deputies[1].pk]


def test_cadence_flags_missed_steps_at_a_pinned_date(demo, users):
    project = with_plan(
        approved_project(demo), demo, users, start=date(2026, 3, 1), end=date(2026, 8, 31)
    )
    steps = cadence_table(project, on=date(2026, 5, 5))
    periods = {(s.cadence, s.period): s.state for s in steps}
    assert periods[(Cadence.INSPECTION, "2026-03")] == "missed"  # ended + 10 days passed
    assert periods[(Cadence.INSPECTION, "2026-04")] == "due"  # in its grace
    assert periods[(Cadence.INSPECTION, "2026-06")] == "upcoming"
    assert periods[(Cadence.DISPATCH, "2026-Q1")] == "missed"
    assert periods[(Cadence.DISPATCH, "2026-Q2")] == "due"
    assert periods[(Cadence.REPORT, "2026-H2")] == "upcoming"
    assert periods[(Cadence.EVALUATION, "2026")] == "due"
    assert (Cadence.INSPECTION, "2026-09") not in periods
    due = {(s.cadence, s.period) for s in steps_due(project, on=date(2026, 5, 5))}
    assert (Cadence.INSPECTION, "2026-03") in due


def test_records_credit_each_attendee_once(demo, users):
    catalog_install_default(congress=demo["county_congress"], year=2026, actor=users["staff"])
    deputies = county_deputies(demo)[:3]
    project = with_group(with_plan(approved_project(demo), demo, users), users, deputies)
    record = record_add(
        actor=users["staff"],
        project=project,
        cadence=Cadence.INSPECTION,
        period="2026-03",
        held_on=date(2026, 3, 20),
        text="现场查看路面",
        attendee_ids=[deputies[0].pk, deputies[1].pk],
    )
    entries = PointEntry.objects.filter(source_key__startswith=f"project_record:{record.pk}:")
    assert sorted(e.deputy_id for e in entries) == sorted([deputies[0].pk, deputies[1].pk])
    assert all(e.item.auto_event == AutoEvent.PROJECT_SUPERVISED for e in entries)
    with pytest.raises(DomainError):
        record_add(
            actor=users["staff"],
            project=project,
            cadence=Cadence.INSPECTION,
            period="2026-03",
            held_on=date(2026, 3, 21),
            text="again",
        )
    assert entries.count() == 2
    page = cadence_table(project, on=date(2026, 5, 5))
    assert {(s.period, s.state) for s in page if s.cadence == Cadence.INSPECTION} >= {
        ("2026-03", "done")
    }


def test_a_group_deputy_records_an_inspection_they_attended_only(demo, users):
    me = Deputy.objects.get(user=users["deputy"])
    Mandate.objects.get_or_create(
        deputy=me,
        congress=demo["county_congress"],
        term=14,
        defaults={"level": "county", "active": True},
    )
    others = [d for d in county_deputies(demo) if d != me][:2]
    project = with_group(with_plan(approved_project(demo), demo, users), users, [me, *others])
    with pytest.raises(Forbidden):
        record_add(
            actor=users["deputy"],
            project=project,
            cadence=Cadence.DISPATCH,
            period="2026-Q1",
            held_on=date(2026, 3, 20),
            text="调度会",
            attendee_ids=[me.pk],
        )
    with pytest.raises(DomainError):
        record_add(
            actor=users["deputy"],
            project=project,
            cadence=Cadence.INSPECTION,
            period="2026-03",
            held_on=date(2026, 3, 20),
            text="视察",
            attendee_ids=[others[0].pk],
        )
    record = record_add(
        actor=users["deputy"],
        project=project,
        cadence=Cadence.INSPECTION,
        period="2026-03",
        held_on=date(2026, 3, 20),
        text="视察",
        attendee_ids=[me.pk],
    )
    assert list(record.attendees.all()) == [me]


def test_reminders_are_sent_once_per_step(demo, users):
    deputies = county_deputies(demo)[:3]
    with_group(
        with_plan(approved_project(demo), demo, users, start=date(2026, 11, 1)), users, deputies
    )
    first = project_reminders_send(today=date(2026, 11, 26))
    # November's inspection is due (its last week), nothing is missed yet.
    assert first == 1
    assert project_reminders_send(today=date(2026, 11, 27)) == 0
    messages = OutboxMessage.objects.filter(kind="project_due")
    expected = {users["staff"].pk} | {d.user_id for d in deputies if d.user_id}
    assert {m.recipient_id for m in messages} == expected  # each recipient once
    assert all("2026-11" in m.subject for m in messages)
    missed = project_reminders_send(today=date(2026, 12, 11))
    assert missed >= 1
    assert OutboxMessage.objects.filter(kind="project_missed").exists()
    assert project_reminders_send(today=date(2026, 12, 11)) == 0
    assert AuditLog.objects.filter(verb="project.reminded").count() == first + missed
