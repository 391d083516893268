from django.urls import path

from lianluo.duty import board_views as views

app_name = "board"

urlpatterns = [
    path("board/", views.index, name="index"),
    path("board/publish/", views.publish, name="publish"),
    path("board/publications/<int:pk>/", views.publication, name="publication"),
    path("board/publications/<int:pk>/object/", views.object_to, name="object"),
    path("board/objections/<int:pk>/decide/", views.decide, name="decide"),
    path("board/evaluation/<int:pk>/", views.evaluation, name="evaluation"),
    path(
        "board/evaluation/<int:pk>/export.xlsx", views.evaluation_export, name="evaluation_export"
    ),
    path("board/families/", views.families, name="families"),
    path("board/families/new/", views.family_new, name="family_new"),
    path("board/families/<int:pk>/", views.family, name="family"),
    path("board/families/<int:pk>/pair/", views.family_pair_view, name="family_pair"),
    path("board/families/<int:pk>/support/", views.family_support_view, name="family_support"),
    path("board/families/<int:pk>/phone/", views.family_reveal, name="family_reveal"),
    path("board/targets/", views.targets, name="targets"),
    path("board/targets/me/", views.my_targets, name="my_targets"),
    path("board/targets/install/", views.targets_install, name="targets_install"),
    path("board/targets/<int:pk>/remind/", views.targets_remind_view, name="targets_remind"),
    path("board/campaigns/", views.campaigns, name="campaigns"),
    path("board/campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("board/campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("board/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("board/campaigns/<int:pk>/delete/", views.campaign_delete_view, name="campaign_delete"),
    path("board/targets/groups/<int:pk>/", views.group_targets, name="group_targets"),
    path("board/station-of-the-year/", views.station_year, name="station_year"),
    path(
        "board/station-of-the-year/scorecard/",
        views.station_year_scorecard,
        name="station_year_scorecard",
    ),
    path(
        "board/station-of-the-year/publish/",
        views.station_year_publish_view,
        name="station_year_publish",
    ),
    path("board/<slug:code>/", views.public_board, name="public"),
]
