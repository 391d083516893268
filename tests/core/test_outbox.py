"""Notifications: written to the outbox in the transaction that caused them, delivered after
commit (inline, in a thread, or by Celery) exactly once as an in-app notification and, where the
user has an address, an e-mail that may fail without losing the in-app one."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from django.test import Client

from lianluo.cases.services import case_submit, case_transition
from lianluo.cases.services import events as case_services
from lianluo.core.models import (
    Department,
    Notification,
    OutboxMessage,
    Role,
    RoleAssignment,
    User,
)
from lianluo.core.services import outbox_deliver, outbox_dispatch


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


@pytest.fixture(autouse=True)
def _nothing_pending(demo, mailoutbox):
    """Whatever setting up the demo county queued (reception duty reminders…) is delivered
    before each test, so the outbox holds only what the test causes."""
    outbox_deliver()
    mailoutbox.clear()


def notified(case) -> list[User]:
    """Who has an in-app notification about the case."""
    return [n.user for n in Notification.objects.filter(link=f"/ledger/{case.number}/")]


@pytest.fixture
def officers(demo, users) -> dict[str, User]:
    """Chengguan hub's officers: the demo one, a second one, and one who has left (inactive)."""
    hub = demo["cg_hub"]
    second = User.objects.create(username="liaison2", email="liaison2@example.org")
    gone = User.objects.create(username="gone", is_active=False)
    for user in (second, gone):
        RoleAssignment.objects.create(user=user, role=Role.LIAISON, station=hub)
    return {"liaison": users["liaison"], "liaison2": second, "gone": gone}


def test_a_message_to_a_deputy_notifies_the_deputy_and_the_stations_officers(
    demo, users, officers, django_capture_on_commit_callbacks
):
    # when a citizen writes to a deputy of the Chengguan hub
    with django_capture_on_commit_callbacks() as after_commit:
        case, _ = case_submit(deputy=demo["deputy"], text="村里的路灯坏了")

    # then the outbox holds one message for each active officer of the station and the deputy
    rows = OutboxMessage.objects.filter(link=f"/ledger/{case.number}/")
    assert sorted(r.recipient.username for r in rows) == ["deputy", "liaison", "liaison2"]
    assert all(r.kind == "case_new" and case.number in r.subject for r in rows)
    assert all(r.body == "村里的路灯坏了" and r.sent_at is None for r in rows)
    # and delivery waits for the commit (dispatched once, beside the duplicate proposals)
    assert [f for f in after_commit if f is outbox_dispatch] == [outbox_dispatch]
    assert notified(case) == []


def test_a_message_to_a_station_notifies_only_that_stations_officers(demo, users, officers):
    # when a citizen writes to the Hekou hub
    case, _ = case_submit(station=demo["stations"]["430399101000"][0], text="公交太少")

    # then only its officer is told
    recipients = OutboxMessage.objects.filter(link=f"/ledger/{case.number}/")
    assert [r.recipient for r in recipients] == [users["other"]]


def test_notifications_share_the_fate_of_the_submission(demo, officers, monkeypatch):
    # given a submission that fails after it queued its notifications
    real = case_services.outbox_enqueue

    def enqueue_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(case_services, "outbox_enqueue", enqueue_then_fail)

    # when it is submitted
    with pytest.raises(RuntimeError):
        case_submit(station=demo["cg_hub"], text="路灯坏了")

    # then neither the case nor its notifications remain: they were one transaction
    assert not OutboxMessage.objects.filter(kind="case_new").exists()
    assert not case_services.Case.objects.exists()


def test_assigning_notifies_the_departments_handlers(demo, users):
    # given an accepted case
    case, _ = case_submit(station=demo["cg_hub"], text="路灯坏了")
    case = case_transition(case=case, actor=users["staff"], action="accept", triage="general")

    # when it is assigned to the housing bureau
    case_transition(
        case=case,
        actor=users["staff"],
        action="assign",
        department=Department.objects.get(code="qx-housing"),
    )

    # then the bureau's handler has a message about it
    message = OutboxMessage.objects.get(kind="case_assigned")
    assert message.recipient == users["dept"]
    assert case.number in message.subject


def test_delivery_makes_each_notification_exactly_once(demo, officers, mailoutbox):
    # given three cases' notifications in the outbox
    for i in range(3):
        case_submit(station=demo["cg_hub"], text=f"第{i}件")
    assert OutboxMessage.objects.filter(sent_at=None).count() == 6

    # when delivery runs twice, and once more after every row was marked unsent (a crash
    # between the two, a restored backup)
    first, second = outbox_deliver(), outbox_deliver()
    mails = len(mailoutbox)
    OutboxMessage.objects.update(sent_at=None)
    outbox_deliver()

    # then every message became one notification, and nothing was delivered twice
    assert (first, second) == (6, 0)
    assert Notification.objects.count() == OutboxMessage.objects.count()
    for message in OutboxMessage.objects.all():
        notice = Notification.objects.get(outbox=message)
        assert (notice.user, notice.subject, notice.link) == (
            message.recipient,
            message.subject,
            message.link,
        )
    # and the officer with an address got one e-mail per case from the first two runs
    assert mails == 3
    assert {tuple(m.to) for m in mailoutbox} == {("liaison2@example.org",)}


def test_a_failing_mail_server_does_not_lose_the_in_app_notification(
    demo, officers, settings, mailoutbox
):
    # given a mail server that refuses connections
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    case, _ = case_submit(station=demo["cg_hub"], text="路灯坏了")

    # when the notifications are delivered
    delivered = outbox_deliver()

    # then both officers have their in-app notification all the same
    assert delivered == 2
    assert {user.username for user in notified(case)} == {"liaison", "liaison2"}
    # and the failed e-mail is recorded on its message, which is not retried forever
    failed = OutboxMessage.objects.get(recipient=officers["liaison2"])
    assert failed.last_error
    assert failed.sent_at is not None
    assert outbox_deliver() == 0


def test_my_notifications_lists_them_with_the_unread_count(api, demo, officers):
    # given two new cases at the liaison officer's station, delivered
    numbers = [case_submit(station=demo["cg_hub"], text=f"第{i}件")[0].number for i in range(2)]
    outbox_deliver()

    # when the officer's app asks for their notifications
    mine = api("liaison").get("/api/v1/me/notifications").json()

    # then both are there, newest first, unread
    assert mine["unread"] == 2
    assert [n["link"] for n in mine["items"]] == [f"/ledger/{n}/" for n in reversed(numbers)]
    assert all(not n["read"] and n["subject"] and n["created_at"] for n in mine["items"])
    # and nobody else's are
    assert api("other").get("/api/v1/me/notifications").json() == {"unread": 0, "items": []}

    # when the officer reads one on the web
    client = Client()
    client.force_login(officers["liaison"])
    client.post("/notifications/read/", {"id": mine["items"][0]["id"]})

    # then one is left unread
    after = api("liaison").get("/api/v1/me/notifications").json()
    assert after["unread"] == 1
    assert [n["read"] for n in after["items"]] == [True, False]


def test_my_notifications_needs_a_token(api, demo):
    # when the notifications are asked for without a token
    response = api().get("/api/v1/me/notifications")

    # then 401
    assert response.status_code == 401


def test_sync_mode_delivers_right_after_commit(
    demo, users, settings, django_capture_on_commit_callbacks
):
    # given inline delivery
    settings.LIANLUO_OUTBOX_MODE = "sync"

    # when a case is submitted and its transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = case_submit(station=demo["cg_hub"], text="路灯坏了")

    # then the officer's notification is there at once
    assert notified(case) == [users["liaison"]]
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


def test_celery_mode_hands_delivery_to_the_task(
    demo, users, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given delivery by Celery, running tasks eagerly (no broker in tests)
    from lianluo.core.tasks import deliver_outbox

    settings.LIANLUO_OUTBOX_MODE = "celery"
    # the task belongs to the project's app, configured from the Django settings
    assert deliver_outbox.app.main == "lianluo"
    monkeypatch.setitem(deliver_outbox.app.conf, "task_always_eager", True)

    # when a case is submitted and its transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = case_submit(station=demo["cg_hub"], text="路灯坏了")

    # then the task delivered the officer's notification
    assert notified(case) == [users["liaison"]]
    assert not OutboxMessage.objects.filter(sent_at=None).exists()


def test_celery_mode_with_the_broker_down_keeps_messages_for_the_sweep(
    demo, users, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given delivery by Celery, and a broker that cannot be reached
    from lianluo.core import tasks

    settings.LIANLUO_OUTBOX_MODE = "celery"

    def unreachable() -> None:
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks, "deliver_outbox", SimpleNamespace(delay=unreachable))

    # when a case is submitted
    with django_capture_on_commit_callbacks(execute=True):
        case, created = case_submit(station=demo["cg_hub"], text="路灯坏了")

    # then the citizen's case is recorded all the same, its notification waiting in the outbox
    assert created
    assert OutboxMessage.objects.filter(sent_at=None).count() == 1
    assert notified(case) == []

    # when the periodic sweep runs
    monkeypatch.undo()
    from lianluo.celery import app

    sweep = app.conf.beat_schedule["deliver-outbox"]
    assert sweep["task"] == tasks.deliver_outbox.name
    tasks.deliver_outbox()

    # then the notification is delivered
    assert notified(case) == [users["liaison"]]
