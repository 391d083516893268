"""What happens when things happen at once: simultaneous submissions, racing retries of one
submission, and delivery in a background thread. These tests commit for real
(transaction=True) and run their work in threads with their own database connections, so they
build the demo county per test instead of sharing the module-wide one."""

from __future__ import annotations

import threading
from collections import Counter
from types import SimpleNamespace

import pytest
from django.test import Client

from lianluo.cases.models import Case
from lianluo.cases.services import case_submit
from lianluo.core import background
from lianluo.core.models import LedgerCounter, Notification, OutboxMessage
from lianluo.stations.models import Station
from tests.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submissions_get_distinct_gapless_numbers(demo):
    # given two townships' hubs, and twelve citizens pressing "send" at the same moment
    hubs = [
        Station.objects.select_related("congress", "area").get(code=c) for c in ("cg-hub", "hk-hub")
    ]

    # when their submissions run at once, each in its own transaction
    results, errors = run_together(
        12, lambda i: case_submit(station=hubs[i % 2], text=f"第{i}件")[0].number
    )

    # then every one is recorded, and each township's numbers run 1..6 without a gap
    assert errors == []
    assert len(set(results)) == 12
    for hub in hubs:
        seqs = sorted(Case.objects.filter(congress=hub.congress).values_list("seq", flat=True))
        assert seqs == [1, 2, 3, 4, 5, 6]
        assert LedgerCounter.objects.get(congress=hub.congress).last == 6


def test_racing_retries_record_one_case_and_leave_no_gap(demo):
    # given eight retries of one message, arriving at the same moment through the API
    body = {"station": "cg-hub", "text": "路灯坏了", "idempotency_key": "retry-1"}

    def retry(i: int):
        return Client().post("/api/v1/public/cases", body, content_type="application/json")

    # when they all go through at once
    responses, errors = run_together(8, retry)

    # then exactly one created the case, and all were answered with it
    assert errors == []
    assert Counter(r.status_code for r in responses) == {201: 1, 200: 7}
    assert len({r.json()["number"] for r in responses}) == 1
    assert Case.objects.count() == 1
    # and the losers' drawn numbers went back: the next case follows without a gap
    following, _ = case_submit(station=demo["cg_hub"], text="下一件")
    assert following.seq == 2


def test_racing_different_submissions_under_one_key_record_one_and_refuse_the_rest(demo):
    # given eight different messages sent under one key at the same moment (a leaked key)
    def send(i: int):
        body = {"station": "cg-hub", "text": f"第{i}条", "idempotency_key": "leaked-1"}
        return Client().post("/api/v1/public/cases", body, content_type="application/json")

    # when they all go through at once
    responses, errors = run_together(8, send)

    # then one is recorded and the seven others are refused as conflicts, none with its data
    assert errors == []
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 7}
    case = Case.objects.get()
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "idempotency_conflict"
            assert case.tracking_code not in r.content.decode()


def test_thread_mode_delivers_in_the_background_after_commit(demo, users, settings, monkeypatch):
    # given delivery in a background thread of the web process (the embedded default)
    settings.LIANLUO_OUTBOX_MODE = "thread"
    started: list[threading.Thread] = []

    class Recorded(threading.Thread):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(background, "threading", SimpleNamespace(Thread=Recorded))

    # when a case is submitted (committed: this test runs outside a test transaction)
    case, _ = case_submit(station=demo["cg_hub"], text="路灯坏了")
    for thread in started:
        thread.join(timeout=30)

    # then a background thread delivered the officer's notification
    assert len(started) == 1
    assert not started[0].is_alive()
    link = f"/ledger/{case.number}/"
    assert [n.user for n in Notification.objects.filter(link=link)] == [users["liaison"]]
    assert not OutboxMessage.objects.filter(sent_at=None, link=link).exists()


def test_simultaneous_requests_of_one_client_never_pass_more_than_the_limit():
    # given eight requests of one client arriving at the same moment, five allowed a minute
    import time_machine
    from django.core.cache import cache

    from lianluo.core.throttle import rate_hit

    cache.clear()  # with REDIS_URL the counters live there

    # when they are counted at once, each in its own connection (the workers' shared counter)
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        results, errors = run_together(8, lambda i: rate_hit("race", "198.51.100.9", "5/m").allowed)

    # then exactly five pass
    assert not errors
    assert sorted(results) == [False] * 3 + [True] * 5
    cache.clear()
