from django.urls import path

from lianluo.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("s/<slug:code>/", views.station_landing, name="station"),
    path("s/<slug:code>/qr.<str:kind>", views.station_qr, name="station_qr"),
    path("d/<slug:code>/", views.deputy_landing, name="deputy"),
    path("d/<slug:code>/qr.<str:kind>", views.deputy_qr, name="deputy_qr"),
    path("t/", views.track, name="track_form"),
    path("t/<str:code>/", views.track, name="track"),
    path("t/<str:code>/submitted/", views.submitted, name="submitted"),
]
