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
    path("board/<slug:code>/", views.public_board, name="public"),
]
