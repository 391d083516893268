"""Deputy groups (代表小组/专业小组) in the pages: the congress's staff create and rename them,
set their kind, add and remove members (deputies of that congress only), set the leader (a
member), and see the group's targets; others read "no such group". Every write is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.board.targets import target_sets_install_default
from lianluo.core.models import AuditLog
from lianluo.deputies.models import Deputy, DeputyGroup, Mandate

pytestmark = pytest.mark.clock("2026-06-10T10:00")


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def county(demo):
    return demo["county_congress"]


def county_deputies(county) -> list[Deputy]:
    ids = Mandate.objects.filter(congress=county, active=True).values("deputy_id")
    return list(Deputy.objects.filter(pk__in=ids).order_by("code"))


def test_staff_create_a_group_add_members_set_the_leader_and_see_its_targets(demo, users, county):
    staff = signed_in(users["staff"])
    # when the county's staff create a specialist group
    response = staff.post(
        "/board/groups/", {"congress": county.pk, "name": "农业农村专业小组", "kind": "field"}
    )
    group = DeputyGroup.objects.get(congress=county, name="农业农村专业小组")
    assert response.status_code == 302 and response["Location"] == f"/board/groups/{group.pk}/"
    assert group.kind == "field"

    # and add two county deputies, the second made leader
    a, b = county_deputies(county)[:2]
    for d in (a, b):
        assert (
            staff.post(f"/board/groups/{group.pk}/members/add/", {"deputy": d.code}).status_code
            == 302
        )
    staff.post(f"/board/groups/{group.pk}/leader/", {"leader": b.code})

    # then the page lists them with the leader, and the year's group targets
    target_sets_install_default(actor=users["staff"], congress=county, year=2026)
    page = staff.get(f"/board/groups/{group.pk}/").content.decode()
    assert f'data-testid="member-{a.code}"' in page and f'data-testid="member-{b.code}"' in page
    assert 'data-testid="leader"' in page and "专业小组" in page
    assert 'data-testid="group-progress"' in page and "两件实事" in page
    assert f"/board/targets/groups/{group.pk}/" in page
    group.refresh_from_db()
    assert group.leader == b and set(group.members.all()) == {a, b}
    verbs = set(
        AuditLog.objects.filter(
            target_type="deputies.deputygroup", target_id=str(group.pk)
        ).values_list("verb", flat=True)
    )
    assert verbs == {"group.create", "group.member_add", "group.leader"}

    # and the list shows it with its kind, member count and leader
    listing = staff.get("/board/groups/").content.decode()
    assert "农业农村专业小组" in listing and b.name in listing


def test_rename_and_kind(demo, users, county):
    group = DeputyGroup.objects.create(congress=county, name="一组")
    staff = signed_in(users["staff"])
    staff.post(
        f"/board/groups/{group.pk}/",
        {"congress": county.pk, "name": "城区代表小组", "kind": "area"},
    )
    group.refresh_from_db()
    assert (group.name, group.kind) == ("城区代表小组", "area")
    # a name the congress already has is refused at the field
    DeputyGroup.objects.create(congress=county, name="二组")
    response = staff.post(
        f"/board/groups/{group.pk}/", {"congress": county.pk, "name": "二组", "kind": "area"}
    )
    assert response.status_code == 400 and 'data-testid="error-name"' in response.content.decode()
    group.refresh_from_db()
    assert group.name == "城区代表小组"


def test_only_deputies_of_the_congress_join_and_the_leader_is_a_member(demo, users, county):
    group = DeputyGroup.objects.create(congress=county, name="一组")
    staff = signed_in(users["staff"])
    outsider = Deputy.objects.create(code="no-mandate", name="无届次代表")
    member, other = county_deputies(county)[:2]
    staff.post(f"/board/groups/{group.pk}/members/add/", {"deputy": member.code})

    # a deputy without a mandate in the county is refused, with the reason shown
    response = staff.post(
        f"/board/groups/{group.pk}/members/add/", {"deputy": outsider.code}, follow=True
    )
    assert "无届次代表不是本级人大的代表。" in response.content.decode()
    # a leader who is not a member is refused
    staff.post(f"/board/groups/{group.pk}/leader/", {"leader": other.code})
    group.refresh_from_db()
    assert list(group.members.all()) == [member] and group.leader is None

    # removing the leader clears the lead
    staff.post(f"/board/groups/{group.pk}/leader/", {"leader": member.code})
    staff.post(f"/board/groups/{group.pk}/members/remove/", {"deputy": member.code})
    group.refresh_from_db()
    assert group.leader is None and not group.members.exists()


def test_adding_moves_a_deputy_from_another_group_of_the_same_congress(demo, users, county):
    first = DeputyGroup.objects.create(congress=county, name="一组")
    second = DeputyGroup.objects.create(congress=county, name="二组")
    staff = signed_in(users["staff"])
    d = county_deputies(county)[0]
    staff.post(f"/board/groups/{first.pk}/members/add/", {"deputy": d.code})
    staff.post(f"/board/groups/{first.pk}/leader/", {"leader": d.code})
    staff.post(f"/board/groups/{second.pk}/members/add/", {"deputy": d.code})
    d.refresh_from_db()
    first.refresh_from_db()
    assert d.group == second and first.leader is None


@pytest.mark.parametrize("who", ["liaison", "deputy", "leader", "other"])
def test_others_read_no_such_group_and_nothing_changes(demo, users, county, who):
    group = DeputyGroup.objects.create(congress=county, name="一组")
    d = county_deputies(county)[0]
    client = signed_in(users[who])
    assert client.get(f"/board/groups/{group.pk}/").status_code == 404
    assert (
        client.post(f"/board/groups/{group.pk}/members/add/", {"deputy": d.code}).status_code == 404
    )
    assert (
        client.post(
            f"/board/groups/{group.pk}/", {"congress": county.pk, "name": "改", "kind": "area"}
        ).status_code
        == 404
    )
    group.refresh_from_db()
    assert group.name == "一组" and not group.members.exists()
