from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: what every regime uses and no regime owns. Imports no business app."""

    name = "core"
    verbose_name = "廉鉴 core"
