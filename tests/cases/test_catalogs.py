"""The case catalogs: every congress has the default categories and decline reasons, a new
congress gets them too, its staff edit them (within their congresses only, audited), and a
deactivated row is no longer offered while the cases that name it keep it."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.forms import AcceptForm, CaseSubmitForm, DeclineForm
from lianluo.cases.models import Category, DeclineReason
from lianluo.cases.services.catalogs import (
    DEFAULT_CATEGORIES,
    DEFAULT_REASONS,
    catalogs_install_defaults,
)
from lianluo.core.models import Area, AuditLog, Congress

DEFAULT_CATEGORY_CODES = {d.code for d in DEFAULT_CATEGORIES}
DEFAULT_REASON_CODES = {d.code for d in DEFAULT_REASONS}


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(model, congress) -> set[str]:
    return set(model.objects.filter(congress=congress).values_list("code", flat=True))


def test_every_congress_of_the_demo_has_the_default_catalogs(demo):
    # given the demo county's congresses (province, city, county, four townships)
    congresses = list(Congress.objects.all())
    assert len(congresses) == 7

    # then each has the default categories and decline reasons of its own
    for congress in congresses:
        assert codes(Category, congress) == DEFAULT_CATEGORY_CODES, congress
        assert codes(DeclineReason, congress) == DEFAULT_REASON_CODES, congress
    # and 涉法涉诉 points the citizen to the courts, 信访 to the petition office
    county = Congress.objects.get(area__code="430399000000")
    litigation = Category.objects.get(congress=county, code="litigation")
    assert litigation.name == "涉法涉诉"
    assert litigation.guidance_reason is not None
    assert "人民法院" in litigation.guidance_reason.guidance
    petition = Category.objects.get(congress=county, code="petition")
    assert petition.guidance_reason is not None
    assert "信访局" in petition.guidance_reason.guidance


def test_a_new_congress_gets_the_defaults_and_installing_again_changes_nothing(demo):
    # given a new township in the county
    county = Area.objects.get(code="430399000000")
    area = Area.objects.create(code="430399104000", name="新桥镇", level="township", parent=county)

    # when its congress is created
    congress = Congress.objects.create(area=area, name="新桥镇人民代表大会")

    # then it has the default catalogs at once
    assert codes(Category, congress) == DEFAULT_CATEGORY_CODES
    assert codes(DeclineReason, congress) == DEFAULT_REASON_CODES
    # and installing again (after its staff renamed one) keeps what they made
    Category.objects.filter(congress=congress, code="urban").update(name="村镇建设")
    assert catalogs_install_defaults(congress) == ([], [])
    assert Category.objects.get(congress=congress, code="urban").name == "村镇建设"


def test_county_staff_add_a_category_audited_and_the_citizen_is_offered_it(demo, users):
    # given the county staff on the settings page of 河口's congress
    hekou = Congress.objects.get(area__code="430399101000")
    client = signed_in(users["staff"])
    page = client.get(f"/ledger/settings/?congress={hekou.pk}")
    assert page.status_code == 200
    assert "涉法涉诉" in page.content.decode()

    # when they add a category
    response = client.post(
        f"/ledger/settings/categories/new/?congress={hekou.pk}",
        {"congress": hekou.pk, "code": "ferry", "name": "渡口", "active": "on"},
    )

    # then it is 河口's, audited, and offered on the citizen's form at 河口's stations only
    assert response.status_code == 302
    row = Category.objects.get(congress=hekou, code="ferry")
    audit = AuditLog.objects.get(verb="case_category.add", target_id=str(row.pk))
    assert audit.actor == users["staff"]
    assert audit.data["after"]["name"] == "渡口"
    assert "ferry" in [c.code for c in CaseSubmitForm(congress=hekou).categories()]
    chengguan = Congress.objects.get(area__code="430399100000")
    assert "ferry" not in [c.code for c in CaseSubmitForm(congress=chengguan).categories()]


def test_a_code_is_used_once_per_congress(demo, users):
    # given 河口's catalog, which has 'urban'
    hekou = Congress.objects.get(area__code="430399101000")

    # when staff add another 'urban'
    response = signed_in(users["staff"]).post(
        "/ledger/settings/categories/new/",
        {"congress": hekou.pk, "code": "urban", "name": "重复", "active": "on"},
    )

    # then the form says so at the code, and nothing was added
    assert response.status_code == 400
    assert "已使用这个代码" in response.content.decode()
    assert Category.objects.filter(congress=hekou, code="urban").count() == 1


@pytest.mark.parametrize(
    ("username", "area_code", "expected"),
    [
        ("staff", "430399101000", 200),  # county staff, a township below: theirs
        ("staff", "430300000000", 404),  # county staff, the city above: not theirs
        ("liaison", "430399100000", 404),  # a liaison officer edits no catalog
        ("leader", "430399000000", 404),  # a leader reads, never edits
    ],
)
def test_staff_edit_only_the_catalogs_of_their_congresses(
    demo, users, username, area_code, expected
):
    # given a category of a congress
    congress = Congress.objects.get(area__code=area_code)
    row = Category.objects.get(congress=congress, code="transport")

    # when the user edits it
    response = signed_in(users[username]).post(
        f"/ledger/settings/categories/{row.pk}/",
        {"code": "transport", "name": "改名", "active": "on"},
    )

    # then only the staff of that congress may, and nothing else changed
    assert response.status_code == (302 if expected == 200 else 404)
    row.refresh_from_db()
    assert row.name == ("改名" if expected == 200 else "交通出行")
    assert AuditLog.objects.filter(verb="case_category.change").exists() is (expected == 200)


def test_a_deactivated_category_and_reason_are_no_longer_offered(demo, users, make_case):
    # given a case filed under 城关's 教育 category
    chengguan = demo["cg_hub"].congress
    education = Category.objects.get(congress=chengguan, code="education")
    filed = make_case(("accept", {"triage": "general", "category": education}))
    reason = DeclineReason.objects.get(congress=chengguan, code="duplicate")
    client = signed_in(users["staff"])

    # when staff deactivate both
    for url, data in [
        (
            f"/ledger/settings/categories/{education.pk}/",
            {"code": "education", "name": "教育", "name_en": education.name_en},
        ),
        (
            f"/ledger/settings/reasons/{reason.pk}/",
            {
                "code": "duplicate",
                "name": "重复反映",
                "name_en": reason.name_en,
                "guidance": reason.guidance,
                "guidance_en": reason.guidance_en,
            },
        ),
    ]:
        assert client.post(url, data).status_code == 302

    # then neither is offered (citizen's form, accept and decline forms) ...
    case = make_case()
    assert "education" not in [c.code for c in CaseSubmitForm(congress=chengguan).categories()]
    accept = AcceptForm(case=case).fields["category"]
    assert "education" not in [c.code for c in accept.queryset]  # type: ignore[attr-defined]
    decline = DeclineForm(case=case).fields["reason"]
    assert "duplicate" not in [r.code for r in decline.queryset]  # type: ignore[attr-defined]
    # ... the settings page marks them, and the case filed under it keeps it
    page = client.get(f"/ledger/settings/?congress={chengguan.pk}").content.decode()
    assert page.count('class="inactive"') == 2
    assert page.count("· 不再提供") == 2
    filed.refresh_from_db()
    assert filed.category == education
    audit = AuditLog.objects.get(verb="decline_reason.change", target_id=str(reason.pk))
    assert audit.data == {
        "congress": chengguan.pk,
        "before": {"active": "True"},
        "after": {"active": "False"},
    }


def test_the_ledger_links_the_settings_for_staff_only(demo, users):
    # when staff and a liaison officer open the ledger
    staff = signed_in(users["staff"]).get("/ledger/").content.decode()
    liaison = signed_in(users["liaison"]).get("/ledger/").content.decode()

    # then only staff see the link to the catalogs
    assert 'data-testid="catalogs-link"' in staff
    assert 'data-testid="catalogs-link"' not in liaison
