from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from scoring.signals import cadre_sanctions_requested

        from .sanctions import answer_cadre_sanctions_request

        cadre_sanctions_requested.connect(answer_cadre_sanctions_request)
