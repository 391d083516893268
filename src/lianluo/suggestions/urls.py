from django.urls import path

from lianluo.suggestions.views import reports

app_name = "suggestions"

# Pages under /suggestions/. The filing page that converts citizens' cases is in cases (it
# converts them): cases:suggestion_new.
urlpatterns: list = [
    # -- work (views/work.py) --
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
