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
