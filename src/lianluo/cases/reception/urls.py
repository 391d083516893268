"""The reception record's routes. They keep the URL names of the reception pages
(`stations:record`, `stations:record_case`): lianluo.urls mounts them in the `stations`
namespace beside lianluo.stations.urls."""

from django.urls import path

from lianluo.cases.reception import views

urlpatterns = [
    path("reception-days/<int:pk>/record/", views.record, name="record"),
    path("reception-days/<int:pk>/record/case/", views.record_case, name="record_case"),
    path("stations/<slug:code>/reception/record-past/", views.record_past, name="record_past"),
]
