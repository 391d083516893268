from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianluo.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # A converted case follows its suggestion (suggestions.signals.suggestion_progress).
        from lianluo.cases.services import follow  # noqa: F401
