"""Working days (core/workdays.py): China's 2026 holidays and make-up workdays (调休) from the
library, a congress's own days over them (each way, the nearest congress winning), month ends,
deadlines pushed past days off, and a year the library does not know. Every date is given: no
test reads the clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lianluo.core import workdays
from lianluo.core.calendar import holidays_between
from lianluo.core.models import Area, Congress, Holiday
from lianluo.core.workdays import (
    add_months,
    add_working_days,
    deadline_in_months,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = date.fromisoformat


@pytest.fixture
def congresses(db) -> dict[str, Congress]:
    """A county with two townships below it."""
    county_area = Area.objects.create(code="439901000000", name="测试县", level="county")
    made = {"county": Congress.objects.create(area=county_area, name="测试县人大")}
    for key, code in [("east", "439901101000"), ("west", "439901102000")]:
        area = Area.objects.create(code=code, name=key, level="township", parent=county_area)
        made[key] = Congress.objects.create(area=area, name=f"{key}镇人大")
    return {k: Congress.objects.select_related("area").get(pk=c.pk) for k, c in made.items()}


def listed(congress: Congress, iso: str, name: str, *, workday: bool = False) -> None:
    Holiday.objects.create(congress=congress, date=D(iso), name=name, workday=workday)


# ---- the national calendar (no congress) ------------------------------------------------------


@pytest.mark.parametrize(
    "iso",
    # 春节 2026: 2-15 (Sun) to 2-23 (Mon) off; 国庆/中秋 2026: 10-1 to 10-7 off
    ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-20", "2026-02-23"]
    + ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-07", "2026-01-01", "2026-05-05"],
)
def test_the_days_off_of_2026_are_not_working_days(iso):
    assert not is_working_day(D(iso))


@pytest.mark.parametrize(
    "iso",
    # the make-up weekend workdays of 2026 (元旦 1-4 Sun, 春节 2-14 and 2-28 Sat, 劳动节 5-9 Sat,
    # 国庆 9-20 Sun and 10-10 Sat), and the first ordinary days after the holidays
    ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    + ["2026-02-24", "2026-10-08"],
)
def test_the_make_up_workdays_of_2026_are_working_days(iso):
    assert is_working_day(D(iso))


def test_a_saturday_that_is_a_make_up_workday_counts_and_an_ordinary_one_does_not():
    # given two Saturdays: 2026-02-14 (调休上班 before 春节) and 2026-03-07
    assert D("2026-02-14").weekday() == D("2026-03-07").weekday() == 5
    assert is_working_day(D("2026-02-14"))
    assert not is_working_day(D("2026-03-07"))


def test_working_days_across_the_spring_festival():
    # from Friday 2026-02-13: the 1st is Saturday 2-14 (调休), the 2nd Tuesday 2-24
    assert add_working_days(D("2026-02-13"), 0) == D("2026-02-13")
    assert add_working_days(D("2026-02-13"), 1) == D("2026-02-14")
    assert add_working_days(D("2026-02-13"), 2) == D("2026-02-24")
    # (2-13, 2-28]: 2-14, 2-24 … 2-27, 2-28 (调休)
    assert working_days_between(D("2026-02-13"), D("2026-02-28")) == 6
    assert working_days_between(D("2026-02-28"), D("2026-02-13")) == 0


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D("2026-03-02"), -1)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),  # leap year
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2026-03-15", 3, "2026-06-15"),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(start, months, expected):
    assert add_months(D(start), months) == D(expected)


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day():
    # three months from 2026-07-01 is 国庆 (10-1): the deadline is Thursday 10-8
    assert deadline_in_months(D("2026-07-01"), 3) == D("2026-10-08")
    # three months from 2026-11-30 is Sunday 2027-02-28: Monday 3-1
    assert deadline_in_months(D("2026-11-30"), 3) == D("2027-03-01")
    # a working day stays
    assert deadline_in_months(D("2026-03-16"), 6) == D("2026-09-16")
    assert next_working_day(D("2026-09-16")) == D("2026-09-16")


def test_a_year_whose_make_up_days_the_library_does_not_know_still_has_its_holidays():
    # 2027's 调休 is not in the library yet; its statutory 春节 days are
    assert not is_working_day(D("2027-02-08"))
    assert is_working_day(D("2027-02-11"))


@pytest.mark.parametrize("year", [1900, 2150])
def test_a_year_the_library_does_not_know_falls_back_to_monday_to_friday(year):
    monday = next(d for d in (date(year, 1, n) for n in range(2, 9)) if d.weekday() == 0)
    saturday = date(year, 1, monday.day + 5)
    assert is_working_day(monday) and not is_working_day(saturday)
    assert add_working_days(monday, 5) == date(year, 1, monday.day + 7)
    assert next_working_day(saturday) == date(year, 1, monday.day + 7)


def test_a_library_that_refuses_a_year_is_monday_to_friday(monkeypatch):
    def refuse(*args, **kwargs):
        raise NotImplementedError("no data")

    import holidays  # workdays imports it where it is used, so the module's attribute counts

    workdays._national.cache_clear()
    monkeypatch.setattr(holidays, "country_holidays", refuse)
    try:
        # 2026-10-01 is a Thursday: a working day when nothing is known
        assert is_working_day(D("2026-10-01"))
        assert not is_working_day(D("2026-10-10"))
    finally:
        workdays._national.cache_clear()


# ---- a congress's own days ----------------------------------------------------------------------


def test_a_congress_lists_a_holiday_and_a_make_up_workday(congresses):
    east = congresses["east"]
    # given east lists Monday 2026-03-02 as a holiday and Saturday 2026-03-07 as a workday
    listed(east, "2026-03-02", "镇庆")
    listed(east, "2026-03-07", "调休", workday=True)
    # then for east they are turned around
    assert not is_working_day(D("2026-03-02"), congress=east)
    assert is_working_day(D("2026-03-07"), congress=east)
    # and a congress's own day counts over the national calendar too (国庆 10-2 as a workday)
    listed(east, "2026-10-02", "值班", workday=True)
    assert is_working_day(D("2026-10-02"), congress=east)
    assert add_working_days(D("2026-02-27"), 2, congress=east) == D("2026-03-03")
    assert working_days_between(D("2026-03-01"), D("2026-03-08"), congress=east) == 5
    # and the deadline that would land on east's holiday moves to the day after it
    assert deadline_in_months(D("2025-12-02"), 3, congress=east) == D("2026-03-03")


def test_one_congresss_days_do_not_affect_another(congresses):
    east, west, county = congresses["east"], congresses["west"], congresses["county"]
    listed(east, "2026-03-02", "镇庆")
    listed(east, "2026-03-07", "调休", workday=True)
    for other in (west, county, None):
        assert is_working_day(D("2026-03-02"), congress=other)
        assert not is_working_day(D("2026-03-07"), congress=other)
    assert deadline_in_months(D("2025-12-02"), 3, congress=west) == D("2026-03-02")


def test_the_days_of_a_congress_above_apply_below_and_the_nearest_wins(congresses):
    east, west, county = congresses["east"], congresses["west"], congresses["county"]
    # given the county lists Monday 2026-03-09 as a holiday, and east lists it as a workday
    listed(county, "2026-03-09", "县庆")
    listed(east, "2026-03-09", "照常上班", workday=True)
    # then it is a day off for the county and for west, and a working day for east
    assert not is_working_day(D("2026-03-09"), congress=county)
    assert not is_working_day(D("2026-03-09"), congress=west)
    assert is_working_day(D("2026-03-09"), congress=east)
    # and reception days skip it at west's stations, not at east's
    assert holidays_between(congress=west, start=D("2026-03-01"), end=D("2026-03-31")) == {
        D("2026-03-09"): "县庆"
    }
    assert holidays_between(congress=east, start=D("2026-03-01"), end=D("2026-03-31")) == {}


def test_a_make_up_workday_is_not_a_holiday_for_reception_days(congresses):
    county = congresses["county"]
    listed(county, "2026-03-07", "调休", workday=True)
    listed(county, "2026-03-16", "县庆")
    found = holidays_between(congress=county, start=D("2026-03-01"), end=D("2026-03-31"))
    assert found == {D("2026-03-16"): "县庆"}


def test_a_congresss_days_are_loaded_once_per_call(congresses, django_assert_num_queries):
    east = congresses["east"]
    listed(congresses["county"], "2026-03-09", "县庆")
    listed(east, "2026-03-07", "调休", workday=True)
    with django_assert_num_queries(1):
        # 60 working days from 2026-02-01, across 春节 and the county's holiday
        day = add_working_days(D("2026-02-01"), 60, congress=east)
    with django_assert_num_queries(1):
        count = working_days_between(D("2026-02-01"), day, congress=east)
    assert count == 60
    with django_assert_num_queries(1):
        deadline_in_months(D("2026-07-01"), 3, congress=east)


def test_staff_list_a_make_up_workday_on_the_holidays_page(demo, users):
    from django.test import Client

    county = demo["county_congress"]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["staff"])
    # a Saturday ahead of the (pinned) clock: the page lists the days to come
    today = timezone.localdate()
    saturday = today + timedelta(days=7 + (5 - today.weekday()) % 7)
    # when county staff list that Saturday as a make-up workday
    response = client.post(
        "/reception/holidays/",
        {"congress": county.pk, "date": saturday.isoformat(), "name": "春节调休", "workday": "on"},
    )
    assert response.status_code == 302
    page = client.get("/reception/holidays/").content.decode()
    # then it is stored and shown as one, it counts as a working day, and it is no holiday
    assert county.holidays.get(date=saturday).workday
    assert "春节调休" in page and 'data-testid="workday">调休上班<' in page
    assert is_working_day(saturday, congress=county)
    assert saturday not in holidays_between(
        congress=county, start=saturday - timedelta(days=6), end=saturday
    )
