"""Every refusal of the workflow, through the API as clients meet them: 404 when the item is not
the user's to see, 403 when they see it but may not act, 409 for the state (and the named
refusals), 422 with the field for a missing or wrong value — each as {code, message}."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import ApiClient
from tests.factories import suggestions as f
from tests.factories.suggestions import on, walk

pytestmark = pytest.mark.django_db


def act(user, item, action: str, **fields):
    """POST one transition as `user`; the response."""
    return ApiClient(user).post(
        f"/api/v1/suggestions/{item.number}/transitions", {"action": action, **fields}
    )


def refused(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"], body
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.fixture
def assigned(sx, filing):
    return f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)


def test_reply_before_contacting_the_deputy(sx, assigned):
    refused(act(sx.h0, assigned, "reply", code="A", text="已办"), 409, "no_contact")
    # contact in the first round does not count for the second
    item = f.rated(f.replied(assigned, sx.h0), sx.author, "dissatisfied")
    item = walk(item, (sx.staff, "rehandle"))
    refused(act(sx.h0, item, "reply", code="A", text="再次答复"), 409, "no_contact")


def test_only_the_lead_deputy_rates(sx, assigned, filing):
    item = f.filed(**filing, co_signers=[sx.fellow])
    walk(item, (sx.fellow_user, "cosign"), (sx.staff, "register"))
    item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, item=item), sx.h0)
    refused(act(sx.fellow_user, item, "rate", rating="satisfied"), 403, "not_allowed")
    refused(act(sx.staff, item, "rate", rating="satisfied"), 403, "not_allowed")
    stranger = f.deputy_user(f.fellow_deputies(sx.congress, but=sx.deputy, n=3)[2])
    refused(act(stranger, item, "rate", rating="satisfied"), 404, "not_found")
    assert act(sx.author, item, "rate", rating="satisfied").status_code == 200


def test_a_department_cannot_act_on_another_departments_item(sx, assigned):
    refused(act(sx.h2, assigned, "contact", method="phone", date=str(f.today())), 404, "not_found")
    assert ApiClient(sx.h2).get(f"/api/v1/suggestions/{assigned.number}").status_code == 404


def test_a_department_changed_away_sees_the_item_but_may_not_act(sx, assigned):
    walk(
        assigned,
        (sx.h0, ("request_change", {"reason": "职责不符"})),
        (sx.staff, ("decide_change", {"accept": True, "department": sx.d2.code})),
    )
    assert ApiClient(sx.h0).get(f"/api/v1/suggestions/{assigned.number}").status_code == 200
    today = str(f.today())
    refused(act(sx.h0, assigned, "contact", method="phone", date=today), 403, "not_allowed")


def test_the_co_department_does_not_reply_and_the_lead_sends_no_opinion(sx, assigned):
    walk(assigned, (sx.h1, ("contact", {"method": "phone", "date": f.today()})))
    refused(act(sx.h1, assigned, "reply", code="A", text="协办答复"), 403, "not_allowed")
    refused(act(sx.h0, assigned, "opinion", text="主办意见"), 403, "not_allowed")


def test_wrong_state(sx, assigned):
    refused(act(sx.staff, assigned, "register"), 409, "invalid_transition")
    refused(act(sx.author, assigned, "rate", rating="satisfied"), 409, "invalid_transition")
    refused(act(sx.h0, assigned, "further_reply", code="A", text="x"), 409, "invalid_transition")
    item = f.replied(assigned, sx.h0)
    refused(act(sx.author, item, "withdraw", reason="不要了"), 409, "invalid_transition")
    refused(act(sx.staff, item, "rehandle"), 409, "invalid_transition")
    refused(act(sx.h0, item, "reply", code="A", text="again"), 409, "invalid_transition")


def test_a_department_replies_once_per_round(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], separate=True, **filing)
    item = f.replied(item, sx.h0)
    refused(act(sx.h0, item, "reply", code="B", text="再答复"), 409, "invalid_transition")


def test_register_waits_for_every_co_signer(sx, filing):
    item = f.filed(**filing, co_signers=[sx.fellow])
    refused(act(sx.staff, item, "register"), 409, "cosigners_pending")
    walk(item, (sx.fellow_user, "cosign"))
    assert act(sx.staff, item, "register").status_code == 200


def test_change_request_after_the_window_and_only_once(sx, filing):
    with on("2026-12-02"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)
        walk(item, (sx.h0, ("request_change", {"reason": "职责不符"})))
        refused(act(sx.h0, item, "request_change", reason="再次"), 409, "invalid_transition")
    with on("2026-12-14"):  # 7 working days after Dec 2 is Dec 11
        refused(act(sx.h1, item, "request_change", reason="职责不符"), 409, "change_too_late")


def test_close_before_the_rating_window_ended(sx, assigned):
    item = f.replied(assigned, sx.h0)
    refused(act(sx.staff, item, "close"), 409, "rating_open")
    with on(str(item.rate_due + timedelta(days=1))):
        assert act(sx.staff, item, "close").status_code == 200


def test_unknown_action_and_missing_or_wrong_fields(sx, filing, assigned):
    item = f.filed(**filing)
    refused(act(sx.staff, item, "approve"), 422, "invalid_value", "action")
    refused(act(sx.staff, item, "decline"), 422, "missing_field", "reason")
    refused(act(sx.staff, item, "decline", reason="dislike"), 422, "invalid_value", "reason")
    refused(act(sx.staff, item, "merge", into=item.number), 422, "invalid_value", "into")
    walk(item, (sx.staff, "register"))
    refused(act(sx.staff, item, "assign"), 422, "missing_field", "lead")
    refused(act(sx.staff, item, "assign", lead="nope"), 422, "invalid_value", "lead")
    refused(
        act(sx.staff, item, "assign", lead=sx.d0.code, co=[sx.d0.code]),
        422,
        "invalid_value",
        "co",
    )
    today = str(f.today())
    refused(act(sx.h0, assigned, "contact", method="email", date=today), 422, "invalid_value")
    tomorrow = str(f.today() + timedelta(days=1))
    response = act(sx.h0, assigned, "contact", method="phone", date=tomorrow)
    refused(response, 422, "invalid_value", "date")
    refused(act(sx.h0, assigned, "contact", method="phone"), 422, "missing_field", "date")
    walk(assigned, (sx.h0, ("contact", {"method": "phone", "date": today})))
    refused(act(sx.h0, assigned, "reply", code="E", text="x"), 422, "invalid_value", "code")
    refused(act(sx.h0, assigned, "reply", code="A"), 422, "missing_field", "text")
    refused(act(sx.h0, assigned, "request_change"), 422, "missing_field", "reason")


def test_readers_and_strangers(sx, filing, assigned):
    # a leader reads the congress's items but takes no step
    assert ApiClient(sx.leader).get(f"/api/v1/suggestions/{assigned.number}").status_code == 200
    refused(act(sx.leader, assigned, "close"), 403, "not_allowed")
    # a draft is its author's: another deputy does not even see it
    draft = f.filed(**filing, file=False)
    path = f"/api/v1/suggestions/d{draft.pk}/transitions"
    response = ApiClient(sx.fellow_user).post(path, {"action": "file"})
    refused(response, 404, "not_found")
    assert ApiClient(sx.author).post(path, {"action": "file"}).status_code == 200
