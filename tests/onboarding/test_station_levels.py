"""The station import keeps the three levels 站—室—家 (lianluo.stations.hierarchy): a row out of
place is reported with its line, the column and the reason, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import translation

from lianluo.onboarding.sheets.messages import render_message
from lianluo.stations.models import Station
from tests.factories.onboarding import CHENGGUAN, xlsx

pytestmark = pytest.mark.usefixtures("_imports")

HEADERS = ["站点编码", "站点名称", "类型", "区划代码", "上级站点编码", "所属人大"]


def sheet(rows):
    return xlsx([dict(zip(HEADERS, r, strict=True)) for r in rows], title="联络站")


def test_rows_out_of_place_are_reported_with_their_line(demo, users, run):
    # given a sheet with a chain in place and three rows out of place
    data = sheet(
        [
            ["cg-s1", "城关南联络站", "联络站", CHENGGUAN, "cg-hub", ""],
            ["cg-w1", "城关南代表工作室", "代表工作室", CHENGGUAN, "cg-s1", ""],  # in the file
            ["cg-j1", "城关南代表之家", "代表之家", CHENGGUAN, "cg-w1", ""],
            ["cg-j2", "城关北代表之家", "代表之家", CHENGGUAN, "cg-hub", ""],  # home under hub
            ["cg-w2", "城关北代表工作室", "代表工作室", CHENGGUAN, "", ""],  # no parent
            ["cg-s2", "城关北联络站", "联络站", CHENGGUAN, "cg-contact-1", ""],  # under a studio
        ]
    )

    # when it is checked
    job = run(users["staff"], "stations", data)

    # then each bad row is named by its line, with the reason in the reader's language
    assert job.status == "invalid"
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (5, "parent", "parent_kind"),
        (6, "parent", "parent_required"),
        (7, "parent", "parent_kind"),
    ]
    with translation.override("zh-hans"):
        said = [render_message(e["code"], e["params"]) for e in job.errors]
    assert said[0] == "代表之家不能设在总站之下；应设在：代表工作室。"
    assert said[1] == "代表工作室须设在上级站点之下：联络站、片区站、行业站。"
    with translation.override("en"):
        said = render_message(job.errors[2]["code"], job.errors[2]["params"])
    assert said == (
        "A liaison station cannot be placed under a deputy studio; it belongs under: Hub station."
    )
    assert not Station.objects.filter(code__in=["cg-s1", "cg-w1", "cg-j1"]).exists()


def test_a_chain_in_place_imports(demo, users, run):
    data = sheet(
        [
            ["cg-j1", "城关南代表之家", "代表之家", CHENGGUAN, "cg-w1", ""],  # before its parent
            ["cg-w1", "城关南代表工作室", "工作室", CHENGGUAN, "cg-sector-2", ""],
            ["cg-l1", "城关南联系点", "联系点", CHENGGUAN, "cg-w1", ""],
        ]
    )
    job = run.confirm(run(users["staff"], "stations", data), users["staff"])
    assert job.status == "done", job.errors
    home = Station.objects.select_related("parent__parent").get(code="cg-j1")
    assert (home.kind, home.parent.kind, home.parent.parent.code) == (
        "home",
        "studio",
        "cg-sector-2",
    )


def test_a_studio_with_its_home_cannot_become_a_station(demo, users, run):
    # given the demo's studio, with its home under it, turned into a liaison station by a row
    data = sheet([["cg-contact-1", "城关社区联络站", "联络站", CHENGGUAN, "cg-hub", ""]])
    job = run(users["staff"], "stations", data)
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [(2, "kind", "child_kind")]
    assert Station.objects.get(code="cg-contact-1").kind == "studio"
