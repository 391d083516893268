from django.urls import path

from lianluo.duty import views

app_name = "duty"

urlpatterns = [
    path("points/", views.index, name="index"),
    path("points/deputies/<slug:code>/", views.archive, name="archive"),
    path("points/deputies/<slug:code>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("points/deputies/<slug:code>/report.docx", views.report_docx_view, name="report_docx"),
    path("points/deputies/<slug:code>/report/submit/", views.report_submit, name="report_submit"),
    path(
        "points/deputies/<slug:code>/suggestions/<int:pk>/file/",
        views.suggestion_file_view,
        name="suggestion_file",
    ),
    path("points/register/", views.register, name="register"),
    path("points/report/", views.self_report, name="self_report"),
    path("points/verify/", views.verify_queue, name="verify_queue"),
    path("points/entries/<int:pk>/verify/", views.verify, name="verify"),
    path("points/entries/<int:pk>/reverse/", views.reverse_entry, name="reverse"),
    path("points/entries/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("points/catalog/", views.catalog, name="catalog"),
    path("points/catalog/items/<int:pk>/", views.item_edit, name="item_edit"),
]
