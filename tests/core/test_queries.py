"""Lists answer in a constant number of SQL queries, however many cases a page holds (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianluo.cases.models import Category
from lianluo.cases.services import case_submit, case_transition
from lianluo.core.models import Department


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


@pytest.fixture
def add_cases(demo, users):
    """add_cases(n): n more cases, all over the county, in varied states and with every
    relation a list row shows (station, category, department, responsible deputy)."""
    stations = demo["all_stations"]
    categories = list(Category.objects.all())
    departments = list(Department.objects.all())
    made = 0

    def add(n: int) -> None:
        nonlocal made
        for _ in range(n):
            i = made
            made += 1
            case, _ = case_submit(
                # half of them at the liaison officer's station, so every role's page grows
                station=demo["cg_hub"] if i % 2 else stations[i % len(stations)],
                deputy=demo["deputies"][i % 7] if i % 4 == 0 else None,
                text=f"第{i}件：路灯坏了",
                category=categories[i % len(categories)],
                phone="13812345678",
                name="张三",
            )
            if i % 3:
                case = case_transition(
                    case=case, actor=users["staff"], action="accept", triage="general"
                )
            if i % 3 == 2:
                case_transition(
                    case=case,
                    actor=users["staff"],
                    action="assign",
                    department=departments[i % len(departments)],
                )

    return add


def count_queries(fetch) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "liaison", "leader"])
def test_the_api_ledger_takes_the_same_queries_for_5_or_25_cases(api, add_cases, role):
    # given a user's API client, and 5 cases
    client = api(role)
    add_cases(5)
    small = count_queries(lambda: client.get("/api/v1/cases", page_size=25))

    # when 20 more cases fill the page
    add_cases(20)
    large = count_queries(lambda: client.get("/api/v1/cases", page_size=25))

    # then the list takes no more queries, and only a handful
    assert large == small
    assert large <= 8


@pytest.mark.parametrize("role", ["staff", "liaison", "leader"])
def test_the_html_ledger_takes_the_same_queries_for_5_or_25_cases(users, add_cases, role):
    # given a signed-in user, and 5 cases
    client = Client()
    client.force_login(users[role])
    add_cases(5)
    small = count_queries(lambda: client.get("/ledger/"))

    # when 20 more cases fill the page
    add_cases(20)
    large = count_queries(lambda: client.get("/ledger/"))

    # then the page takes no more queries
    assert large == small
    assert large <= 15


def test_the_desk_takes_the_same_queries_for_5_or_25_cases(users, add_cases):
    # given a signed-in staff member, and 5 cases
    client = Client()
    client.force_login(users["staff"])
    add_cases(5)
    small = count_queries(lambda: client.get("/desk/"))

    # when 20 more cases arrive
    add_cases(20)
    large = count_queries(lambda: client.get("/desk/"))

    # then the desk takes no more queries
    assert large == small
