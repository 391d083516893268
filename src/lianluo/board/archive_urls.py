"""The archive's pages keep the ledger's URL names (`duty:archive`, `duty:report_pdf`, …): the
root URLconf includes these patterns with lianluo.duty.urls under the one `duty` namespace."""

from django.urls import path

from lianluo.board.views import archive as views

urlpatterns = [
    path("points/deputies/<slug:code>/", views.archive, name="archive"),
    path("points/deputies/<slug:code>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("points/deputies/<slug:code>/report.docx", views.report_docx_view, name="report_docx"),
    path("points/deputies/<slug:code>/report/submit/", views.report_submit, name="report_submit"),
    path(
        "points/deputies/<slug:code>/suggestions/<int:pk>/file/",
        views.suggestion_file_view,
        name="suggestion_file",
    ),
    path("points/entries/<int:pk>/reverse/", views.reverse_entry, name="reverse"),
]
