from django.urls import path, re_path

from lianluo.suggestions.views import reports, work

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
    path("suggestions/ledger/", reports.ledger, name="ledger"),
    path("suggestions/ledger.xlsx", reports.ledger_xlsx, name="ledger_xlsx"),
    path("suggestions/key/", reports.key, name="key"),
    path("suggestions/stats/", reports.stats, name="stats"),
    path("suggestions/report/<int:year>/", reports.annual, name="report"),
    path("suggestions/report/<int:year>/report.docx", reports.annual_docx, name="report_docx"),
    path("congress/suggestions/", reports.public_index, name="public_index"),
    path("congress/<slug:code>/suggestions/", reports.public, name="public"),
]
