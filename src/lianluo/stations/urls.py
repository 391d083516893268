from django.urls import path

from lianluo.stations import views

# lianluo.urls mounts these in the `stations` namespace together with the reception record's
# routes (lianluo.cases.reception.urls: `stations:record`, `stations:record_case`).
app_name = "stations"

urlpatterns = [
    path("reception/", views.reception_index, name="reception_index"),
    path("reception/holidays/", views.holidays, name="holidays"),
    path("reception/holidays/<int:pk>/delete/", views.holiday_remove, name="holiday_remove"),
    path("stations/<slug:code>/reception/", views.reception, name="reception"),
    path("stations/<slug:code>/reception/rules/new/", views.rule_new, name="rule_new"),
    path("stations/<slug:code>/reception/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path(
        "stations/<slug:code>/reception/rules/<int:pk>/active/",
        views.rule_active,
        name="rule_active",
    ),
    path("stations/<slug:code>/reception/generate/", views.generate, name="generate"),
    path("stations/<slug:code>/reception/publish/", views.publish, name="publish"),
    path("reception-days/<int:pk>/", views.day_detail, name="day"),
    path("reception-days/<int:pk>/deputies/", views.day_deputies, name="day_deputies"),
    path("reception-days/<int:pk>/publish/", views.day_publish, name="day_publish"),
    path("reception-days/<int:pk>/cancel/", views.day_cancel, name="day_cancel"),
    path("reception-days/<int:pk>/signup/", views.signup, name="signup"),
    path("reception-days/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("duty/", views.my_duties, name="my_duties"),
    path("duty/away/", views.away_declare, name="away_declare"),
    path("duty/away/<int:pk>/delete/", views.away_withdraw, name="away_withdraw"),
    # Public calendar feeds (the portal owns /s/ and /d/).
    path("stations/<slug:code>/calendar.ics", views.station_ics, name="station_ics"),
    path("deputies/<slug:code>/calendar.ics", views.deputy_ics, name="deputy_ics"),
]
