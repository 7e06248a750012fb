from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Use of results")

    def ready(self) -> None:
        # A village that loses its fourth star loses its 示范村 title: stars may not import results, so
        # it tells, by its signal, whoever listens (inside its transaction: the revocation stands or falls
        # with the change of stars).
        from stars.signals import stars_settled

        from .services import on_stars_settled

        stars_settled.connect(on_stars_settled, dispatch_uid="results.revoke_demonstration_titles")
