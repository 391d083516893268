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
    path("board/<slug:code>/", views.public_board, name="public"),
]
