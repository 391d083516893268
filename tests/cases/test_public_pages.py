"""The public station page (一站一特色, schedule, deputies by level, activities, published cases,
the year's figures) and the deputy page, as an anonymous citizen sees them after scanning."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lianluo.activities.models import Activity
from lianluo.cases.models import Category
from lianluo.cases.services import case_submit, case_transition
from lianluo.core.models import Congress
from lianluo.deputies.models import Deputy, Mandate
from lianluo.portal.selectors import rule_sentence
from lianluo.stations.models import (
    ReceptionDay,
    ReceptionRecord,
    ReceptionRule,
    Station,
    StationMembership,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)
TODAY = NOW.date()

CLOSE_STEPS = [
    ("accept", {"triage": "general"}),
    ("answer", {"text": "已协调供电所更换灯具，路灯恢复照明。"}),
    ("follow_up", {"method": "phone", "note": "群众认可"}),
    ("rate", {"rating": "satisfied"}),
    ("close", {}),
]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def section(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {testid}"
    return match.group(1)


@pytest.fixture
def frozen():
    """Time stands still at 2026-03-10 10:00 in Shanghai (requested before `demo`)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def station(frozen, demo) -> Station:
    """A sector station with nothing scheduled or published yet (whatever the demo seeds)."""
    s = Station.objects.get(code="cg-sector-1")
    ReceptionDay.objects.filter(station=s).delete()
    ReceptionRule.objects.filter(station=s).delete()
    Activity.objects.filter(station=s).delete()
    return s


def page(station: Station, language: str = "zh-hans") -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"/s/{station.code}/")
    assert response.status_code == 200
    return response.content.decode()


def add_deputy(station: Station, code: str, name: str, *levels: str) -> Deputy:
    deputy = Deputy.objects.create(code=code, name=name, phone="13900001111")
    congresses = list(Congress.objects.order_by("id"))
    for i, level in enumerate(levels):
        Mandate.objects.create(deputy=deputy, level=level, congress=congresses[i], term=14)
    StationMembership.objects.create(station=station, deputy=deputy)
    return deputy


def add_day(station: Station, offset: int, *deputies: Deputy, status: str = "published"):
    day = ReceptionDay.objects.create(
        station=station,
        date=TODAY + timedelta(days=offset),
        start=time(9),
        end=time(11, 30),
        status=status,
    )
    day.deputies.set(deputies)
    return day


def add_activity(station: Station, title: str, days_ago: int, status: str) -> Activity:
    start = NOW - timedelta(days=days_ago)
    return Activity.objects.create(
        station=station,
        type="research",
        title=title,
        place="镇政府会议室",
        start=start,
        end=start + timedelta(hours=2),
        status=status,
    )


def closed_case(station, users, *, text, title="", consent=True, steps=CLOSE_STEPS, **extra):
    case, _ = case_submit(
        station=station,
        text=text,
        title=title,
        consent_publish=consent,
        name=extra.get("name", "李秀英"),
        phone=extra.get("phone", "13812345678"),
        place=extra.get("place", "幸福里3栋2单元"),
    )
    for action, fields in steps:
        case = case_transition(case=case, actor=users["staff"], action=action, **fields)
    return case


# ---- the station page ------------------------------------------------------------------------


def test_station_page_shows_what_it_is_and_the_button_to_the_form(station):
    # Given a station with a feature (一站一特色)
    station.feature = "老旧小区改造议事厅"
    station.save()

    # When a citizen opens its page
    html = page(station)

    # Then they see its name, kind, area and feature, and a button that jumps to the form
    assert station.name in html
    assert zh("Sector station") in html
    assert "老旧小区改造议事厅" in html
    assert 'href="#message"' in html and 'id="message"' in html
    assert html.index('href="#message"') < html.index('data-testid="schedule"')
    assert 'name="text"' in html and 'data-testid="submit"' in html


def test_deputies_are_grouped_by_their_highest_level_with_every_level_tag(station):
    # Given a deputy with a national and a township mandate, and a township-only deputy
    both = add_deputy(station, "t-both", "欧阳明", "national", "township")
    add_deputy(station, "t-town", "上官芳", "township")

    # When the page is shown
    block = section(page(station), "deputies")

    # Then the first appears once, under national deputies, with both level tags
    assert block.count(both.name) == 1
    national = block.index(zh("National deputies"))
    township = block.index(zh("Township deputies"))
    assert national < block.index(both.name) < township
    entry = block[block.index(both.name) :]
    entry = entry[: entry.index("</li>")]
    assert zh("National") in entry and zh("Township") in entry
    # And the township-only deputy is under township deputies; the heading order is national first
    assert block.index("上官芳") > township
    # And nobody's phone is on the page
    assert "13900001111" not in page(station)


def test_schedule_lists_published_days_of_the_next_30_days_with_deputies_on_duty(station):
    # Given published days today and in 30 days, one beyond, a draft, a cancelled and a past one
    a = add_deputy(station, "t-a", "周春生", "county")
    b = add_deputy(station, "t-b", "吴海燕", "township")
    add_day(station, 0, a, b)
    add_day(station, 30, b)
    add_day(station, 31, a)
    add_day(station, 5, a, status="draft")
    add_day(station, 6, a, status="cancelled")
    add_day(station, -1, a)

    # When the page is shown
    block = section(page(station), "schedule")

    # Then exactly the two published days within 30 days are listed, with who is on duty
    assert block.count("<li>") == 2
    assert "3月10日" in block and "4月9日" in block
    assert "周春生" in block and "吴海燕" in block
    assert "4月10日" not in block and "3月15日" not in block and "3月16日" not in block


def test_rule_in_words_and_the_page_says_when_deputies_receive(station):
    # Given the station receives on the 6th, 16th and 26th (逢6), 9:00–12:00
    ReceptionRule.objects.create(
        station=station, kind="month_days", values=[6, 16, 26], start=time(9), end=time(12)
    )

    # Then the page says so in words (in English here: the wording is a translation)
    html = page(station, "en")
    assert "every month on days ending in 6, 9:00–12:00: deputies receive citizens" in html


@pytest.mark.parametrize(
    ("kind", "values", "words"),
    [
        ("month_days", [15], "every month on day 15, 8:30–11:30"),
        ("month_days", [1, 15], "every month on day 1, 15, 8:30–11:30"),
        ("weekdays", [2], "every Wednesday, 8:30–11:30"),
        ("market_days", ["2026-03-01", "2026-03-13", "2026-03-19"], "on market days (3/13, 3/19)"),
    ],
)
def test_reception_rules_in_words(frozen, kind, values, words):
    rule = ReceptionRule(kind=kind, values=values, start=time(8, 30), end=time(11, 30))
    with translation.override("en"):
        assert rule_sentence(rule).startswith(words)


def test_recent_activities_are_published_or_held_newest_first_five_at_most(station):
    # Given six public activities, a draft and a cancelled one
    for i in range(6):
        add_activity(
            station, f"调研活动{i}", days_ago=i + 1, status="done" if i % 2 else "published"
        )
    add_activity(station, "草稿活动", days_ago=0, status="draft")
    add_activity(station, "取消的活动", days_ago=0, status="cancelled")

    # When the page is shown
    block = section(page(station), "activities")

    # Then the five newest public ones are listed, newest first
    shown = re.findall(r"调研活动\d", block)
    assert shown == ["调研活动0", "调研活动1", "调研活动2", "调研活动3", "调研活动4"]
    assert "草稿活动" not in block and "取消的活动" not in block


def test_closed_cases_are_published_only_with_consent_and_without_personal_data(station, users):
    # Given a closed case whose citizen consented, one who did not, and an open consented one
    urban = Category.objects.get(code="urban", congress=station.congress)
    steps = [("accept", {"triage": "general", "category": urban}), *CLOSE_STEPS[1:]]
    closed_case(station, users, text="幸福里小区东门路灯坏了两个月，晚上出行不安全。", steps=steps)
    closed_case(station, users, text="不同意公开的事项内容", consent=False, name="赵不公开")
    case_submit(station=station, text="仍在办理中的事项", consent_publish=True)

    # When the page is shown
    html = page(station)
    block = section(html, "published-cases")

    # Then the consented closed case shows only its category, outcome and closing date: no
    # summary has been approved, so nothing the citizen wrote (nor the answer) is shown
    assert "城乡建设 · 已办结 · 满意" in block
    assert "2026-03-10" in block
    assert "幸福里小区东门" not in block
    assert "已协调供电所更换灯具" not in block
    # And nothing else, and no name, phone number or place of anyone
    assert "不同意公开" not in block and "仍在办理中" not in block
    for personal in ("李秀英", "赵不公开", "13812345678", "138****5678", "幸福里3栋2单元"):
        assert personal not in html


def test_published_titles_are_not_shown_before_review(station, users):
    # Given a consented case whose title carries a phone number, without an approved summary
    closed_case(station, users, text="正文", title="请联系我 139 1234 5678 处理噪音")

    # Then neither the title nor the number is on the public page
    block = section(page(station), "published-cases")
    assert "已办结 · 满意" in block
    assert "请联系我" not in block
    assert "5678" not in block


def test_figures_of_the_year(station, users):
    # Given this year: 2 closed cases (one satisfied, one dissatisfied then closed), one declined,
    # one awaiting triage, one accepted; and a case from last year
    closed_case(station, users, text="甲")
    closed_case(
        station,
        users,
        text="乙",
        steps=[
            ("accept", {"triage": "simple"}),
            ("answer_on_spot", {"text": "当场答复"}),
            ("follow_up", {"method": "visit", "note": "基本满意"}),
            ("rate", {"rating": "basically_satisfied"}),
            ("close", {}),
        ],
    )
    closed_case(station, users, text="丙", steps=[("decline", {"reason": "petition"})])
    closed_case(station, users, text="丁", steps=[])
    closed_case(station, users, text="戊", steps=[("accept", {"triage": "general"})])
    closed_case(
        station,
        users,
        text="己",
        steps=[
            ("accept", {"triage": "general"}),
            ("answer", {"text": "答复"}),
            ("rate", {"rating": "dissatisfied"}),
        ],
    )
    with time_machine.travel(NOW - timedelta(days=365), tick=False):
        closed_case(station, users, text="去年的事项")
    # And reception days this year: two held (their record is written), one published but
    # never recorded, one cancelled, one still ahead
    for offset, people in ((-20, 7), (-10, 5)):
        ReceptionRecord.objects.create(
            reception_day=add_day(station, offset), citizens_received=people
        )
    add_day(station, -8)
    add_day(station, -5, status="cancelled")
    add_day(station, 3)
    # And activities: one held this year, one held last year, one only published
    add_activity(station, "视察", days_ago=30, status="done")
    add_activity(station, "去年调研", days_ago=400, status="done")
    add_activity(station, "宣讲", days_ago=1, status="published")

    # When the page is shown
    block = section(page(station), "figures")

    # Then: received 6; accepted 4 (less declined and awaiting triage); closed 2 → 50.0%;
    # the two closed were rated satisfied and basically satisfied → 100.0% (the dissatisfied one
    # reopened: its rating counts when it closes); 2 days held, 12 citizens; 1 activity held
    def figure(name: str) -> str:
        return re.search(rf'data-testid="fig-{name}">([^<]*)<', block).group(1)

    assert figure("received") == "6"
    assert figure("closed") == "2"
    assert figure("closure-rate") == "50.0%"
    assert figure("satisfaction-rate") == "100.0%"
    assert figure("reception-days") == "2"
    assert figure("citizens") == "12"
    assert figure("activities") == "1"
    assert "2026" in block


def test_figures_of_another_year(station, users):
    with time_machine.travel(NOW - timedelta(days=365), tick=False):
        closed_case(station, users, text="去年的事项")
    closed_case(station, users, text="今年一件", steps=[])
    closed_case(station, users, text="今年两件", steps=[])
    this_year = section(page(station), "figures")
    assert re.search(r'data-testid="fig-received">2<', this_year)
    # the year links lead to last year's figures, with the same definitions
    assert f'href="?year={NOW.year - 1}#figures"' in this_year
    html = Client().get(f"/s/{station.code}/", {"year": NOW.year - 1}).content.decode()
    last_year = section(html, "figures")
    assert re.search(r'data-testid="fig-received">1<', last_year)
    assert re.search(r'data-testid="fig-closed">1<', last_year)
    assert str(NOW.year - 1) in last_year
    # a year that is not a year is this year
    odd = section(Client().get(f"/s/{station.code}/", {"year": "x"}).content.decode(), "figures")
    assert re.search(r'data-testid="fig-received">2<', odd)


def test_figures_show_a_dash_when_there_is_nothing_to_divide(station):
    block = section(page(station), "figures")
    assert 'data-testid="fig-closure-rate">—<' in block
    assert 'data-testid="fig-satisfaction-rate">—<' in block


def test_station_page_runs_a_constant_number_of_queries(station, users):
    # Given a station with a little of everything
    def grow(tag: str, n: int) -> None:
        for i in range(n):
            d = add_deputy(station, f"q-{tag}-{i}", f"代表{tag}{i}", "county", "township")
            add_day(station, 1 + i + (10 if tag == "b" else 0), d)
            add_activity(station, f"活动{tag}{i}", days_ago=i + 1, status="done")
            closed_case(station, users, text=f"事项{tag}{i}")

    grow("a", 1)
    client = Client()
    client.get(f"/s/{station.code}/")  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/s/{station.code}/").status_code == 200

    # When it has several times as much
    grow("b", 4)
    with CaptureQueriesContext(connection) as large:
        html = client.get(f"/s/{station.code}/").content.decode()

    # Then the page costs the same number of queries
    assert "代表b3" in html and "活动b3" in html
    assert len(large.captured_queries) == len(small.captured_queries)
    # 13 for the page, 8 for the year's figures (insights.figures_of, and the first year)
    assert len(small.captured_queries) <= 21


def test_unknown_or_closed_station_is_404(station):
    assert Client().get("/s/no-such-station/").status_code == 404
    station.active = False
    station.save()
    assert Client().get(f"/s/{station.code}/").status_code == 404


def test_page_in_english(station):
    html = page(station, "en")
    assert 'lang="en"' in html
    assert "Leave a message" in html and "in figures" in html


# ---- the deputy page -------------------------------------------------------------------------


def test_deputy_page_shows_levels_stations_rules_next_duties_and_the_form(station):
    # Given a deputy of the station with two levels, the station's rule and two duties
    deputy = add_deputy(station, "t-dep", "欧阳明", "national", "township")
    ReceptionRule.objects.create(
        station=station, kind="weekdays", values=[2], start=time(9), end=time(11, 30)
    )
    add_day(station, 1, deputy)
    add_day(station, 40, deputy)

    # When a citizen opens the deputy's page
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/d/{deputy.code}/").content.decode()

    # Then it shows the levels, the station with its rule, the next duty, and the form
    levels = re.search(r'data-testid="levels">(.*?)</p>', html, re.S).group(1)
    assert "National" in levels and "Township" in levels
    stations = section(html, "deputy-stations")
    assert station.name in stations
    assert "every Wednesday, 9:00–11:30" in stations
    duties = section(html, "schedule")
    assert "March 11" in duties and "April 19" not in duties
    assert 'data-testid="submit"' in html
    assert f"/d/{deputy.code}/poster.pdf" in html
    assert "13900001111" not in html


def test_unknown_deputy_is_404(db):
    assert Client().get("/d/nobody/").status_code == 404


# ---- links to the posters --------------------------------------------------------------------


def test_public_page_links_the_posters_in_both_languages(station):
    block = section(page(station), "posters")
    for path in (f"/s/{station.code}/poster.pdf", f"/s/{station.code}/posters.pdf"):
        assert f"{path}?lang=zh-hans" in block and f"{path}?lang=en" in block


def test_officer_desk_links_the_posters_of_their_station(demo, users):
    client = Client()
    client.force_login(users["liaison"])
    html = client.get("/desk/").content.decode()
    assert f"/s/{demo['cg_hub'].code}/poster.pdf" in html
    assert f"/s/{demo['cg_hub'].code}/posters.pdf" in html
