"""Station of the year: the scorecard from records, one vote per person per year (deputies by
account, citizens by a case's tracking code and phone), throttling, publication of the result."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lianluo.board.station_of_year import (
    scorecards,
    station_year_publish,
    vote_cast,
)
from lianluo.cases.reception.services import reception_record_save
from lianluo.core.errors import DomainError, NotFound
from lianluo.onboarding.services import checklist_update
from lianluo.stations.models import ReceptionDay
from lianluo.stations.services import reception_days_generate
from lianluo.voting.models import Ballot, Voter

# A Wednesday: the demo's sector and contact stations receive every Wednesday, so the rota has
# a deputy on duty today at the station without records.
WEDNESDAY = datetime(2027, 3, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_scorecard_from_records(demo, users, make_case):
    station = demo["cg_hub"]
    # given two closed cases, satisfied and dissatisfied (a second dissatisfied rating closes
    # a reopened case), one still open, and the checklist partly in place
    make_case(
        ("accept", {"triage": "simple"}),
        ("answer_on_spot", {"text": "已解决"}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        ("rate", {"rating": "satisfied"}),
        "close",
    )
    make_case(
        ("accept", {"triage": "general"}),
        ("answer", {"text": "已答复"}),
        ("rate", {"rating": "dissatisfied"}),
        ("answer", {"text": "再次答复"}),
        ("rate", {"rating": "dissatisfied"}),
        "close",
    )
    make_case(("accept", {"triage": "general"}))
    for item in ("place", "facilities", "notice"):
        checklist_update(station=station, item=item, done=True, note="", actor=users["liaison"])
    [card] = scorecards(stations=[station], year=timezone.localdate().year)
    # the same figures as the dashboard's (insights.figures): rated = closed with a rating
    assert card.satisfaction_pct == 50.0
    assert card.on_time_pct == 100.0
    assert card.checklist_pct == round(300 / 7)
    assert card.votes == 0
    assert card.score > 0
    # an empty station has no percentages but a card
    empty = demo["stations"][demo["townships"][3].code][5]
    [blank] = scorecards(stations=[empty], year=timezone.localdate().year)
    assert blank.on_time_pct is None and blank.checklist_pct == 0


def test_a_station_where_nothing_happened_ranks_last(demo, users, make_case):
    # an idle station with its whole checklist in place and all its deputies "taking part"
    # nowhere; a busy one with a poor record
    idle = demo["stations"][demo["townships"][3].code][5]
    busy = demo["cg_hub"]
    for item in ("place", "facilities", "notice", "rules", "ledgers", "funding", "staff"):
        checklist_update(station=idle, item=item, done=True, note="", actor=users["staff"])
    make_case(
        ("accept", {"triage": "general"}),
        ("answer", {"text": "已答复"}),
        ("rate", {"rating": "dissatisfied"}),
        ("answer", {"text": "再次答复"}),
        ("rate", {"rating": "dissatisfied"}),
        "close",
        station=busy,
    )
    cards = scorecards(stations=[idle, busy], year=timezone.localdate().year)
    assert [c.station for c in cards] == [busy, idle]
    assert not cards[1].active and cards[0].active


def test_one_vote_per_person_per_year(demo, users, make_case):
    station = demo["cg_hub"]
    other_station = demo["stations"][demo["townships"][1].code][0]
    # a deputy votes once with their account
    vote_cast(station=station, user=users["deputy"])
    with pytest.raises(DomainError) as exc:
        vote_cast(station=other_station, user=users["deputy"])
    assert exc.value.code == "already_voted"
    # a citizen votes with a tracking code; a second case of the same phone gives no second vote
    first = make_case(phone="13700001111")
    second = make_case(phone="13700001111", text="第二件事")
    vote_cast(station=station, tracking_code=first.tracking_code.lower())
    with pytest.raises(DomainError):
        vote_cast(station=station, tracking_code=second.tracking_code)
    # an unknown code is refused
    with pytest.raises(DomainError) as exc:
        vote_cast(station=station, tracking_code="NOPE-0000")
    assert exc.value.code == "unknown_code"
    # next year the same people vote again
    vote_cast(station=station, user=users["deputy"], year=timezone.localdate().year + 1)
    year = timezone.localdate().year
    this_year = Voter.objects.filter(vote__kind="station_year", vote__year=year)
    assert this_year.count() == 2
    assert Ballot.objects.filter(vote__year=year).count() == 2
    # the register does not say who voted
    keys = list(Voter.objects.values_list("key", flat=True))
    assert all(len(k) == 64 and first.tracking_code not in k for k in keys)


def test_publishing_closes_the_vote_and_shows_the_result(demo, users, make_case):
    station = demo["cg_hub"]
    year = timezone.localdate().year
    vote_cast(station=station, user=users["deputy"])
    with pytest.raises(NotFound):
        station_year_publish(actor=users["liaison"], congress=demo["county_congress"], year=year)
    station_year_publish(actor=users["staff"], congress=demo["county_congress"], year=year)
    with pytest.raises(DomainError) as exc:
        station_year_publish(actor=users["staff"], congress=demo["county_congress"], year=year)
    assert exc.value.code == "already_published"
    case = make_case(phone="13600002222")
    with pytest.raises(DomainError) as exc:
        vote_cast(station=station, tracking_code=case.tracking_code)
    assert exc.value.code == "vote_closed"
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/board/station-of-the-year/").content.decode()
    assert f'data-testid="votes-{station.code}">1<' in page


def test_vote_page_for_citizens_and_throttle(demo, users, make_case, settings):
    case = make_case(phone="13500003333")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/board/station-of-the-year/").content.decode()
    assert 'data-testid="vote-form"' in page
    response = client.post(
        "/board/station-of-the-year/",
        {"station": demo["cg_hub"].code, "tracking_code": case.tracking_code},
    )
    assert response.status_code == 200 and 'data-testid="voted"' in response.content.decode()
    response = client.post(
        "/board/station-of-the-year/",
        {"station": demo["cg_hub"].code, "tracking_code": case.tracking_code},
    )
    assert response.status_code == 400
    assert "already voted" in response.content.decode()
    # ballot stuffing with guessed codes is throttled
    settings.LIANLUO_INTAKE_RATE = "2/m"
    from django.core.cache import cache

    cache.clear()
    codes = [
        client.post(
            "/board/station-of-the-year/",
            {"station": demo["cg_hub"].code, "tracking_code": f"GUESS-{n}"},
        ).status_code
        for n in range(4)
    ]
    assert codes[-1] == 429
    assert Voter.objects.count() == Ballot.objects.count() == 1


def test_scorecard_page_scope(demo, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    page = client.get("/board/station-of-the-year/scorecard/").content.decode()
    assert f'data-testid="card-{demo["cg_hub"].code}"' in page
    assert 'data-testid="card-hk-hub"' not in page
    assert 'data-testid="publish-result"' not in page
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(users["staff"])
    page = staff.get("/board/station-of-the-year/scorecard/").content.decode()
    assert 'data-testid="card-hk-hub"' in page and 'data-testid="publish-result"' in page
    dept = Client()
    dept.force_login(users["dept"])
    assert dept.get("/board/station-of-the-year/scorecard/").status_code == 404


def test_demo_votes(demo, users, make_case):
    from lianluo.demo.seed import seed_board

    make_case(phone="13400004444")
    make_case(phone="13400004444", text="同一人第二件")
    seed_board(demo)
    seed_board(demo)
    assert Voter.objects.filter(key_kind="deputy").count() == 1
    assert Voter.objects.filter(key_kind="citizen").count() == 1


def _rota_today(station, users):
    """Today's reception day of a station, generated with its rota (one deputy on duty)."""
    today = timezone.localdate()
    reception_days_generate(
        actor=users["staff"], station=station, start=today, end=today + timedelta(days=6)
    )
    day = ReceptionDay.objects.get(station=station, date=today)
    assert day.duty.exists()
    return day


def test_a_station_without_records_does_not_outscore_one_with_them(demo, users, make_case):
    station = demo["cg_hub"]
    bare = demo["stations"][demo["townships"][3].code][5]
    with time_machine.travel(WEDNESDAY, tick=False):
        # given a station with one answered, satisfied case, and one with only a place and a
        # deputy on the rota for today's reception (not held yet: no record)
        make_case(
            ("accept", {"triage": "simple"}),
            ("answer_on_spot", {"text": "已解决"}),
            ("follow_up", {"method": "phone", "note": "满意"}),
            ("rate", {"rating": "satisfied"}),
        )
        checklist_update(station=bare, item="place", done=True, note="", actor=users["staff"])
        _rota_today(bare, users)
        cards = scorecards(stations=[bare, station], year=WEDNESDAY.year)
    assert [c.station for c in cards] == [station, bare]
    assert cards[1].participation_pct == 0
    assert cards[1].checklist_pct == 14 and cards[1].score == Decimal("3.5")  # 14 / 4


def test_participation_counts_the_deputies_present_at_a_held_reception(demo, users):
    bare = demo["stations"][demo["townships"][3].code][5]
    members = list(bare.memberships.values_list("deputy_id", flat=True))
    with time_machine.travel(WEDNESDAY, tick=False):
        # given today's reception with a deputy on the rota: planned, not yet participation
        day = _rota_today(bare, users)
        [card] = scorecards(stations=[bare], year=WEDNESDAY.year)
        assert card.participation_pct == 0 and card.receptions == 0
        # when the day is held and its record names one member present
        present = day.duty.first().deputy
        reception_record_save(
            actor=users["staff"], day=day, deputies_present=[present], citizens_received=4
        )
        [card] = scorecards(stations=[bare], year=WEDNESDAY.year)
    # then that member took part
    assert card.receptions == 1
    assert card.participation_pct == round(100 / len(members))
