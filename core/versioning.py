"""Versioned saves (optimistic locking) of a record that a form was filled in against.

A form filled in against an older version is refused before anything else about it is checked, and
before anything is written: the user sees the conflict — the record as it stands now, who changed it
and when — with what they typed kept, to compare and save again knowingly.
"""

from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONFLICT = "conflict"  # the ValidationError's code
STALE = _(
    "Someone else changed this %(what)s while you were working on it, and nothing of yours was saved. "
    "It is now %(state)s (changed by %(who)s, %(when)s). What you typed is kept below: compare, then save again."
)


class Versioned(Protocol):
    """A model instance with a `version` field and django-simple-history's `history` manager."""

    history: Any

    @property
    def version(self) -> int: ...


def check_version(instance: Versioned, version: int | None, *, what: str, state: Callable[[], str]) -> None:
    """Raises the conflict when `version` (the one the user's form was filled in against) is not the
    stored one; `state` describes the record now. The error's params carry the stored version."""
    if version is None or version == instance.version:
        return
    # The change that made the stored version (a job's flag saved since, with no new version, is not it).
    record = (
        instance.history.filter(version=instance.version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )
    params = {
        "what": what,
        "state": state(),
        "who": record.history_user if record and record.history_user else _("the system"),
        "when": f"{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}" if record else "—",
        "version": instance.version,
    }
    raise ValidationError(STALE, code=CONFLICT, params=params)


class VersionedForm(forms.Form):
    """A form carrying the version of the record it was filled in against."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


# A form posted without a version (a page from before versions, a crafted request) was not filled in
# against the record as it stands: it is refused as a conflict, never saved unchecked.
NO_VERSION = -1


def posted_version(data: Mapping[str, Any]) -> int:
    """The version posted (with a form: whatever its other fields hold, the conflict comes first)."""
    value = str(data.get("version", ""))
    return int(value) if value.isdigit() else NO_VERSION


def _refuse(form: forms.BaseForm, error: ValidationError) -> bool:
    """Shows a refusal of the save on the form; True when it is a conflict. A conflict is shown alone
    (the other fields' errors would bury it), and the form then carries the stored version, so that
    saving what was typed again is a conscious overwrite."""
    if getattr(error, "code", None) != CONFLICT:
        form.add_error(None, error)
        return False
    data = cast(dict[str, Any], form.data).copy()  # a QueryDict, or a dict
    data["version"] = cast(dict[str, Any], error.params)["version"]  # a conflict carries its params
    form.data = data
    form._errors, form.cleaned_data = ErrorDict(), {}  # type: ignore[attr-defined]  # what was typed stays, unjudged
    form.add_error(None, error)
    return True


def form_save(
    form: forms.BaseForm, *, save: Callable[[], object], check: Callable[[int | None], None] | None = None
) -> int | None:
    """A view's save of a posted form: `check` (raising the conflict) runs on the posted version first,
    then `save` if the form is valid. Returns None once saved, else the status to show the form again
    with: 409 on a conflict, 400 on any other refusal."""
    try:
        if check:
            check(posted_version(form.data))
        if not form.is_valid():
            return 400
        save()
    except ValidationError as error:
        return 409 if _refuse(form, error) else 400
    return None
