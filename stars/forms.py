from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField, dates_in_range
from core.forms import MultipleFileField
from core.versioning import VersionedForm

from .models import (
    LEVELS,
    DemonstrationNomination,
    ImprovementPlan,
    StarObjection,
    StarStrip,
    StarVetoItem,
    StarVetoRecord,
)


class StarApplicationForm(VersionedForm):
    """The self-assessment (村自评): a level, points and what was done per item, evidence files."""

    level_applied = forms.TypedChoiceField(label=_("Level applied for"), choices=LEVELS, coerce=int)
    summary = forms.CharField(
        label=_("Self-assessment summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    files = MultipleFileField()

    def __init__(self, *args, items, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level_applied"].choices = level_choices(criteria)
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
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int)

    def for_criteria(self, criteria) -> "StarReviewForm":
        """Offer only the criteria's levels, named as they name them (★★★, or the title of a pass mark)."""
        self.fields["level"].choices = level_choices(criteria)
        return self


def level_choices(criteria) -> list[tuple[int, str]]:
    return [(level, criteria.level_name(level)) for level in range(1, criteria.top_level + 1)]


class SatisfactionForm(VersionedForm):
    """群众满意度: the villagers' survey result a rating rests on (the share satisfied, of how many)."""

    satisfaction = forms.DecimalField(
        label=_("Satisfied (%)"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2
    )
    satisfaction_responses = forms.IntegerField(label=_("Responses"), min_value=1)
    satisfaction_source = forms.CharField(
        label=_("Survey"),
        max_length=200,
        help_text=_("Who surveyed, when and how (e.g. a telephone survey of villagers)."),
    )


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


class PilotStageForm(forms.Form):
    """A stage of the county's pilot (试点先行): townships that join from a day, or the whole county."""

    starts_on = DateInRangeField(label=_("From"), widget=DATE_INPUT)
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships joining the pilot"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    whole_county = forms.BooleanField(label=_("Roll out across the whole county (全县推开)"), required=False)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["townships"].queryset = townships
