from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = _("Clean culture")

    def ready(self) -> None:
        # Scorers see the register's venues of each village beside MF2 (清廉文化阵地建设): scoring may not
        # import culture, so culture tells scoring what to show.
        from scoring.indicator_notes import register_indicator_note

        from .venue_selectors import MF2, mf2_notes

        register_indicator_note(MF2, mf2_notes)
