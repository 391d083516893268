"""Targets (五个一) and campaigns: progress per deputy, group, station and area from counted
entries only; reminders once per deputy per day; scope; campaign CRUD and progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lianluo.board.targets import (
    campaign_progress,
    campaign_save,
    deputy_progress,
    group_progress,
    summaries_by_station,
    target_sets_install_default,
    targets_remind,
)
from lianluo.core.errors import NotFound
from lianluo.core.models import OutboxMessage
from lianluo.deputies.models import Deputy, DeputyGroup
from lianluo.duty.models import DutyItem, TargetScope
from lianluo.duty.services import catalog_install_default, points_reverse
from tests.factories.duty import entry_registered

# Points "three days ago" of this year's catalog, periods from 1 January to today and week-long
# objection windows: the stories need a day well inside the year (docs/testing.md).
pytestmark = pytest.mark.clock("2026-06-10T10:00")


@pytest.fixture
def setup(demo, users):
    """The 城关 congress's catalog and default target sets for this year."""
    congress = demo["cg_hub"].congress
    year = timezone.localdate().year
    catalog_install_default(congress=congress, year=year, actor=users["staff"])
    items = {i.code: i for i in DutyItem.objects.filter(congress=congress, year=year)}
    deputy_set, group_set = target_sets_install_default(
        actor=users["staff"], congress=congress, year=year
    )
    members = list(Deputy.objects.filter(memberships__station=demo["cg_hub"]).order_by("code"))
    return congress, items, deputy_set, group_set, members


def test_default_sets_are_installed_once_by_staff_only(demo, users, setup):
    congress, _items, deputy_set, group_set, _m = setup
    assert deputy_set.scope == TargetScope.DEPUTY and deputy_set.targets.count() == 5
    assert group_set.scope == TargetScope.GROUP
    again = target_sets_install_default(
        actor=users["staff"], congress=congress, year=deputy_set.year
    )
    assert [s.pk for s in again] == [deputy_set.pk, group_set.pk]
    with pytest.raises(NotFound):
        target_sets_install_default(actor=users["liaison"], congress=congress, year=2030)


def test_progress_counts_only_counted_entries(demo, users, setup):
    _c, items, deputy_set, group_set, members = setup
    a, b = members[0], members[1]
    entry_registered(users["liaison"], a, items["research"], days_ago=2, note="记录 2")
    wrong = entry_registered(users["liaison"], a, items["research"], days_ago=5, note="记录 5")
    points_reverse(actor=users["liaison"], entry=wrong, reason="重复")
    entry_registered(users["liaison"], b, items["research"], days_ago=2, note="记录 2")
    entry_registered(users["liaison"], b, items["research"], days_ago=6, note="记录 6")
    progress = {p.subject.pk: p for p in deputy_progress(target_set=deputy_set, deputies=[a, b])}
    done = {t.item_code: n for t, n in progress[a.pk].rows}
    assert done == {"suggestion": 0, "idea": 0, "research": 1, "family": 0, "case_closed": 0}
    assert progress[a.pk].met == 1 and not progress[a.pk].complete
    assert dict((t.item_code, n) for t, n in progress[b.pk].rows)["research"] == 2
    # a group adds up its members
    group = DeputyGroup.objects.create(congress=deputy_set.congress, name="城关第一代表小组")
    Deputy.objects.filter(pk__in=[a.pk, b.pk]).update(group=group)
    [gp] = group_progress(target_set=group_set, groups=[group])
    assert dict((t.item_code, n) for t, n in gp.rows)["research"] == 3
    # per station and area: nobody met every target yet
    summaries = summaries_by_station(
        deputy_progress(target_set=deputy_set, deputies=members), list(deputy_set.targets.all())
    )
    hub = next(s for s in summaries if s.name == demo["cg_hub"].name)
    assert hub.deputies == len(members) and hub.complete == 0
    research = next(n for t, n in hub.per_target if t.item_code == "research")
    assert research == 2


def test_reminders_go_once_per_deputy_per_day_and_only_to_those_behind(demo, users, setup):
    _c, _items, deputy_set, _g, members = setup
    deputy = demo["deputy"]
    sent = targets_remind(actor=users["liaison"], target_set=deputy_set, deputies=members)
    with_account = [d for d in members if d.user_id]
    assert sent == len(with_account) >= 1
    assert OutboxMessage.objects.filter(recipient=deputy.user, kind="targets_remind").count() == 1
    # again the same day: nothing more
    assert targets_remind(actor=users["liaison"], target_set=deputy_set, deputies=members) == 0
    # another station's officer reaches none of them
    assert targets_remind(actor=users["other"], target_set=deputy_set, deputies=members) == 0
    assert OutboxMessage.objects.filter(recipient=deputy.user, kind="targets_remind").count() == 1


def test_overview_page_lists_who_is_behind_and_reminds(demo, users, setup):
    _c, _items, deputy_set, _g, members = setup
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    page = client.get(f"/board/targets/?set={deputy_set.pk}").content.decode()
    assert f"{len(members)} deputies are behind." in page
    assert demo["deputy"].name in page
    response = client.post(f"/board/targets/{deputy_set.pk}/remind/", follow=True)
    assert "Reminders sent: 1" in response.content.decode()
    # the deputy sees their own progress
    own = Client(HTTP_ACCEPT_LANGUAGE="en")
    own.force_login(demo["deputy"].user)
    assert own.get("/board/targets/").status_code == 302
    page = own.get("/board/targets/me/").content.decode()
    assert 'data-testid="target-research">0/1<' in page
    # a department handler has nothing here
    dept = Client()
    dept.force_login(users["dept"])
    assert dept.get("/board/targets/").status_code == 404


def test_campaign_progress_in_its_period(demo, users, setup):
    congress, items, deputy_set, _g, members = setup
    today = timezone.localdate()
    entry_registered(users["liaison"], members[0], items["research"], days_ago=2, note="记录 2")
    entry_registered(
        users["liaison"], members[0], items["research"], days_ago=40, note="记录 40"
    )  # before the campaign
    campaign = campaign_save(
        actor=users["staff"],
        name="我爱湘潭我的家 人大代表献力量",
        start=today - timedelta(days=30),
        end=today + timedelta(days=30),
        congresses=[congress],
        target_set=deputy_set,
    )
    data = campaign_progress(viewer=users["liaison"], campaign=campaign)
    first = next(p for p in data["deputies"] if p.subject.pk == members[0].pk)
    done = {t.item_code: n for t, n in first.rows}
    assert done["research"] == 1 and done["idea"] == 0
    yearly = deputy_progress(target_set=deputy_set, deputies=[members[0]])[0]
    assert dict((t.item_code, n) for t, n in yearly.rows)["research"] == 2
    # scope: the other township's officer is not taking part
    with pytest.raises(NotFound):
        campaign_save(
            actor=users["liaison"],
            name="x",
            start=today,
            end=today,
            congresses=[congress],
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    page = client.get(f"/board/campaigns/{campaign.pk}/").content.decode()
    assert "我爱湘潭我的家" in page and members[0].name in page
    stranger = Client()
    stranger.force_login(users["other"])
    assert stranger.get(f"/board/campaigns/{campaign.pk}/").status_code == 404


def test_campaign_pages_create_and_edit(demo, users, setup):
    congress, _i, deputy_set, _g, _m = setup
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["staff"])
    today = timezone.localdate()
    response = client.post(
        "/board/campaigns/new/",
        {
            "name": "联系群众办实事",
            "start": today.isoformat(),
            "end": (today + timedelta(days=60)).isoformat(),
            "congresses": [congress.pk],
            "target_set": deputy_set.pk,
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    response = client.post(
        url + "edit/",
        {
            "name": "联系群众办实事（第二季）",
            "start": today.isoformat(),
            "end": (today - timedelta(days=1)).isoformat(),
            "congresses": [congress.pk],
        },
    )
    assert response.status_code == 400
    assert "The period must start before it ends." in response.content.decode()
    assert "联系群众办实事" in client.get("/board/campaigns/").content.decode()


def test_demo_has_target_sets_and_a_campaign(demo, users):
    from lianluo.demo.seed import seed_board
    from lianluo.duty.models import Campaign, TargetSet

    seed_board(demo)
    seed_board(demo)
    year = timezone.localdate().year
    assert TargetSet.objects.filter(congress=demo["county_congress"], year=year).count() == 2
    assert Campaign.objects.count() == 1
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["staff"])
    page = client.get("/board/targets/").content.decode()
    assert "deputies are behind" in page


def test_group_page_and_campaign_delete(demo, users, setup):
    congress, items, deputy_set, _g, members = setup
    group = DeputyGroup.objects.create(congress=congress, name="城关第二代表小组")
    Deputy.objects.filter(pk__in=[m.pk for m in members]).update(group=group)
    entry_registered(users["liaison"], members[0], items["research"], days_ago=2, note="记录 2")
    entry_registered(users["liaison"], members[1], items["research"], days_ago=2, note="记录 2")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    page = client.get(f"/board/targets/groups/{group.pk}/").content.decode()
    assert 'data-testid="group-research">2/1<' in page and members[1].name in page
    # a member deputy sees their group's page too; another station's officer does not
    own = Client()
    own.force_login(demo["deputy"].user)
    assert own.get(f"/board/targets/groups/{group.pk}/").status_code == 200
    stranger = Client()
    stranger.force_login(users["other"])
    assert stranger.get(f"/board/targets/groups/{group.pk}/").status_code == 404
    # staff delete a campaign; the officer cannot
    today = timezone.localdate()
    campaign = campaign_save(
        actor=users["staff"],
        name="联系群众办实事",
        start=today,
        end=today,
        congresses=[congress],
        target_set=deputy_set,
    )
    assert client.post(f"/board/campaigns/{campaign.pk}/delete/").status_code == 404
    staff = Client()
    staff.force_login(users["staff"])
    assert staff.post(f"/board/campaigns/{campaign.pk}/delete/").status_code == 302
    from lianluo.duty.models import Campaign

    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_public_board_api_query_count_is_constant(
    demo, users, setup, api, django_assert_max_num_queries
):
    from lianluo.board.publications import publication_publish

    publication_publish(
        actor=users["staff"],
        congress=demo["county_congress"],
        title="县人大代表履职积分公示",
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate(),
        visible_days=10,
        objection_days=5,
    )
    client = api()
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/public/stations/qx-hub/board").json()
    assert len(body["ranking"]) > 20
