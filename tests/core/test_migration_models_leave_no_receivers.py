"""A fresh `migrate` renders every model of every migration state; django-fsm-2 would leave a
`class_prepared` receiver connected for each state field it saw, and every model rendered later was
announced to all of them (60 % of a fresh migrate's time). core.states drops those receivers."""

from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import class_prepared

from stars.models import StarApplication


def test_models_rendered_from_the_migrations_leave_no_class_prepared_receiver():
    connected = len(class_prepared.receivers)
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()

    rendered = state.apps.get_model("stars", "StarApplication")

    assert rendered is not StarApplication and rendered._meta.get_field("status").__class__.__name__ == "FSMField"
    assert len(class_prepared.receivers) == connected


def test_the_installed_models_keep_their_transitions():
    assert "submit" in {transition.name for transition in StarApplication().get_all_status_transitions()}
