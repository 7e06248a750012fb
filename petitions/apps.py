from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the calendar check
