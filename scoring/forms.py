from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Diagnosis, HelpVisit, Period, Rectification, Scheme, Score


class NewRoundForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{4}(H[12])?$", _("Write the period as 2025, 2025H1 or 2025H2."))],
    )
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip().upper()
        if Period.objects.filter(code=code, rounds__isnull=False).exists():
            raise forms.ValidationError(_("Period %(period)s already has a round.") % {"period": code})
        return code


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Score sheet (xlsx)"))


class ScoreCellForm(forms.Form):
    """One cell of the entry grid: points, the reason for a deduction, and the version the editor saw."""

    points = forms.DecimalField(label=_("Points"), min_value=Decimal("0"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason for the deduction"), required=False, max_length=2000)
    source = forms.ChoiceField(label=_("Source"), choices=Score.Source.choices, required=False)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = Diagnosis
        fields = ["held_on", "deductions_found", "measures", "responsible_person"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "deductions_found": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["goals", "measures", "responsible_person", "due_on"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }


class HelpVisitForm(forms.ModelForm):
    class Meta:
        model = HelpVisit
        fields = ["visited_on", "content"]
        widgets = {"visited_on": forms.DateInput(attrs={"type": "date"}), "content": forms.Textarea(attrs={"rows": 3})}
