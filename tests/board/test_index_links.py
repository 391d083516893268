"""The board's index links only the pages its reader may open: a deputy was offered the station
of the year's scorecard and a leader the families, and both got "page not found"."""

from __future__ import annotations

import pytest
from django.test import Client

LINKS = {"families": "/board/families/", "scorecard": "/board/station-of-the-year/scorecard/"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("login", ["staff", "liaison", "deputy", "leader"])
def test_every_page_the_board_index_links_opens_for_its_reader(users, login):
    client = _client(users[login])
    page = client.get("/board/").content.decode()

    for path in LINKS.values():
        if f'href="{path}"' in page:
            assert client.get(path).status_code == 200, path


def test_staff_are_offered_families_and_the_scorecard_a_deputy_neither(users):
    staff = _client(users["staff"]).get("/board/").content.decode()
    deputy = _client(users["deputy"]).get("/board/").content.decode()

    assert f'href="{LINKS["families"]}"' in staff
    assert f'href="{LINKS["scorecard"]}"' in staff
    assert f'href="{LINKS["scorecard"]}"' not in deputy
