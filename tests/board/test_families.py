"""Family support pairing (结对帮扶): minimal data, scope, pairing, support records, the
masked phone and its audited reveal, and the bulletin figures added up from records."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from lianluo.board.families import (
    families_for,
    family_create,
    family_pair,
    family_phone_reveal,
    support_figures,
    support_record_add,
)
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog


@pytest.fixture
def family(demo, users):
    village = demo["townships"][0].children.first()
    fam = family_create(
        actor=users["liaison"],
        area=village,
        label="张某某家",
        members=3,
        situation="因病致贫",
        contact_phone="138-1234-5678",
        plan="每月走访一次，协助申请医疗救助",
    )
    family_pair(actor=users["liaison"], family=fam, deputy=demo["deputy"])
    return fam


def test_a_family_is_a_label_in_the_actors_area(demo, users):
    village = demo["townships"][0].children.first()
    with pytest.raises(DomainError) as exc:
        family_create(actor=users["liaison"], area=village, label="张三家")
    assert exc.value.code == "personal_data"
    # another township's officer cannot register a family here
    with pytest.raises(NotFound):
        family_create(actor=users["other"], area=village, label="李某某家")
    # the county staff can
    assert family_create(actor=users["staff"], area=village, label="李某某家").pk


def test_only_handlers_see_a_family(demo, users, family):
    assert list(families_for(viewer=users["liaison"])) == [family]
    assert list(families_for(viewer=users["staff"])) == [family]
    assert list(families_for(viewer=users["deputy"])) == [family]  # paired
    assert list(families_for(viewer=users["other"])) == []
    assert list(families_for(viewer=users["dept"])) == []
    client = Client()
    client.force_login(users["other"])
    assert client.get(f"/board/families/{family.pk}/").status_code == 404


def test_the_phone_is_masked_and_each_reveal_is_audited(demo, users, family):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    page = client.get(f"/board/families/{family.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    response = client.post(f"/board/families/{family.pk}/phone/")
    assert "13812345678" in response.content.decode()
    assert AuditLog.objects.filter(verb="family.reveal_phone", actor=users["liaison"]).count() == 1
    with pytest.raises(NotFound):
        family_phone_reveal(actor=users["other"], family=family)
    assert AuditLog.objects.filter(verb="family.reveal_phone").count() == 1


def test_support_records_add_up_to_the_bulletin_figures(demo, users, family):
    deputy = demo["deputy"]
    today = timezone.localdate()
    support_record_add(actor=users["liaison"], family=family, deputy=deputy, on=today, kind="visit")
    support_record_add(
        actor=deputy.user,
        family=family,
        deputy=deputy,
        on=max(today.replace(month=1, day=1), today - timedelta(days=1)),  # this year's
        kind="money",
        value_yuan=Decimal("2000"),
    )
    support_record_add(
        actor=users["liaison"],
        family=family,
        deputy=deputy,
        on=today,
        kind="in_kind",
        value_yuan=Decimal("1500.50"),
        note="米、油",
    )
    # an old record outside the period
    support_record_add(
        actor=users["liaison"],
        family=family,
        deputy=deputy,
        on=date(today.year - 1, 12, 31),
        kind="money",
        value_yuan=Decimal("9999"),
    )
    figures = support_figures(
        area_path=demo["county"].path, start=today.replace(month=1, day=1), end=today
    )
    assert figures.visits == 3
    assert figures.value_wan == Decimal("0.35")
    assert figures.families == 1
    # another township has none
    other = demo["townships"][1]
    assert support_figures(area_path=other.path, start=date(2000, 1, 1), end=today).visits == 0
    # and the staff's page shows them
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["staff"])
    page = client.get("/board/families/").content.decode()
    assert 'data-testid="visits">3<' in page and 'data-testid="value-wan">0.35<' in page


def test_support_is_refused_when_wrong(demo, users, family):
    deputy = demo["deputy"]
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        support_record_add(
            actor=users["liaison"], family=family, deputy=deputy, on=today, kind="money"
        )
    assert exc.value.field == "value_yuan"
    with pytest.raises(DomainError) as exc:
        support_record_add(
            actor=users["liaison"],
            family=family,
            deputy=deputy,
            on=today + timedelta(days=1),
            kind="visit",
        )
    assert exc.value.code == "invalid_date"
    unpaired = demo["deputies"][1]
    with pytest.raises(DomainError) as exc:
        support_record_add(
            actor=users["liaison"], family=family, deputy=unpaired, on=today, kind="visit"
        )
    assert exc.value.code == "not_paired"
    with pytest.raises(NotFound):
        support_record_add(
            actor=users["other"], family=family, deputy=deputy, on=today, kind="visit"
        )
    with pytest.raises(DomainError) as exc:
        family_pair(actor=users["liaison"], family=family, deputy=deputy)
    assert exc.value.code == "already_paired"
    assert family.support.count() == 0


def test_pages_register_pair_and_record(demo, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["liaison"])
    village = demo["townships"][0].children.first()
    response = client.post(
        "/board/families/new/",
        {"area": village.pk, "label": "王某某家", "members": 2, "contact_phone": "13900001111"},
    )
    assert response.status_code == 302
    url = response["Location"]
    deputy = demo["deputy"]
    response = client.post(url + "pair/", {"deputy": deputy.code}, follow=True)
    assert "The deputy is paired with the family." in response.content.decode()
    response = client.post(
        url + "support/",
        {
            "deputy": deputy.code,
            "date": timezone.localdate().isoformat(),
            "kind": "money",
            "value_yuan": "500",
            "note": "慰问金",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The support is recorded." in page and "慰问金" in page
    # a refused label is shown next to the field
    response = client.post(
        "/board/families/new/", {"area": village.pk, "label": "王五家", "members": 1}
    )
    assert response.status_code == 400
    assert 'data-testid="error-label"' in response.content.decode()


def test_demo_families_have_support_records(demo, users):
    from lianluo.demo.seed import seed_board

    seed_board(demo)
    seed_board(demo)
    today = timezone.localdate()
    figures = support_figures(
        area_path=demo["county"].path, start=today.replace(month=1, day=1), end=today
    )
    assert figures.families == 2 and figures.visits == 5
    assert figures.value_wan > 0


def test_a_deputy_of_another_township_cannot_be_paired(demo, users, family):
    # given a deputy grouped only into the other township's stations
    from lianluo.stations.models import StationMembership

    own = demo["townships"][0].code
    outsider = next(
        d
        for d in demo["deputies"]
        if not StationMembership.objects.filter(
            deputy=d, station__area__path__contains=own
        ).exists()
        and not d.mandates.filter(congress__area__path__contains=own).exists()
        and not d.mandates.filter(congress__area__level__in=["county", "city", "province"]).exists()
    )
    # when the officer pairs them with a family of their own township, the code is refused
    # like an unknown one, and no pairing is made
    with pytest.raises(DomainError) as exc:
        family_pair(actor=users["liaison"], family=family, deputy=outsider)
    assert exc.value.code == "invalid_value" and exc.value.field == "deputy"
    assert list(family.pairings.values_list("deputy", flat=True)) == [demo["deputy"].pk]
