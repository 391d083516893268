"""Who sees what, in lists and in details, the same through the selectors and the API: a
department its own items, congress staff their congress and below, a deputy their own and
co-signed items, a draft only its authors and the staff acting for its congress."""

from __future__ import annotations

import pytest

from lianluo.core.errors import NotFound
from lianluo.core.models import Congress
from lianluo.deputies.models import Mandate
from lianluo.suggestions.selectors import (
    department_queue,
    suggestion_for,
    suggestion_ledger,
    suggestions_visible,
)
from tests.conftest import ApiClient
from tests.factories import suggestions as f

pytestmark = pytest.mark.django_db


def listed(user) -> set[str]:
    """What the API lists for `user`, checked against the selector."""
    r = ApiClient(user).get("/api/v1/suggestions", page_size=100)
    assert r.status_code == 200
    through_api = {row["number"] for row in r.json()["results"]}
    assert through_api == {s.number for s in suggestion_ledger(user) if s.number}
    return through_api


def sees(user, item) -> bool:
    ref = item.number or f"d{item.pk}"
    status = ApiClient(user).get(f"/api/v1/suggestions/{ref}").status_code
    try:
        suggestion_for(user, ref)
        found = True
    except NotFound:
        found = False
    assert found == (status == 200), status
    return found


@pytest.fixture
def township(sx):
    congress = Congress.objects.get(area=sx.demo["townships"][0])
    seat = Mandate.objects.filter(congress=congress, active=True).select_related("deputy").first()
    return congress, seat.deputy


def test_a_department_sees_only_the_items_assigned_to_it(sx, filing):
    mine = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    co = f.assigned(staff=sx.staff, lead=sx.d1, co=[sx.d0], **filing)
    theirs = f.assigned(staff=sx.staff, lead=sx.d1, **filing)
    waiting = f.registered(staff=sx.staff, **filing)
    assert listed(sx.h0) == {mine.number, co.number}
    assert listed(sx.h1) == {co.number, theirs.number}
    assert sees(sx.h0, mine) and sees(sx.h0, co)
    assert not sees(sx.h0, theirs) and not sees(sx.h0, waiting)
    assert {a.suggestion_id for a in department_queue(sx.h0)} == {mine.pk, co.pk}


def test_congress_staff_see_their_congress_and_below(sx, township):
    congress, deputy = township
    county_item = f.filed(actor=sx.author, deputy=sx.deputy, congress=sx.congress)
    town_item = f.filed(actor=sx.staff, deputy=deputy, congress=congress)
    town_staff = f.staff_user(congress)
    assert listed(sx.staff) >= {county_item.number, town_item.number}
    assert listed(town_staff) == {town_item.number}
    assert sees(town_staff, town_item) and not sees(town_staff, county_item)
    # the county's leader reads both, as staff of the county do
    assert sees(sx.leader, town_item) and sees(sx.leader, county_item)


def test_a_deputy_sees_their_own_and_co_signed_items(sx, filing):
    own = f.filed(**filing)
    other_author = f.fellow_deputies(sx.congress, but=sx.deputy, n=3)[2]
    co_signed = f.filed(
        actor=sx.staff, deputy=other_author, congress=sx.congress, co_signers=[sx.deputy]
    )
    elsewhere = f.filed(actor=sx.staff, deputy=other_author, congress=sx.congress)
    assert listed(sx.author) == {own.number, co_signed.number}
    assert sees(sx.author, co_signed) and not sees(sx.author, elsewhere)
    assert listed(sx.fellow_user) == set()


def test_a_draft_is_its_authors_and_the_acting_staffs(sx, filing, township):
    draft = f.filed(**filing, co_signers=[sx.fellow], file=False)
    assert sees(sx.author, draft) and sees(sx.fellow_user, draft)
    assert sees(sx.staff, draft)  # staff make drafts from cases and file papers for deputies
    town_staff = f.staff_user(township[0])
    for user in (sx.leader, sx.h0, town_staff):
        assert not sees(user, draft)
        assert draft not in suggestions_visible(user)
    assert draft in suggestions_visible(sx.author)


def test_staff_file_the_draft_they_wrote_for_a_deputy(sx):
    draft = f.filed(actor=sx.staff, deputy=sx.deputy, congress=sx.congress, file=False)
    assert sees(sx.author, draft)
    item = f.walk(draft, (sx.staff, "file"))
    assert item.status == "filed" and item.number


def test_the_public_list_of_replies_leaves_out_the_private_text(sx, filing):
    from lianluo.suggestions.selectors import public_replies

    open_item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0)
    private = f.assigned(staff=sx.staff, lead=sx.d0, private=True, text="涉及个人信息", **filing)
    private = f.replied(private, sx.h0, text="内部答复", public_text="已处理")
    unpublished = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    unpublished = f.replied(unpublished, sx.h0, public=False)
    f.assigned(staff=sx.staff, lead=sx.d0, **filing)  # not replied: not shown
    rows = {row["number"]: row for row in public_replies(sx.congress)}
    assert set(rows) == {open_item.number, private.number, unpublished.number}
    assert rows[private.number]["text"] == ""
    assert [r["text"] for r in rows[private.number]["replies"]] == ["已处理"]
    assert rows[unpublished.number]["replies"] == []
    assert rows[open_item.number]["departments"] == [sx.d0.name]
