from django.urls import path

from lianluo.insights.views import dashboard, records, screen

app_name = "insights"

urlpatterns = [
    path("insights/", dashboard.dashboard, name="dashboard"),
    path("insights/records/", records.records, name="records"),
    path("insights/topics/<int:pk>/", records.topic, name="topic"),
    path("insights/screen/", screen.screen, name="screen"),
    path("insights/screen/data/", screen.screen_data, name="screen_data"),
]
