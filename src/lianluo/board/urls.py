from django.urls import path

from lianluo.board.views import families as fam
from lianluo.board.views import groups as grp
from lianluo.board.views import publications as pub
from lianluo.board.views import station_year as year
from lianluo.board.views import targets as tgt

app_name = "board"

urlpatterns = [
    path("board/", pub.index, name="index"),
    path("board/publish/", pub.publish, name="publish"),
    path("board/publications/<int:pk>/", pub.publication, name="publication"),
    path("board/publications/<int:pk>/object/", pub.object_to, name="object"),
    path("board/objections/<int:pk>/decide/", pub.decide, name="decide"),
    path("board/evaluation/<int:pk>/", pub.evaluation, name="evaluation"),
    path("board/evaluation/<int:pk>/export.xlsx", pub.evaluation_export, name="evaluation_export"),
    path("board/families/", fam.families, name="families"),
    path("board/families/new/", fam.family_new, name="family_new"),
    path("board/families/<int:pk>/", fam.family, name="family"),
    path("board/families/<int:pk>/pair/", fam.family_pair_view, name="family_pair"),
    path("board/families/<int:pk>/support/", fam.family_support_view, name="family_support"),
    path("board/families/<int:pk>/phone/", fam.family_reveal, name="family_reveal"),
    path("board/targets/", tgt.targets, name="targets"),
    path("board/targets/me/", tgt.my_targets, name="my_targets"),
    path("board/targets/install/", tgt.targets_install, name="targets_install"),
    path("board/targets/<int:pk>/remind/", tgt.targets_remind_view, name="targets_remind"),
    path("board/campaigns/", tgt.campaigns, name="campaigns"),
    path("board/campaigns/new/", tgt.campaign_edit, name="campaign_new"),
    path("board/campaigns/<int:pk>/", tgt.campaign, name="campaign"),
    path("board/campaigns/<int:pk>/edit/", tgt.campaign_edit, name="campaign_edit"),
    path("board/campaigns/<int:pk>/delete/", tgt.campaign_delete_view, name="campaign_delete"),
    path("board/targets/groups/<int:pk>/", tgt.group_targets, name="group_targets"),
    path("board/groups/", grp.groups, name="groups"),
    path("board/groups/<int:pk>/", grp.group, name="group"),
    path("board/groups/<int:pk>/members/add/", grp.group_member_add_view, name="group_add"),
    path(
        "board/groups/<int:pk>/members/remove/",
        grp.group_member_remove_view,
        name="group_remove",
    ),
    path("board/groups/<int:pk>/leader/", grp.group_leader_view, name="group_leader"),
    path("board/station-of-the-year/", year.station_year, name="station_year"),
    path(
        "board/station-of-the-year/scorecard/",
        year.station_year_scorecard,
        name="station_year_scorecard",
    ),
    path(
        "board/station-of-the-year/publish/",
        year.station_year_publish_view,
        name="station_year_publish",
    ),
    path("board/<slug:code>/", pub.public_board, name="public"),
]
