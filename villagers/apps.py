from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagersConfig(AppConfig):
    """Villagers and village cadres (DESIGN.md section 14): the village's own accounts and their pages."""

    name = "villagers"
    verbose_name = _("Villagers and village cadres")
