from __future__ import annotations

from lianluo.projects.views import candidates, collection, downloads, public, supervision

app_name = "projects"

urlpatterns = (
    collection.urlpatterns
    + candidates.urlpatterns
    + supervision.urlpatterns
    + public.urlpatterns
    + downloads.urlpatterns
)
