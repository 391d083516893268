"""The reception rule's times are labelled as times of day (开始时间/结束时间), while other
forms' "From"/"Until" keep their date labels (起始日期/截止日期)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.clock("2026-12-02T10:00")


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def label(html: str, field: str) -> str:
    found = re.search(rf'<label for="id_{field}"[^>]*>([^<]*)</label>', html)
    assert found is not None, field
    return found.group(1).strip()


@pytest.mark.parametrize(
    ("language", "start", "end"),
    [("zh-hans", "开始时间", "结束时间"), ("en", "Start time", "End time")],
)
def test_the_rule_form_labels_its_times_as_times(demo, users, language, start, end):
    # given a liaison officer
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(users["liaison"])

    # when they open the new-rule form
    html = client.get(f"/stations/{demo['cg_hub'].code}/reception/rules/new/").content.decode()

    # then its time fields say start and end time, not dates
    assert (label(html, "start"), label(html, "end")) == (start, end)


def test_the_unavailability_form_keeps_its_date_labels(demo, users):
    # the other "From"/"Until" fields are dates and keep 起始日期/截止日期
    from lianluo.stations.forms import RuleForm, UnavailabilityForm

    form = UnavailabilityForm()
    assert (str(form.fields["start"].label), str(form.fields["end"].label)) == (
        "起始日期",
        "截止日期",
    )
    assert str(RuleForm().fields["start"].label) == "开始时间"
