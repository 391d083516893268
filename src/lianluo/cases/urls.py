from django.urls import path

from lianluo.cases import record_views, settings_views, suggest_views, views

app_name = "cases"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    # Before ledger/<number>/: "settings" is not a case number.
    path("ledger/settings/", settings_views.settings_index, name="settings"),
    path("ledger/settings/categories/new/", settings_views.category_add, name="category_add"),
    path(
        "ledger/settings/categories/<int:pk>/", settings_views.category_edit, name="category_edit"
    ),
    path("ledger/settings/reasons/new/", settings_views.reason_add, name="reason_add"),
    path("ledger/settings/reasons/<int:pk>/", settings_views.reason_edit, name="reason_edit"),
    # Before the case's own path: "record" is no ledger number.
    path("ledger/record/", record_views.record, name="record"),
    path("ledger/record/<str:number>/", record_views.record_done, name="record_done"),
    path("ledger/<str:number>/", views.case_detail, name="detail"),
    path("ledger/<str:number>/do/<str:action>/", views.case_action, name="action"),
    path("ledger/<str:number>/merge/", views.merge, name="merge"),
    path("ledger/<str:number>/phone/", views.reveal_phone, name="reveal_phone"),
    path("ledger/<str:number>/summary/", views.summary_approve, name="summary_approve"),
    path("ledger/<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("suggestions/new/", suggest_views.suggestion_new, name="suggestion_new"),
]
