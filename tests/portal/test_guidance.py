"""The citizen's form tells them, before they send, where a matter the station does not take
(涉法涉诉, 信访) goes instead: as a note without JavaScript, and right below the category
select when chosen (static/lianluo/guidance.js)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lianluo.cases.models import Category


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def test_the_station_form_lists_where_litigation_and_petitions_go(demo):
    # when a citizen opens a station's page
    html = Client().get(f"/s/{demo['cg_hub'].code}/").content.decode()

    # then, next to the category select, a note says where 涉法涉诉 and 信访 go instead
    note = re.search(r'<div class="guidance" id="category-guidance".*?</div>', html, re.S)
    assert note is not None
    assert "以下事项不在这里办理" in note.group()
    assert re.search(
        r'data-guidance-for="litigation"><strong>涉法涉诉</strong>.*人民法院', note.group()
    )
    assert re.search(r'data-guidance-for="petition"><strong>信访</strong>.*信访局', note.group())
    # and an ordinary category has no such note
    assert 'data-guidance-for="transport"' not in html
    # the select names the note, and the script that shows it is a file (no inline script)
    assert re.search(r'<select name="category"[^>]*data-guidance="category-guidance"', html)
    assert re.search(r'<script src="[^"]*lianluo/guidance\.js" defer></script>', html)
    assert 'id="category-chosen"' in html


def test_a_matter_without_guidance_shows_no_note(demo):
    # given a congress whose staff took the guidance off both matters
    congress = demo["cg_hub"].congress
    Category.objects.filter(congress=congress).update(guidance_reason=None)

    # when a citizen opens its station's page
    html = Client().get(f"/s/{demo['cg_hub'].code}/").content.decode()

    # then there is no note, and the category select is still there
    assert 'id="category-guidance"' not in html
    assert '<select name="category"' in html


def test_the_note_is_in_english_for_an_english_reader(demo):
    # when a reader who asked for English opens the page
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/s/{demo['cg_hub'].code}/").content.decode()

    # then the matter and where to go are in English
    assert "Some matters are not handled here" in html
    assert "<strong>Litigation</strong>" in html
    assert "county petition office" in html


def test_the_guidance_script_is_served(demo):
    # the file the page loads exists and reads the note it names
    response = Client().get("/static/lianluo/guidance.js")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "data-guidance-for" in body and "category-chosen" in body
