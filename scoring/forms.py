from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.dates import dates_in_range
from core.forms import MultipleFileField
from core.versioning import VersionedForm

from .models import PERIOD_CODE, Diagnosis, HelpVisit, Indicator, Period, Rectification, Round, Scheme, Score
from .star_models import (
    DemonstrationNomination,
    ImprovementPlan,
    StarObjection,
    StarStrip,
    StarVetoItem,
    StarVetoRecord,
)


class NewRoundForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=6,
        validators=[RegexValidator(PERIOD_CODE, _("Write the period as 2025, 2025H1 or 2025H2."))],
    )
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip().upper()
        if Period.objects.filter(code=code, rounds__isnull=False).exists():
            raise forms.ValidationError(_("Period %(period)s already has a round.") % {"period": code})
        return code


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ScoreCellForm(forms.Form):
    """One cell of the entry grid: points, the reason for a deduction, and the version the editor saw."""

    points = forms.DecimalField(label=_("Points"), min_value=Decimal("0"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason for the deduction"), required=False, max_length=2000)
    source = forms.ChoiceField(label=_("Source"), choices=Score.Source.choices, required=False)
    # Always sent by the grid (0 for an empty cell): a save that does not say what it saw is refused.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DiagnosisForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = Diagnosis
        fields = ["held_on", "deductions_found", "measures", "responsible_person"]
        widgets = {
            "deductions_found": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class RectificationForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = Rectification
        fields = ["goals", "measures", "responsible_person", "due_on"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class HelpVisitForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = HelpVisit
        fields = ["visited_on", "content"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
        }


# --- Star rating (评星晋级) ----------------------------------------------------------------------------

STAR_CHOICES = [(level, "★" * level) for level in range(1, 6)]


class StarApplicationForm(VersionedForm):
    """The self-assessment (村自评): a level, points and what was done per item, evidence files."""

    level_applied = forms.TypedChoiceField(label=_("Level applied for"), choices=STAR_CHOICES, coerce=int)
    summary = forms.CharField(
        label=_("Self-assessment summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    files = MultipleFileField()

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=item.name, min_value=Decimal("0"), max_value=item.max_points, max_digits=6, decimal_places=2
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("What was done"), required=False, max_length=2000, widget=forms.TextInput()
            )

    def rows(self):
        """(item, points field, note field) in the order of the criteria, for the table."""
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def scores(self) -> dict:
        return {
            item.pk: (self.cleaned_data[f"item_{item.pk}"], self.cleaned_data[f"note_{item.pk}"]) for item in self.items
        }


class StarReviewForm(VersionedForm):
    """A review step: the opinion, the points found and the level (the township's or the district's)."""

    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    points = forms.DecimalField(label=_("Points"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2)
    level = forms.TypedChoiceField(label=_("Level"), choices=STAR_CHOICES, coerce=int)


class StarReturnForm(VersionedForm):
    opinion = forms.CharField(
        label=_("Evidence still missing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class StarObjectionForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = StarObjection
        fields = ["received_on", "channel", "content"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
        }


class StarObjectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    upheld = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("no", _("not upheld: the level stands")), ("yes", _("upheld: re-open the review"))],
        coerce=lambda value: value == "yes",
    )


class StarStripForm(forms.ModelForm):
    stars_after = forms.TypedChoiceField(
        label=_("Stars left"), choices=[(level, "★" * level or "—") for level in range(5)], coerce=int
    )

    class Meta:
        formfield_callback = dates_in_range
        model = StarStrip
        fields = ["stars_after", "trigger", "reason", "stripped_on"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
        }


class StarVetoHitDismissForm(forms.Form):
    reason = forms.CharField(label=_("Why the stars stand"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DemonstrationForm(forms.Form):
    level = forms.ChoiceField(label=_("Demonstration village of"), choices=DemonstrationNomination.Level.choices)


class ImprovementPlanForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = ImprovementPlan
        fields = ["measures", "responsible_person", "due_on", "progress", "completed_on"]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
        }


class StarVetoRecordForm(forms.ModelForm):
    """A veto event found outside the index (e.g. a village cadre sanctioned that year)."""

    class Meta:
        formfield_callback = dates_in_range
        model = StarVetoRecord
        fields = ["item", "occurred_on", "reason"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = StarVetoItem.objects.filter(rule=StarVetoItem.Rule.RECORDED)

    def for_criteria(self, criteria) -> "StarVetoRecordForm":
        self.fields["item"].queryset = self.fields["item"].queryset.filter(criteria=criteria)
        return self


class DeductionCiteForm(forms.Form):
    """Cite a finding or a substantiated petition as the evidence of an index deduction in a round being
    entered."""

    round = forms.ModelChoiceField(label=_("Scoring round"), queryset=Round.objects.none())
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    points = forms.DecimalField(label=_("Points obtained"), min_value=0, max_digits=6, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = Round.objects.filter(status=Round.Status.DRAFT).select_related("period")
        self.fields["round"].queryset = rounds
        self.fields["indicator"].queryset = Indicator.objects.filter(scheme__periods__rounds__in=rounds).distinct()

    def clean(self):
        data = super().clean()
        round_, indicator = data.get("round"), data.get("indicator")
        if round_ and indicator and indicator.scheme_id != round_.period.scheme_id:
            self.add_error("indicator", _("This indicator is not in the round's scheme."))
        return data
