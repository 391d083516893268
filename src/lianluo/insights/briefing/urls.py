"""Mounted under `insights/briefing/`, namespace `briefing` (lianluo.urls)."""

from django.urls import path

from lianluo.insights.briefing import views

urlpatterns = [
    path("", views.page, name="page"),
    path("briefing.pdf", views.pdf, name="pdf"),
    path("briefing.docx", views.docx, name="docx"),
]
