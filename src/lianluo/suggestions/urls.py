from django.urls import path, re_path  # noqa: F401

from lianluo.suggestions.views import work

app_name = "suggestions"

# An item's reference: its number (430321-2026-R007) or d<id> while a draft has none; the
# pattern leaves /suggestions/ledger/ and the other pages' words free.
REF = r"(?P<ref>d\d+|\w+-\d{4}-[A-Z]\d+)"

# Pages under /suggestions/. The filing page that converts citizens' cases is in cases (it
# converts them): cases:suggestion_new.
urlpatterns: list = [
    # -- work (views/work.py) --
    path("suggestions/", work.work, name="work"),
    re_path(rf"^suggestions/{REF}/$", work.suggestion_page, name="item"),
    re_path(rf"^suggestions/{REF}/do/(?P<action>\w+)/$", work.suggestion_do, name="do"),
    re_path(rf"^suggestions/{REF}/letters/(?P<reply_id>\d+)/$", work.reply_letter, name="letter"),
    # -- reports (views/reports.py) --
]
