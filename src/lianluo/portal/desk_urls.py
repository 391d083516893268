"""The desk's URL, outside the `portal` namespace: `{% url 'home' %}` and LOGIN_REDIRECT_URL
name it so."""

from django.urls import path

from lianluo.portal import desk

urlpatterns = [
    path("desk/", desk.home, name="home"),
]
