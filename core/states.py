"""The one state-machine idiom: a record's steps are django-fsm-2 transitions declared on its model,
each with the role predicate that may take it (`permission=`); services take a step through `take`,
pages offer the steps of `allowed_steps`. A step not possible in the record's state is a ValidationError
(code "wrong_status") like every other refusal a service gives, never django-fsm's own exception."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

if TYPE_CHECKING:
    from accounts.models import User

STEP_NOT_POSSIBLE = _("This step is not possible now.")


def require_step(user: "User", step: Callable[..., Any]) -> None:
    """PermissionDenied unless the user's role may take this step at all, whatever the record's state now
    (a step not possible in the state is refused by `take`, with its own message)."""
    meta = step._django_fsm  # type: ignore[attr-defined]
    if not any(transition.has_perm(step.__self__, user) for transition in meta.transitions.values()):  # type: ignore[attr-defined]
        raise PermissionDenied


def take(step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Take a step (a bound transition method); not possible in the record's state: ValidationError."""
    try:
        return step(*args, **kwargs)
    except TransitionNotAllowed as refused:
        raise ValidationError(STEP_NOT_POSSIBLE, code="wrong_status") from refused


def allowed_steps(user: "User", record: Any, field: str = "status") -> frozenset[str]:
    """The names of the steps the user may take on the record now."""
    available = getattr(record, f"get_available_user_{field}_transitions")(user)
    return frozenset(transition.name for transition in available)


def forget_transitions_of_migration_models() -> None:
    """django-fsm-2 connects a `class_prepared` receiver for every FSMField it sees, including the fields of
    the models a migration renders from its state; those stay connected while the state lives, so each
    model class rendered later is announced to hundreds of dead-end receivers. That was 60 % of a fresh
    `migrate` (437 s profiled, 258 s in the dispatcher). A migration's models have no transition methods to
    collect, so their receivers are dropped as soon as they are connected."""
    from django.apps import apps as installed_apps
    from django.db.models.signals import class_prepared
    from django_fsm import FSMFieldMixin

    contribute_to_class = FSMFieldMixin.contribute_to_class

    def contribute_to_installed_class(self: Any, cls: Any, name: str, **kwargs: Any) -> None:
        contribute_to_class(self, cls, name, **kwargs)
        if cls._meta.apps is not installed_apps:
            class_prepared.disconnect(self._collect_transitions)

    FSMFieldMixin.contribute_to_class = contribute_to_installed_class
