from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "lianluo.deputies"
    label = "deputies"
    verbose_name = _("Deputies")
