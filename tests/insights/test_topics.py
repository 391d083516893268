"""Hot topics of a target and period, computed and kept: sizes of the period, growth against the
period before, the places where they concentrate, and the links to their cases."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.cases.models import Case
from lianluo.core.models import User
from lianluo.insights.models import TopicRun
from lianluo.insights.period import Period, Target
from lianluo.insights.topics import topics_compute, topics_latest
from tests.factories.cases import make_case

SH = ZoneInfo("Asia/Shanghai")
MARCH = Period.month(2027, 3)

LIGHTS = [
    "{place}路灯不亮，晚上漆黑一片，请尽快维修路灯",
    "{place}的路灯坏了不亮，晚上出行不便，希望维修路灯",
    "反映{place}路灯晚上不亮的问题，请安排维修",
    "{place}好几盏路灯不亮了，晚上太黑，盼维修路灯",
]
GARBAGE = [
    "{place}垃圾没人清运，垃圾堆成山，臭味很大",
    "{place}的垃圾清运不及时，垃圾桶满了有臭味",
    "反映{place}垃圾长期不清运、臭味难闻的问题",
]
PARKING = ["{place}停车难，车辆乱停乱放", "{place}乱停车严重，停车位太少"]
NOISE = ["{place}广场舞音响太吵，噪音扰民"]


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _cases(station, day, templates, places, n):
    made = []
    with time_machine.travel(datetime(*day, 10, tzinfo=SH), tick=False):
        for i in range(n):
            text = templates[i % len(templates)].format(place=places[i % len(places)])
            made.append(make_case(station=station, text=text, phone=f"1380000{i:04d}"))
    return made


def test_topics_with_growth_places_and_cases(demo):
    hub = demo["cg_hub"]
    other = demo["stations"][demo["townships"][1].code][0]
    places = ["东门社区", "新华路", "幸福小区", "南关村", "北街", "文化路", "西园小区", "河口村"]
    # February: a few about street lights; March: many more, and garbage at two townships
    _cases(hub, (2027, 2, 10), LIGHTS, places, 4)
    lights = _cases(hub, (2027, 3, 5), LIGHTS, places, 12)
    garbage = _cases(hub, (2027, 3, 12), GARBAGE, places, 6)
    garbage += _cases(other, (2027, 3, 14), GARBAGE, places, 4)
    _cases(hub, (2027, 3, 20), PARKING, places, 2)
    _cases(hub, (2027, 3, 21), NOISE, places, 1)
    county = Target(area=demo["county"])

    run = topics_compute(target=county, period=MARCH)

    topics = list(run.topics.all())
    assert run.messages == 25
    march = {c.pk for c in lights + garbage} | set(
        Case.objects.filter(created_at__month=3).values_list("pk", flat=True)
    )
    assert topics, "no topic found"
    for topic in topics:
        ids = set(topic.cases.values_list("pk", flat=True))
        # a topic's cases are of the period, its size counts them, its places add up to it
        assert ids <= march and topic.size == len(ids) >= 2
        assert sum(n for _name, n in topic.places) == topic.size
        assert {name for name, _n in topic.places} <= {t.name for t in demo["townships"]}
    # the street lights: mostly the lights' cases, grown from February's
    light = next(t for t in topics if "不亮" in t.keywords or "路灯" in t.keywords)
    light_ids = set(light.cases.values_list("pk", flat=True))
    assert len(light_ids & {c.pk for c in lights}) > len(light_ids) / 2
    assert sum(t.previous for t in topics) <= 4 and light.previous >= 1
    assert light.growth == light.size - light.previous
    # garbage concentrates in the two townships it was reported in
    trash = next(t for t in topics if "垃圾" in t.label or "清运" in t.label)
    assert {name for name, _n in trash.places} <= {
        demo["townships"][0].name,
        demo["townships"][1].name,
    }
    assert topics[0].rank == 1 and topics[0].size >= topics[-1].size
    # the briefing of the same county and month prints the kept topics
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username="staff"))
    page = client.get(
        "/insights/briefing/",
        {"scope": county.code, "from": "2027-03-01", "to": "2027-03-31"},
    ).content.decode()
    assert light.label in page and trash.label in page
    # the dashboard lists them, each a link to its cases
    board = client.get(
        "/insights/", {"scope": county.code, "from": "2027-03-01", "to": "2027-03-31"}
    ).content.decode()
    assert light.label in board and f"/insights/topics/{light.pk}/" in board
    listed = client.get(f"/insights/topics/{light.pk}/").content.decode()
    assert f"{light.size} 条记录" in listed or f">{light.size}<" in listed
    for case in light.cases.all()[:3]:
        assert case.number in listed
    # a liaison officer of one station may not read the county's topic
    officer = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    officer.force_login(User.objects.get(username="liaison"))
    assert officer.get(f"/insights/topics/{light.pk}/").status_code == 403
    # every case in at most one topic
    seen = [pk for t in topics for pk in t.cases.values_list("pk", flat=True)]
    assert len(seen) == len(set(seen))


def test_a_new_run_replaces_the_old_and_the_station_scope(demo):
    hub = demo["cg_hub"]
    _cases(hub, (2027, 3, 5), LIGHTS, ["东门社区", "新华路", "北街"], 12)
    _cases(hub, (2027, 3, 6), GARBAGE, ["南关村", "文化路"], 10)
    station = Target(station=hub)
    first = topics_compute(target=station, period=MARCH)
    again = topics_compute(target=station, period=MARCH)
    assert TopicRun.objects.filter(scope=hub.code).count() == 1
    assert topics_latest(target=station, period=MARCH) == again != first
    topics = list(again.topics.all())
    assert topics and all(t.places == [[hub.name, t.size]] for t in topics)
    # nothing in another period
    assert topics_latest(target=station, period=Period.month(2027, 4)) is None
    empty = topics_compute(target=station, period=Period.month(2027, 4))
    assert empty.messages == 0 and not empty.topics.exists()
