"""The dashboard (统计分析), the records behind its figures and the big screen, as their users
see them: the numbers on the page are figures_of's for the same target and period, each beside
the previous period's; scope decides who sees what; every figure links to records as many as it
counts; rates with nothing to divide read "—"; bad dates come back as the form's error."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lianluo.cases.models import Case
from lianluo.cases.states import Channel
from lianluo.insights.dashboard import CASE_ROWS, CHANNEL_ROWS, RATING_ROWS, WORK_ROWS, value_of
from lianluo.insights.figures import Period, Target, figures_of
from tests.factories.cases import case_walk

pytestmark = pytest.mark.clock("2027-03-20T10:00")

SH = ZoneInfo("Asia/Shanghai")
MARCH = Period.month(2027, 3)
FEBRUARY = Period.month(2027, 2)
MARCH_Q = {"from": "2027-03-01", "to": "2027-03-31"}


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def on(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.combine(date.fromisoformat(day), time(hour), tzinfo=SH), tick=False
    )


@pytest.fixture
def world(demo, users, make_case):
    """February: one case received. March: four at the 城关 hub (one closed satisfied, one
    answered on the spot and closed basically satisfied, one open, one by station QR code)."""
    staff = users["staff"]

    def case(day: str, *steps, **fields) -> Case:
        with on(day):
            return make_case(*steps, **fields)

    def walk(c: Case, day: str, *steps) -> None:
        with on(day):
            case_walk(Case.objects.get(pk=c.pk), *steps, actor=staff)

    case("2027-02-10")
    a = case("2027-03-02", ("accept", {"triage": "general"}), name="张三丰", phone="13912345678")
    walk(a, "2027-03-05", ("answer", {"text": "已修好"}), ("follow_up", {"method": "phone"}))
    walk(a, "2027-03-06", ("rate", {"rating": "satisfied"}), "close")
    b = case("2027-03-03", ("accept", {"triage": "simple"}))
    walk(b, "2027-03-03", ("answer_on_spot", {"text": "当场答复"}))
    walk(b, "2027-03-04", ("follow_up", {"method": "phone"}))
    walk(b, "2027-03-04", ("rate", {"rating": "basically_satisfied"}), "close")
    case("2027-03-08", ("accept", {"triage": "general"}))
    case("2027-03-09", channel=Channel.STATION_QR)
    return {"staff": staff}


def client(user, language: str = "zh-hans") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def shown(html: str, name: str) -> str:
    """The value the page shows for a figure (its first link)."""
    m = re.search(rf'data-testid="fig-{name}">([^<]*)<', html)
    assert m, f"figure {name} is not on the page"
    return m.group(1).strip()


def test_the_page_shows_figures_of_for_the_same_target_and_period(demo, users, world):
    county = Target(area=demo["county"])
    response = client(users["staff"]).get(
        reverse("insights:dashboard"), {"scope": county.code, **MARCH_Q}
    )
    assert response.status_code == 200
    html = response.content.decode()
    f = figures_of(target=county, period=MARCH)
    assert f.received == 4 and f.closed == 2 and f.answered_on_spot == 1
    for name in (*CASE_ROWS, *CHANNEL_ROWS, *RATING_ROWS, *WORK_ROWS, "suggestions_formed"):
        assert shown(html, name) == str(value_of(f, name)), name
    assert shown(html, "satisfaction_rate") == "100.0 %"
    assert shown(html, "closure_rate") == f"{f.closure_rate} %"
    # the rates' definitions are written next to them
    assert "满意率" in html or "Satisfaction rate" in html
    assert 'data-testid="def-satisfaction_rate"' in html
    # the charts' numbers are on the page too (the trend table and the JSON the charts draw)
    assert 'id="insights-data"' in html and "2027-03-02" in html


def test_each_figure_is_compared_with_the_previous_period(demo, users, world):
    html = (
        client(users["staff"], "en")
        .get(reverse("insights:dashboard"), {"scope": demo["county"].code, **MARCH_Q})
        .content.decode()
    )
    assert "compared with 2027-02-01 to 2027-02-28" in html
    change = re.search(r'data-testid="change-received">(.*?)</p>', html, re.S).group(1)
    # February had 1, March has 4: the arrow and the words say it, not colour alone
    assert "Previous period: 1" in change and "▲" in change and "up 3" in change
    # the rate from nothing in February: no comparison
    change = re.search(r'data-testid="change-satisfaction_rate">(.*?)</p>', html, re.S).group(1)
    assert "—" in change and "no comparison" in change


def test_presets_give_whole_periods(demo, users, world):
    c = client(users["staff"], "en")
    html = c.get(reverse("insights:dashboard"), {"period": "this_month"}).content.decode()
    assert "From 2027-03-01 to 2027-03-31, compared with 2027-02-01 to 2027-02-28" in html
    assert shown(html, "received") == "4"
    html = c.get(reverse("insights:dashboard"), {"period": "last_month"}).content.decode()
    assert "From 2027-02-01 to 2027-02-28" in html and shown(html, "received") == "1"
    html = c.get(reverse("insights:dashboard")).content.decode()  # this year by default
    assert "From 2027-01-01 to 2027-12-31, compared with 2026-01-01" in html
    assert shown(html, "received") == "5"


def test_scope(demo, users, world):
    url = reverse("insights:dashboard")
    county, hub = demo["county"].code, demo["cg_hub"].code
    # the liaison officer: their station, not the county
    assert client(users["liaison"]).get(url, {"scope": county}).status_code == 403
    response = client(users["liaison"]).get(url, MARCH_Q)
    assert response.status_code == 200 and shown(response.content.decode(), "received") == "4"
    # a deputy: the stations they are grouped into, nothing else
    deputy = demo["deputy"]
    theirs = {s.code for s in deputy.stations.all()}
    assert hub in theirs
    assert client(users["deputy"]).get(url, {"scope": hub}).status_code == 200
    assert client(users["deputy"]).get(url, {"scope": county}).status_code == 403
    other = next(s for s in demo["all_stations"] if s.code not in theirs)
    assert client(users["deputy"]).get(url, {"scope": other.code}).status_code == 403
    # a department's handler has none; strangers sign in first
    assert client(users["dept"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert client(users["staff"]).get(url, {"scope": "nowhere"}).status_code == 404
    # the header links to the dashboard for those who have one
    home = client(users["staff"]).get(reverse("home")).content.decode()
    assert 'data-testid="insights-link"' in home
    assert 'data-testid="insights-link"' not in client(users["dept"]).get("/").content.decode()


def test_drill_down_from_the_county_to_a_station_and_its_case_list(demo, users, world):
    c = client(users["staff"])
    url = reverse("insights:dashboard")
    county = c.get(url, {"scope": demo["county"].code, **MARCH_Q}).content.decode()
    township = demo["cg_hub"].area
    while township.parent_id != demo["county"].pk:
        township = township.parent
    link = re.search(rf'href="([^"]+)" data-testid="child-{township.code}"', county)
    assert link, "the county's table links to its townships"
    page = c.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "2027-03-01" in page  # the period goes along
    hub = demo["cg_hub"]
    link = re.search(rf'href="([^"]+)" data-testid="child-{hub.code}"', page)
    assert link, "the township's table links to its stations"
    station = c.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f"{reverse('cases:ledger')}?station={hub.code}" in station
    # the breadcrumb leads back up to the county (the staff's top)
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', station, re.S).group(0)
    assert demo["county"].name in crumbs and township.name in crumbs
    assert 'aria-current="page">' + hub.name in crumbs
    # the township's row shows the township's figures
    row = re.search(rf'data-testid="child-{township.code}".*?</tr>', county, re.S).group(0)
    assert f"<td>{figures_of(target=Target(area=township), period=MARCH).received}</td>" in row


@pytest.mark.parametrize(
    "figure",
    ["received", "closed", "accepted", "answered_on_spot", "channel_station_qr", "overdue"],
)
def test_the_records_are_as_many_as_the_figure(demo, users, world, figure):
    county = Target(area=demo["county"])
    response = client(users["staff"], "en").get(
        reverse("insights:records"), {"figure": figure, "scope": county.code, **MARCH_Q}
    )
    assert response.status_code == 200
    html = response.content.decode()
    n = value_of(figures_of(target=county, period=MARCH), figure)
    count = re.search(r'data-testid="records-count">(.*?)</p>', html, re.S)
    assert count and count.group(1).startswith(f"{n} record"), count and count.group(1)
    assert html.count('<td data-testid="citizen">') == n


def test_records_mask_personal_data_and_link_to_the_case(demo, users, world):
    html = (
        client(users["staff"])
        .get(
            reverse("insights:records"),
            {"figure": "closed", "scope": demo["county"].code, **MARCH_Q},
        )
        .content.decode()
    )
    assert "张**" in html and "张三丰" not in html
    assert "13912345678" not in html and "5678" not in html
    number = Case.objects.get(citizen_name="张三丰").number
    assert reverse("cases:detail", args=[number]) in html


def test_the_records_of_every_linked_figure_open(demo, users, world):
    html = (
        client(users["staff"])
        .get(reverse("insights:dashboard"), {"scope": demo["cg_hub"].code, **MARCH_Q})
        .content.decode()
    )
    links = set(re.findall(r'href="(/insights/records/[^"]+)"', html))
    assert len(links) > 20
    for link in links:
        assert client(users["staff"]).get(link.replace("&amp;", "&")).status_code == 200, link
    assert (
        client(users["staff"]).get(reverse("insights:records"), {"figure": "nope"}).status_code
        == 404
    )


def test_rates_with_nothing_to_divide_show_a_dash(demo, users, world):
    html = (
        client(users["staff"])
        .get(
            reverse("insights:dashboard"),
            {"scope": demo["cg_hub"].code, "from": "2026-01-01", "to": "2026-01-31"},
        )
        .content.decode()
    )
    for name in ("closure_rate", "on_time_rate", "satisfaction_rate"):
        assert shown(html, name) == "—"
    # a rate with something to divide is a number, 0.0 % included: the deputies took no part
    assert shown(html, "participation_rate") == "0.0 %"


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"from": "2027-13-01"}, "from", "YYYY-MM-DD"),
        ({"from": "2027-03-10", "to": "2027-03-01"}, "to", "ends before"),
        ({"from": "1990-01-01", "to": "1990-02-01"}, "from", "out of range"),
    ],
)
def test_bad_dates_come_back_as_the_form_error(demo, users, world, query, field, words):
    for url in (reverse("insights:dashboard"), reverse("insights:screen")):
        response = client(users["staff"], "en").get(url, query)
        assert response.status_code == 400
        assert words in response.content.decode()
    html = client(users["staff"], "en").get(reverse("insights:dashboard"), query).content.decode()
    assert re.search(rf'data-testid="error-{field}">[^<]*{re.escape(words)}', html)


def test_the_big_screen(demo, users, world):
    response = client(users["staff"]).get(reverse("insights:screen"), {"period": "this_month"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-refresh-seconds="300"' in html
    f = figures_of(target=Target(area=demo["county"]), period=MARCH)
    assert shown(html, "received") == str(f.received)
    assert shown(html, "satisfaction_rate") == "100.0 %"
    assert 'data-testid="ranking"' in html
    assert (
        client(users["liaison"])
        .get(reverse("insights:screen"), {"scope": demo["county"].code})
        .status_code
        == 403
    )


def test_the_big_screen_refreshes_from_a_session_json_view(demo, users, world):
    c = client(users["staff"])
    page = c.get(reverse("insights:screen"), {"period": "this_month"}).content.decode()
    url = re.search(r'data-refresh-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    body = c.get(url).json()
    county = Target(area=demo["county"])
    assert body["figures"] == figures_of(target=county, period=MARCH).as_dict() | {
        "from": "2027-03-01",
        "to": "2027-03-31",
    }
    assert body["shown"]["received"] == shown(page, "received") == "4"
    assert body["shown"]["satisfaction_rate"] == "100.0 %"
    assert body["ranking"][0]["received"] >= body["ranking"][-1]["received"]
    # scoped like the page, and bad dates are a clear 422
    assert client(users["liaison"]).get(url).status_code == 200
    assert (
        client(users["liaison"])
        .get(reverse("insights:screen_data"), {"scope": demo["county"].code})
        .status_code
        == 403
    )
    bad = c.get(reverse("insights:screen_data"), {"from": "2027-13-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_period"


def test_a_deputy_sees_the_count_but_only_the_cases_of_their_ledger(demo, users, world):
    from lianluo.cases.selectors import case_queryset

    hub = Target(station=demo["cg_hub"])
    html = (
        client(users["deputy"], "en")
        .get(reverse("insights:records"), {"figure": "received", "scope": hub.code, **MARCH_Q})
        .content.decode()
    )
    n = figures_of(target=hub, period=MARCH).received
    assert html.count('<td data-testid="citizen">') == n == 4
    theirs = case_queryset(viewer=users["deputy"]).filter(station=demo["cg_hub"]).count()
    assert html.count("Not in your ledger") == n - theirs
    assert "张三丰" not in html
