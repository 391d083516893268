from django.urls import path

from lianluo.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("s/<slug:code>/", views.station_landing, name="station"),
    path("s/<slug:code>/qr.<str:kind>", views.station_qr, name="station_qr"),
    path("s/<slug:code>/poster.pdf", views.station_poster, name="station_poster"),
    path("s/<slug:code>/posters.pdf", views.station_posters, name="station_posters"),
    path("s/<slug:code>/cases/<str:number>/support/", views.case_support, name="case_support"),
    path("d/<slug:code>/", views.deputy_landing, name="deputy"),
    path("d/<slug:code>/poster.pdf", views.deputy_poster, name="deputy_poster"),
    path("d/<slug:code>/qr.<str:kind>", views.deputy_qr, name="deputy_qr"),
    path("opendata/stations.json", views.opendata_stations, name="opendata_stations"),
    path("opendata/deputies.json", views.opendata_deputies, name="opendata_deputies"),
    path("t/", views.track, name="track_form"),
    path("t/<str:code>/", views.track, name="track"),
    path("t/<str:code>/submitted/", views.submitted, name="submitted"),
]
