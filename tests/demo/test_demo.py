"""The demo seed survives use: `make demo` runs `seed_demo` on every start, so it must run again
over whatever a user made in between — a second reception rule, edited stations, activities and
cases, new records, changed passwords, moved deputies — without crashing and without losing or
overwriting any of it; and it refuses to run outside development, where it would hand the
demo logins a public password."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from lianluo.demo.seed import DEMO_PASSWORD, seed_demo

# A fixed day for the whole module: the seed reads the date, the tests must not.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def seeded(db, settings, tmp_path):
    """The full demo, as `make demo` builds it, on a fixed day (the roster file goes to a
    temporary data directory)."""
    settings.DATA_DIR = tmp_path
    settings.LIANLUO_OUTBOX_MODE = "sync"
    with time_machine.travel(NOW, tick=False):
        yield seed_demo(cases=12)


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label.startswith(("core", "stations", "deputies", "cases", "activities"))
        or m._meta.app_label in ("duty", "suggestions", "onboarding", "auth")
    }


def test_a_second_run_over_an_unchanged_demo_changes_nothing(seeded):
    # given the demo as seeded
    before = _counts()

    # when the seed runs again the same day
    seed_demo(cases=12)

    # then no row was added or removed anywhere
    after = _counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_a_second_monthly_rule_at_the_hekou_hub_does_not_break_the_next_start(seeded):
    from lianluo.core.models import User
    from lianluo.stations.models import ReceptionRule, Station
    from lianluo.stations.services import reception_rule_save

    # given the 河口 officer added a second monthly reception rule (as in the UI)
    hk = Station.objects.get(code="hk-hub")
    reception_rule_save(
        actor=User.objects.get(username="other"),
        station=hk,
        kind="month_days",
        values=[15],
        start=time(14),
        end=time(17),
    )

    # when `make demo` seeds again
    seed_demo(cases=12)

    # then it runs through, and both rules are there as they were
    rules = ReceptionRule.objects.filter(station=hk, kind="month_days").order_by("pk")
    assert [(r.values, r.start) for r in rules] == [([6, 16, 26], time(9)), ([15], time(14))]


def test_the_demo_runs_again_after_use_and_keeps_what_users_made(seeded):
    from lianluo.activities.models import Activity
    from lianluo.activities.services import activity_update
    from lianluo.cases.models import Case
    from lianluo.cases.services import case_submit, case_transition
    from lianluo.core.models import Role, RoleAssignment, User
    from lianluo.deputies.models import Deputy
    from lianluo.stations.models import ReceptionDay, ReceptionRule, Station, StationMembership
    from lianluo.stations.services import (
        reception_days_generate,
        reception_rule_save,
        reception_rule_set_active,
    )

    users = {u.username: u for u in User.objects.all()}
    hk = Station.objects.get(code="hk-hub")
    cg = Station.objects.get(code="cg-hub")
    today = NOW.date()

    # given what users did in the demo since it was seeded:
    # - the 河口 officer added a second monthly reception rule (the reported crash)
    second = reception_rule_save(
        actor=users["other"],
        station=hk,
        kind="month_days",
        values=[15],
        start=time(14),
        end=time(17),
        deputies_per_day=1,
    )
    # - the 城关 officer added a weekly evening rule and generated its days, kept as drafts
    reception_rule_save(
        actor=users["liaison"],
        station=cg,
        kind="weekdays",
        values=[4],
        start=time(19),
        end=time(21),
        deputies_per_day=1,
    )
    drafts = reception_days_generate(
        actor=users["liaison"], station=cg, start=today, end=today + timedelta(days=20)
    ).created
    assert drafts
    # - a substation's weekly rule was switched off
    sub_rule = ReceptionRule.objects.get(station__code="hk-sector-1")
    reception_rule_set_active(actor=users["officer-hk-sector-1"], rule=sub_rule, active=False)
    # - the admin renamed a station and moved a deputy's home station elsewhere
    Station.objects.filter(code="cg-sector-1").update(name="城关东片区代表之家", address="东街9号")
    moved = Deputy.objects.get(code="dep-002")
    StationMembership.objects.filter(deputy=moved).delete()
    StationMembership.objects.create(station=cg, deputy=moved, primary=True)
    # - the admin granted the staff role a second time, and deleted a demo holiday
    staff = users["staff"]
    RoleAssignment.objects.create(user=staff, role=Role.STAFF, area=cg.area.parent)
    from lianluo.core.models import Holiday

    Holiday.objects.filter(name="元旦").delete()
    # - staff chose their own password
    staff.set_password("a-password-of-my-own")
    staff.save()
    # - an activity was renamed, a citizen wrote in and the officer took the case
    symposium = Activity.objects.get(title="民生实事项目征集座谈会")
    activity_update(
        actor=users["liaison"],
        activity=symposium,
        type=symposium.type,
        title="明年民生实事项目征集座谈会",
        place=symposium.place,
        start=symposium.start,
        end=symposium.end,
        capacity=symposium.capacity,
        description=symposium.description,
        theme=symposium.theme,
    )
    mine, _ = case_submit(station=cg, text="菜市场门口的下水道堵了", phone="13700001111")
    mine = case_transition(case=mine, actor=staff, action="accept", triage="simple")

    cases = Case.objects.count()

    # when `make demo` runs the seed again
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        seed_demo(cases=12)

    # then nothing the users made is lost or overwritten
    assert ReceptionRule.objects.filter(station=hk, kind="month_days").count() == 2
    assert ReceptionRule.objects.filter(pk=second.pk, values=[15]).exists()
    assert set(
        ReceptionDay.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)
    ) == {"draft"}  # noqa: E501
    assert ReceptionRule.objects.get(pk=sub_rule.pk).active is False
    assert ReceptionRule.objects.filter(station__code="hk-sector-1").count() == 1
    renamed = Station.objects.get(code="cg-sector-1")
    assert (renamed.name, renamed.address) == ("城关东片区代表之家", "东街9号")
    assert list(moved.memberships.values_list("station__code", "primary")) == [("cg-hub", True)]
    staff.refresh_from_db()
    assert staff.check_password("a-password-of-my-own")
    assert Activity.objects.filter(pk=symposium.pk, title="明年民生实事项目征集座谈会").exists()
    mine.refresh_from_db()
    assert (mine.status, mine.text) == ("accepted", "菜市场门口的下水道堵了")
    assert Case.objects.count() == cases

    # and the product answers: the checks pass, the home page and the station pages render
    call_command("check")
    client = Client()
    assert client.get("/").status_code == 200
    assert client.get("/s/hk-hub/").status_code == 200
    assert client.get("/s/cg-sector-1/").status_code == 200
    client.force_login(users["other"])
    assert client.get("/").status_code == 200


def test_the_seed_sets_the_demo_password_only_on_the_logins_it_creates(seeded):
    from lianluo.core.models import User

    # given the demo logins, one of which a user deleted and one whose password was changed
    User.objects.filter(username="leader").delete()
    dept = User.objects.get(username="dept")
    dept.set_password("changed-by-its-owner")
    dept.save()

    # when the seed runs again
    seed_demo(cases=12)

    # then the recreated login has the demo password, the changed one keeps its own
    assert User.objects.get(username="leader").check_password(DEMO_PASSWORD)
    dept.refresh_from_db()
    assert dept.check_password("changed-by-its-owner")
    assert not dept.check_password(DEMO_PASSWORD)


# ---- the seed is for development only ---------------------------------------------------------


def test_the_command_refuses_to_run_outside_development(db, settings):
    from lianluo.core.models import User

    # given production settings: DEBUG off, no development switch
    settings.DEBUG = False
    settings.LIANLUO_DEV = False

    # when the demo seed is started
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo")

    # then it refuses, says why and how to force it, and writes nothing
    assert "--force-outside-development" in str(refused.value)
    assert not User.objects.exists()


def test_the_command_refuses_a_postgresql_database_even_in_development(db, settings, monkeypatch):
    from lianluo.core.models import User

    # given development settings but a PostgreSQL database (could be production's)
    settings.DEBUG = True
    monkeypatch.setattr(connection, "vendor", "postgresql")

    # when the demo seed is started
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo")

    # then it refuses
    assert "PostgreSQL" in str(refused.value) or "postgresql" in str(refused.value)
    assert not User.objects.exists()


def test_the_refusal_is_in_chinese(db, settings):
    from django.utils import translation

    settings.DEBUG = False
    settings.LIANLUO_DEV = False
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("seed_demo")
    assert "开发" in str(refused.value)


def test_the_command_runs_outside_development_when_forced(db, settings, monkeypatch):
    import lianluo.demo.management.commands.seed_demo as command

    # given production settings and a stand-in for the (slow) seed itself
    settings.DEBUG = False
    settings.LIANLUO_DEV = False
    ran = []
    monkeypatch.setattr(command, "seed_demo", lambda **kw: ran.append(kw) or {})

    # when it is forced explicitly
    call_command("seed_demo", "--force-outside-development", stdout=None)

    # then it runs
    assert len(ran) == 1


def test_the_demo_has_last_year_its_hot_topics_and_its_briefing(db, settings, tmp_path):
    import subprocess

    from lianluo.cases.models import Case
    from lianluo.insights.models import TopicRun

    # when `make demo` seeds, on a fixed day
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--force-outside-development", stdout=out)

    # then last year's ledger is there, imported, with the county's hot topics of last year
    assert Case.objects.filter(imported=True, created_at__year=2025).count() == 300
    run = TopicRun.objects.get(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert run.messages == 300 and run.topics.count() >= 3
    # and last year's briefing as files, named in what the command prints
    pdf, docx = tmp_path / "demo-briefing-2025.pdf", tmp_path / "demo-briefing-2025.docx"
    assert str(pdf) in out.getvalue() and str(docx) in out.getvalue()
    assert "/insights/?scope=" in out.getvalue()
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "联络动态（2025年）" in text and run.topics.first().label in text
    assert docx.read_bytes()[:2] == b"PK"
