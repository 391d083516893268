from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianluo.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # A converted case follows its suggestion (suggestions.signals.suggestion_progress).
        # Its suggestion's page lists the cases it carries (suggestions.views._common).
        # A new congress starts with the default case catalogs (core does not know cases).
        from django.db.models.signals import post_save

        from lianluo.cases import suggest_views  # noqa: F401
        from lianluo.cases.services import follow  # noqa: F401
        from lianluo.cases.services.catalogs import congress_created
        from lianluo.core.models import Congress

        post_save.connect(congress_created, sender=Congress, dispatch_uid="cases_catalogs")
