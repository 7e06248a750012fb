from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StarsConfig(AppConfig):
    name = "stars"
    verbose_name = _("Star rating")
