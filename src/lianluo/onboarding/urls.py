from django.urls import path

from lianluo.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("setup/", views.index, name="index"),
    path("imports/", views.imports, name="imports"),
    path("imports/template/<str:kind>.xlsx", views.template_download, name="template"),
    path("imports/export/<str:kind>.xlsx", views.export, name="export"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("checklist/", views.completeness, name="completeness"),
    path("checklist/<slug:code>/", views.checklist, name="checklist"),
    path("checklist/<slug:code>/<str:item>/", views.checklist_item, name="checklist_item"),
    path("checklist/<slug:code>/<str:item>/evidence/", views.evidence, name="evidence"),
    path("masters/<slug:code>/", views.masters, name="masters"),
    path("masters/<slug:code>/fixed/", views.masters_fixed, name="masters_fixed"),
    path("masters/<slug:code>/rotation/", views.masters_rotation, name="masters_rotation"),
    path("masters/<slug:code>/<int:pk>/remove/", views.masters_remove, name="masters_remove"),
]
