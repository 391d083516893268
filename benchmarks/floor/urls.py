from django.urls import path

from floor.views import submit

urlpatterns = [path("api/v1/public/cases", submit)]
