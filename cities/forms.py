from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.forms import MultipleFileField

from .models import Step, StepEvidence

TEXT = forms.Textarea(attrs={"rows": 3})


class ProgrammeForm(forms.Form):
    """The year's 五个一 for every county of the city: the date each step is due."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in Step:
            self.fields[step.value] = DateInRangeField(
                label=_("%(step)s due on") % {"step": step.label}, widget=DATE_INPUT
            )

    @property
    def due_dates(self) -> dict[str, Any]:
        return {step: self.cleaned_data[step] for step in Step.values}


class DueDateForm(forms.Form):
    due_on = DateInRangeField(label=_("Due on"), widget=DATE_INPUT)


class ProgressForm(forms.Form):
    progress = forms.CharField(label=_("What has been done"), widget=TEXT, max_length=4000)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=StepEvidence.Kind.choices)
    files = MultipleFileField(required=True)  # type: ignore[assignment]  # a field, not BaseForm.files

    def __init__(self, *args: Any, plan: bool, **kwargs: Any) -> None:
        """Only the work plan asks which document a file is (《实施办法》 or 《考评标准》)."""
        super().__init__(*args, **kwargs)
        if not plan:
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = StepEvidence.Kind.DOCUMENT


class CompleteForm(forms.Form):
    done_on = DateInRangeField(label=_("Done on"), widget=DATE_INPUT)
    progress = forms.CharField(label=_("What was done"), widget=TEXT, max_length=4000, required=False)


class VisitForm(forms.Form):
    visited_on = DateInRangeField(label=_("Visited on"), widget=DATE_INPUT)
    checked = forms.CharField(label=_("What was checked"), widget=TEXT, max_length=4000)


class ProblemForm(forms.Form):
    description = forms.CharField(label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    due_on = DateInRangeField(label=_("Rectify by"), widget=DATE_INPUT)


# A visit's problems: as many rows as the page offers, each left empty or filled in whole.
ProblemFormSet = forms.formset_factory(ProblemForm, extra=3, max_num=20, validate_max=True)


class RectifiedForm(forms.Form):
    rectified_on = DateInRangeField(label=_("Rectified on"), widget=DATE_INPUT)
