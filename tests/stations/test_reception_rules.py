"""Reception rules → reception days: month ends, the 31st in short months, weekdays, market
days, holidays listed by the congress (and those above it), idempotent generation, and the
fairness of the rotation over a year."""

from __future__ import annotations

from collections import Counter
from datetime import date, time

import pytest

from lianluo.core.errors import DomainError
from lianluo.core.models import Congress, Holiday
from lianluo.deputies.models import Unavailability
from lianluo.stations.models import Duty, ReceptionDay
from lianluo.stations.rules import (
    RuleValueError,
    Slot,
    parse_market_days,
    parse_month_days,
    rotate,
    rule_dates,
)
from lianluo.stations.services import reception_days_generate, reception_rule_save
from tests.factories.stations import on, station_with_deputies

# The story is set on fixed days (time_machine) next to the days the demo generates from
# "today": the demo is built on the day the story was written for, whatever --clock says.
pytestmark = pytest.mark.clock("2026-12-02T10:00")


@pytest.fixture
def station7(demo):
    """A station under the 城关 hub with seven deputies and no rules yet."""
    station, deputies = station_with_deputies(
        demo,
        code="test-rota",
        name="城关测试联络站",
        address="城关镇测试路8号",
        deputies=7,
        deputy_code="rota",
        deputy_name="轮值代表",
    )
    return station, deputies


# ---- pure date arithmetic -------------------------------------------------------------------


def test_every_6th_gives_the_6th_16th_and_26th_of_every_month():
    # given the rule 逢6 over the year 2027
    # when its dates are computed
    days = rule_dates(
        kind="month_days", values=[6, 16, 26], start=date(2027, 1, 1), end=date(2027, 12, 31)
    )
    # then there are three per month, on those days only
    assert len(days) == 36
    assert {d.day for d in days} == {6, 16, 26}
    assert Counter(d.month for d in days) == {m: 3 for m in range(1, 13)}


def test_the_31st_is_skipped_in_months_that_do_not_have_it():
    # given a rule on the 31st
    days = rule_dates(
        kind="month_days", values=[31], start=date(2027, 1, 1), end=date(2027, 12, 31)
    )
    # then only the seven long months have a day, and it is never moved to the 30th
    assert [d.month for d in days] == [1, 3, 5, 7, 8, 10, 12]
    assert all(d.day == 31 for d in days)


def test_february_has_its_29th_only_in_a_leap_year():
    def feb(year: int) -> list[date]:
        return rule_dates(
            kind="month_days",
            values=[28, 29, 30],
            start=date(year, 2, 1),
            end=date(year, 2, 28 if year % 4 else 29),
        )

    assert feb(2027) == [date(2027, 2, 28)]
    assert feb(2028) == [date(2028, 2, 28), date(2028, 2, 29)]


def test_a_period_starting_and_ending_mid_month_keeps_only_days_inside_it():
    days = rule_dates(
        kind="month_days", values=[6, 16, 26], start=date(2027, 1, 7), end=date(2027, 3, 16)
    )
    assert days[0] == date(2027, 1, 16) and days[-1] == date(2027, 3, 16)
    assert len(days) == 7


def test_weekdays_and_listed_market_days():
    # every Wednesday (Monday = 0) of January 2027
    wednesdays = rule_dates(
        kind="weekdays", values=[2], start=date(2027, 1, 1), end=date(2027, 1, 31)
    )
    assert [d.day for d in wednesdays] == [6, 13, 20, 27]
    # market days: only the listed dates inside the period, in order
    market = rule_dates(
        kind="market_days",
        values=["2027-01-20", "2027-01-03", "2027-02-15"],
        start=date(2027, 1, 1),
        end=date(2027, 1, 31),
    )
    assert market == [date(2027, 1, 3), date(2027, 1, 20)]


def test_validity_and_skipped_days_are_respected():
    days = rule_dates(
        kind="month_days",
        values=[15],
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
        valid_from=date(2027, 3, 1),
        valid_until=date(2027, 6, 30),
        skip=[date(2027, 5, 15)],
    )
    assert days == [date(2027, 3, 15), date(2027, 4, 15), date(2027, 6, 15)]


def test_rule_values_are_read_from_what_people_type():
    assert parse_month_days("6、16，26") == [6, 16, 26]
    assert parse_market_days("2027-01-20\n2027-01-03") == ["2027-01-03", "2027-01-20"]
    for bad in ["0", "32", "六", ""]:
        with pytest.raises(RuleValueError):
            parse_month_days(bad)
    with pytest.raises(RuleValueError):
        parse_market_days("2027-02-30")


def test_rotation_starts_with_whoever_had_fewest_duties_and_skips_the_unavailable():
    slots = [Slot(key=i, day=date(2027, 1, 6 + 10 * i), needed=2) for i in range(3)]
    # given deputy 1 has had three duties and deputy 2 is away on the first day
    chosen = rotate(
        slots=slots,
        deputies=[1, 2, 3, 4],
        counts={1: 3},
        unavailable=lambda d, day: d == 2 and day == date(2027, 1, 6),
    )
    # then the first day goes to 3 and 4, the second to 2 (now fewest) and then 3 (longest
    # since a duty among those with one), and deputy 1 waits for the others to catch up
    assert chosen[0] == [3, 4]
    assert chosen[1] == [2, 3]
    assert chosen[2] == [4, 2]


# ---- generation through the service ----------------------------------------------------------


def _rule(staff, station, **kw):
    defaults = {
        "kind": "month_days",
        "values": [6, 16, 26],
        "start": time(9),
        "end": time(12),
        "deputies_per_day": 2,
    }
    return reception_rule_save(actor=staff, station=station, **{**defaults, **kw})


def test_holidays_of_the_congress_and_of_those_above_it_are_skipped(station7, users, demo):
    station, _deputies = station7
    staff = users["staff"]
    _rule(staff, station)
    township = station.congress
    county = demo["county_congress"]
    city = Congress.objects.get(area__code="430300000000")
    sibling = Congress.objects.get(area__code="430399101000")  # 河口镇: not above this station
    Holiday.objects.create(congress=township, date=date(2027, 3, 6), name="镇庆")
    Holiday.objects.create(congress=city, date=date(2027, 3, 16), name="市节")
    Holiday.objects.create(congress=sibling, date=date(2027, 3, 26), name="别镇节日")
    with on(2026, 12, 20):
        # when January–March 2027 is generated
        result = reception_days_generate(
            actor=staff, station=station, start=date(2027, 1, 1), end=date(2027, 3, 31)
        )
    # then the county's 春节 days (demo: 2027-02-06, 2027-02-16), the township's and the city's
    # holidays are skipped, and a sibling township's holiday is not
    made = sorted(d.date for d in result.created)
    for skipped in ["2027-02-06", "2027-02-16", "2027-03-06", "2027-03-16"]:
        assert date.fromisoformat(skipped) not in made
        assert date.fromisoformat(skipped) in result.holidays
    assert date(2027, 3, 26) in made
    assert len(made) == 9 - 4
    assert county.holidays.filter(date=date(2027, 2, 6)).exists()


def test_generation_is_idempotent_and_makes_drafts(station7, users):
    station, _deputies = station7
    staff = users["staff"]
    _rule(staff, station)
    with on(2026, 12, 20):
        first = reception_days_generate(
            actor=staff, station=station, start=date(2027, 3, 1), end=date(2027, 5, 31)
        )
        # when the same period (and a wider one) is generated again
        again = reception_days_generate(
            actor=staff, station=station, start=date(2027, 3, 1), end=date(2027, 5, 31)
        )
        wider = reception_days_generate(
            actor=staff, station=station, start=date(2027, 3, 1), end=date(2027, 6, 30)
        )
    # then nothing is duplicated: only June's three days are new
    assert len(first.created) == 9 and first.existing == 0
    assert len(again.created) == 0 and again.existing == 9
    assert len(wider.created) == 3 and wider.existing == 9
    days = ReceptionDay.objects.filter(station=station)
    assert days.count() == 12
    assert set(days.values_list("status", flat=True)) == {"draft"}
    assert Duty.objects.filter(reception_day__station=station).count() == 12 * 2


def test_signup_rules_generate_days_without_deputies(station7, users):
    station, _deputies = station7
    _rule(users["staff"], station, kind="weekdays", values=[2], assignment="signup")
    with on(2026, 12, 20):
        result = reception_days_generate(
            actor=users["staff"], station=station, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
    assert len(result.created) == 4
    assert not Duty.objects.filter(reception_day__station=station).exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 12, 19), date(2027, 1, 31), "start"),  # before today
        (date(2027, 2, 1), date(2027, 1, 31), "end"),  # end before start
        (date(2027, 1, 1), date(2028, 1, 5), "end"),  # more than a year
    ],
)
def test_generation_refuses_a_bad_period(station7, users, start, end, field):
    station, _deputies = station7
    _rule(users["staff"], station)
    with on(2026, 12, 20), pytest.raises(DomainError) as refused:
        reception_days_generate(actor=users["staff"], station=station, start=start, end=end)
    assert refused.value.code == "invalid_period"
    assert refused.value.field == field
    assert not ReceptionDay.objects.filter(station=station).exists()


def test_an_officer_of_another_station_cannot_generate(station7, users):
    station, _deputies = station7
    _rule(users["staff"], station)
    with on(2026, 12, 20), pytest.raises(DomainError) as refused:
        reception_days_generate(
            actor=users["other"], station=station, start=date(2027, 1, 1), end=date(2027, 1, 31)
        )
    assert refused.value.status == 404
    assert not ReceptionDay.objects.filter(station=station).exists()


def test_rotation_is_fair_over_a_year_of_every_6th(station7, users):
    # given seven deputies, two on duty on every 6th/16th/26th, and one of them away for a
    # month in spring
    station, deputies = station7
    staff = users["staff"]
    _rule(staff, station)
    Unavailability.objects.create(
        deputy=deputies[3], start=date(2027, 4, 1), end=date(2027, 4, 30), reason="外出学习"
    )
    # when the year is generated one quarter at a time, as an officer does
    quarters = [
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 9, 30)),
        (date(2027, 10, 1), date(2027, 12, 31)),
    ]
    with on(2026, 12, 20):
        for start, end in quarters:
            reception_days_generate(actor=staff, station=station, start=start, end=end)
    # then every day has two deputies, the one away has no April duty, and over the year the
    # counts differ by at most one (the holidays 2027-02-06, -02-16, -05-01… are skipped)
    days = ReceptionDay.objects.filter(station=station)
    assert days.count() == 36 - 2  # 春节 on the 6th and 16th of February
    duties = Duty.objects.filter(reception_day__station=station)
    assert all(n == 2 for n in Counter(duties.values_list("reception_day", flat=True)).values())
    assert not duties.filter(deputy=deputies[3], reception_day__date__month=4).exists()
    counts = Counter(duties.values_list("deputy_id", flat=True))
    assert set(counts) == {d.pk for d in deputies}
    assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_congress_staff_list_a_holiday_on_the_page_and_generation_skips_it(station7, users):
    from django.test import Client

    station, _deputies = station7
    _rule(users["staff"], station)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with on(2026, 12, 20):
        client.force_login(users["staff"])
        # when county staff list 2027-03-16 as a holiday of the township's congress
        response = client.post(
            "/reception/holidays/",
            {"congress": station.congress.pk, "date": "2027-03-16", "name": "镇庆日"},
        )
        assert response.status_code == 302
        page = client.get("/reception/holidays/").content.decode()
        result = reception_days_generate(
            actor=users["staff"], station=station, start=date(2027, 3, 1), end=date(2027, 3, 31)
        )
    # then it is listed and no reception day is generated on it
    assert "2027-03-16" in page and "镇庆日" in page
    assert [d.date.day for d in result.created] == [6, 26]
    assert result.holidays == {date(2027, 3, 16): "镇庆日"}


@pytest.mark.parametrize("username", ["liaison", "leader", "deputy"])
def test_only_congress_staff_list_holidays(demo, users, username):
    from django.test import Client

    client = Client()
    client.force_login(users[username])
    before = Holiday.objects.count()
    assert client.get("/reception/holidays/").status_code == 404
    response = client.post(
        "/reception/holidays/",
        {"congress": demo["county_congress"].pk, "date": "2027-03-16", "name": "x"},
    )
    assert response.status_code == 404
    holiday = Holiday.objects.first()
    assert client.post(f"/reception/holidays/{holiday.pk}/delete/").status_code == 404
    assert Holiday.objects.count() == before
