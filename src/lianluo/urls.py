from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from lianluo.api.api import api
from lianluo.board import archive_urls
from lianluo.cases.reception import urls as reception_urls
from lianluo.duty import urls as duty_urls
from lianluo.stations import urls as stations_urls


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static one."""
    return HttpResponsePermanentRedirect(static("lianluo/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("lianluo.core.urls")),
    path("", include("lianluo.portal.desk_urls")),  # the desk, URL name "home"
    path("", include("lianluo.cases.urls")),
    # The reception record files cases, so its views live in cases; its URL names stay stations:.
    path("", include((stations_urls.urlpatterns + reception_urls.urlpatterns, "stations"))),
    path("", include("lianluo.activities.urls")),
    path("", include("lianluo.onboarding.urls")),
    # One `duty` namespace: the ledger's pages and the archive's (which lianluo.board serves).
    path("", include((duty_urls.urlpatterns + archive_urls.urlpatterns, "duty"))),
    path("", include("lianluo.board.urls")),
    path("", include("lianluo.suggestions.urls")),
    path("", include("lianluo.projects.urls")),
    path("", include("lianluo.voting.urls")),
    path("", include("lianluo.insights.urls")),
    path("", include("lianluo.portal.urls")),
    path("insights/briefing/", include(("lianluo.insights.briefing.urls", "briefing"))),
]

# JSON `{code, message}` under /api/, the site's pages elsewhere (lianluo.core.edge).
handler400 = "lianluo.core.edge.handler400"
handler403 = "lianluo.core.edge.handler403"
handler404 = "lianluo.core.edge.handler404"
handler500 = "lianluo.core.edge.handler500"
