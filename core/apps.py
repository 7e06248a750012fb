from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: what every regime uses and no regime owns. Imports no business app."""

    name = "core"
    verbose_name = "廉鉴 core"

    def ready(self) -> None:
        from .states import forget_transitions_of_migration_models

        forget_transitions_of_migration_models()
