from django.urls import path

from lianluo.cases import suggest_views, views

app_name = "cases"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger/<str:number>/", views.case_detail, name="detail"),
    path("ledger/<str:number>/do/<str:action>/", views.case_action, name="action"),
    path("ledger/<str:number>/merge/", views.merge, name="merge"),
    path("ledger/<str:number>/phone/", views.reveal_phone, name="reveal_phone"),
    path("ledger/<str:number>/summary/", views.summary_approve, name="summary_approve"),
    path("ledger/<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("suggestions/new/", suggest_views.suggestion_new, name="suggestion_new"),
]
