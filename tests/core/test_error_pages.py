"""The 404 and 500 pages in production (DEBUG off), through the real handlers: styled like the
site, Chinese by default, with a way home; the 500 page needs no request context and no
database. And the favicon browsers ask for by default is there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path

from lianluo.core import edge
from lianluo.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("a bug")


# A test URLconf: the site's, a view that fails, and the site's handlers.
urlpatterns = [path("test-boom/", boom), *site_patterns]
handler404 = "lianluo.core.edge.handler404"
handler500 = "lianluo.core.edge.handler500"


def test_an_unknown_page_gets_the_styled_404_in_chinese(db, settings):
    settings.DEBUG = False

    # when a visitor opens a page that does not exist
    response = Client().get("/no-such-page/")

    # then the site's 404 page: in Chinese, in the site's style, with the way home
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 data-testid="error-title">页面不存在</h1>' in html
    assert 'href="/" data-testid="home-link">返回首页</a>' in html
    assert "lianluo/base.css" in html and "lianluo/favicon.svg" in html
    assert 'lang="zh-CN"' in html


@pytest.mark.urls(__name__)
def test_a_failing_page_gets_the_styled_500_in_chinese(db, settings):
    settings.DEBUG = False

    # when a page fails
    response = Client(raise_request_exception=False).get("/test-boom/")

    # then the site's 500 page, in Chinese, with the way home
    html = response.content.decode()
    assert response.status_code == 500
    assert '<h1 data-testid="error-title">服务器出错</h1>' in html
    assert 'href="/" data-testid="home-link">返回首页</a>' in html
    assert "lianluo/base.css" in html and 'lang="zh-CN"' in html


def test_the_500_page_needs_no_database_and_no_request_context(db, settings):
    settings.DEBUG = False
    # given a bare request: no user, no session, no context processors (the database may be
    # what failed)
    request = RequestFactory().get("/somewhere/")

    # when the handler renders the page
    with CaptureQueriesContext(connection) as queries:
        response = edge.handler500(request)

    # then it renders without a single query
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
    assert len(queries) == 0


def test_browsers_asking_for_favicon_ico_get_the_icon(db, settings):
    settings.DEBUG = False

    # when a browser asks for its default icon
    response = Client().get("/favicon.ico")

    # then it is sent to the static one, which is there
    assert response.status_code == 301
    assert response["Location"].endswith("lianluo/favicon.ico")
    icon = Client().get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
