from django.urls import path

from lianluo.activities import views

app_name = "activities"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("activities/", views.activity_list_view, name="list"),
    path("activities.xlsx", views.activity_list_xlsx, name="list_xlsx"),
    path("activities/new/", views.activity_new, name="new"),
    path("activities/checkin/", views.checkin, name="checkin"),
    path("activities/themes/<slug:code>/", views.themes, name="themes"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/publish/", views.activity_publish_view, name="publish"),
    path("activities/<int:pk>/cancel/", views.activity_cancel_view, name="cancel"),
    path("activities/<int:pk>/signup/", views.signup_view, name="signup"),
    path("activities/<int:pk>/signup/cancel/", views.signup_cancel_view, name="signup_cancel"),
    path("activities/<int:pk>/checkin-code/", views.checkin_code, name="checkin_code"),
    path("activities/<int:pk>/checkin-code/live/", views.checkin_code_live, name="checkin_live"),
    path("activities/<int:pk>/record/", views.activity_record_view, name="record"),
    path("activities/<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
]
