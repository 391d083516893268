from django.urls import path

from lianluo.duty import views

# The archive's pages (duty:archive, duty:report_pdf, duty:reverse …) are lianluo.board's: the
# root URLconf adds lianluo.board.archive_urls to this namespace.
app_name = "duty"

urlpatterns = [
    path("points/", views.index, name="index"),
    path("points/ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("points/register/", views.register, name="register"),
    path("points/report/", views.self_report, name="self_report"),
    path("points/verify/", views.verify_queue, name="verify_queue"),
    path("points/entries/<int:pk>/verify/", views.verify, name="verify"),
    path("points/entries/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("points/catalog/", views.catalog, name="catalog"),
    path("points/catalog/items/<int:pk>/", views.item_edit, name="item_edit"),
]
