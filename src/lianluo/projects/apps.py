from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "lianluo.projects"
    label = "projects"
    verbose_name = _("Livelihood projects")

    def ready(self) -> None:
        from lianluo.projects import receivers  # noqa: F401  (connects the signal)
