from django.urls import path

from floor.views import cast, submit

urlpatterns = [
    path("api/v1/public/cases", submit),
    path("api/v1/votes/<int:vote_id>/ballots", cast),
]
