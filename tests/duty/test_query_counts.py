"""The points pages' round trips are pinned: the ranking page and a deputy's archive page run
the same number of SQL queries whatever the number of deputies ranked and of entries in the
ledger (issue 13). A change that adds a query per deputy or per entry fails here."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.core.models import Congress, User
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.selectors import ranking
from lianluo.duty.services import catalog_install_default, points_reverse, points_self_report
from tests.factories.duty import sector_year

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Round trips of each page (session, user, roles, notifications included): the ranking of
# an officer's station, of a congress chosen by its staff; a deputy's archive.
STATION_RANKING_PAGE = 8
CONGRESS_RANKING_PAGE = 9
ARCHIVE_PAGE = 19
RANKING = 2


@pytest.fixture
def world(demo, users):
    """On 15 June 2026: the 城关 east sector station, its officer, dep-005 (with a login) and
    its 2026 catalog with a reception and a training; the county (28 deputies) and its 2026
    catalog."""
    with time_machine.travel(NOW, tick=False):
        county = Congress.objects.get(area__code="430399000000")
        catalog_install_default(congress=county, year=2026, actor=None)
        yield {**demo, **users, **sector_year(training_note="代表履职培训"), "county": county}


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def long_year(deputies: list[Deputy], *, per_deputy: int) -> None:
    """A busy ledger: `per_deputy` entries of 2026 for each deputy (of every status, over the
    items of their congress's catalog), as a year of work leaves it."""
    items = list(DutyItem.objects.filter(year=2026, auto_event="").order_by("pk"))
    by_congress: dict[int, list[DutyItem]] = {}
    for item in items:
        by_congress.setdefault(item.congress_id, []).append(item)
    any_items = next(iter(by_congress.values()))
    rows = []
    for d in deputies:
        congress_ids = set(d.mandates.values_list("congress_id", flat=True))
        mine = next((v for k, v in by_congress.items() if k in congress_ids), any_items)
        for n in range(per_deputy):
            item = mine[n % len(mine)]
            rows.append(
                PointEntry(
                    deputy=d,
                    item=item,
                    year=2026,
                    occurred_on=date(2026, 1, 1) + timedelta(days=n % 160),
                    points=item.points,
                    source=EntrySource.REGISTERED,
                    status=EntryStatus.PENDING if n % 11 == 0 else EntryStatus.APPROVED,
                    note=f"记录{n}",
                )
            )
    PointEntry.objects.bulk_create(rows)


def test_the_ranking_page_runs_the_same_queries_for_3_or_28_deputies_and_any_ledger(
    world, django_assert_num_queries
):
    officer, staff, county = world["officer"], world["staff"], world["county"]
    d1, d2, d3 = world["deputies"]
    station_page = browser(officer)
    county_page = browser(staff)
    county_deputies = list(Deputy.objects.filter(mandates__congress=county, mandates__active=True))
    assert len(county_deputies) == 28

    # A small ledger: the station's three deputies, then the county's
    with django_assert_num_queries(STATION_RANKING_PAGE):
        small = station_page.get("/points/?year=2026")
    assert f'data-testid="points-{d1.code}">5<' in small.content.decode()
    with django_assert_num_queries(CONGRESS_RANKING_PAGE):
        page = county_page.get(f"/points/?year=2026&congress={county.pk}")
    assert page.status_code == 200

    # A long year: 40 entries for each of them (28 + 3 deputies)
    long_year([d1, d2, d3, *county_deputies], per_deputy=40)
    with django_assert_num_queries(STATION_RANKING_PAGE):
        big = station_page.get("/points/?year=2026").content.decode()
    assert f'data-testid="points-{d2.code}">0<' not in big  # d2 has points now
    with django_assert_num_queries(CONGRESS_RANKING_PAGE):
        page = county_page.get(f"/points/?year=2026&congress={county.pk}")
    shown = page.content.decode()
    assert all(f'data-testid="points-{d.code}"' in shown for d in county_deputies)

    # The selector alone: the deputies, then one aggregate
    with django_assert_num_queries(RANKING):
        rows = ranking(year=2026, congress=county)
    assert len(rows) == len(county_deputies) and rows[0].points >= rows[-1].points


def test_the_archive_page_runs_the_same_queries_for_2_or_200_entries(
    world, django_assert_num_queries
):
    d1 = world["deputies"][0]
    officer, me, items = world["officer"], world["me"], world["items"]
    page = browser(officer)
    url = f"/points/deputies/{d1.code}/?year=2026"

    with django_assert_num_queries(ARCHIVE_PAGE):
        small = page.get(url).content.decode()
    assert 'data-testid="points-total">5<' in small
    assert 'data-testid="all-entries"' not in small

    # A long year: 200 entries more, a pending self-report and a reversal
    long_year([d1], per_deputy=200)
    points_self_report(actor=me, item=items["research"], occurred_on=date(2026, 6, 1), note="调研")
    training = PointEntry.objects.get(deputy=d1, note="代表履职培训")
    points_reverse(actor=officer, entry=training, reason="登记错误")
    with django_assert_num_queries(ARCHIVE_PAGE):
        response = page.get(url)
    big = response.content.decode()
    # 204 entries of the year: the latest 50 shown, a link to the 154 others
    assert big.count('data-testid="entry-status"') == 50 and response.context["hidden"] == 154
    assert 'data-testid="all-entries"' in big and 'data-testid="pending-note"' in big
    assert 'data-testid="points-total">3<' not in big  # the long year counts
    with django_assert_num_queries(ARCHIVE_PAGE):
        every = page.get(url + "&all=1").content.decode()
    assert every.count('data-testid="entry-status"') == 204
