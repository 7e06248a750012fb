from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.forms import MultipleFileField
from core.versioning import VersionedForm
from villages.models import Township

TEXT = forms.Textarea(attrs={"rows": 3})


class TaskForm(VersionedForm):
    """A task's words, units and deadline; the townships offered are the county's."""

    title = forms.CharField(label=_("Task"), widget=TEXT, max_length=1000)
    lead_unit = forms.CharField(label=_("Lead unit (牵头单位)"), max_length=200)
    responsible_units = forms.CharField(
        label=_("Responsible units (责任单位)"),
        max_length=500,
        required=False,
        help_text=_("Departments as the plan names them; the townships are chosen below."),
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("Responsible townships"),
        queryset=Township.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their discipline secretaries may report progress on the task."),
    )
    due_on = DateInRangeField(label=_("Deadline"), widget=DATE_INPUT)

    def __init__(self, *args: Any, townships: QuerySet[Township], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["townships"].queryset = townships  # type: ignore[attr-defined]  # a ModelChoiceField


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What has been done"), widget=TEXT, max_length=4000)
    files = MultipleFileField()  # type: ignore[assignment]  # a field, not BaseForm.files
    done = forms.BooleanField(label=_("The task is done"), required=False)
