from django.apps import AppConfig


class LianjieConfig(AppConfig):
    name = "lianjie"
    verbose_name = "廉鉴 Lianjie"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
