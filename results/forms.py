"""The register's forms. A refused form comes back with what was typed kept; the villages offered are
the county's, the departments the active ones."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.versioning import VersionedForm
from scoring.models import Grade
from villages.models import Village

from .models import MONEY, Assessment, DemonstrationAward, Filing, MemberDepartment

TEXT = forms.Textarea(attrs={"rows": 3})
AMOUNT = {"max_digits": MONEY["max_digits"], "decimal_places": MONEY["decimal_places"], "min_value": 0}


class _VillageForm(VersionedForm):
    def __init__(self, *args: Any, villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        field.queryset = villages  # type: ignore[attr-defined]  # a ModelChoiceField
        field.label_from_instance = lambda village: f"{village.township.name} {village.name}"  # type: ignore[attr-defined]


class PointsForm(_VillageForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), to_field_name="code")
    assessment = forms.ChoiceField(label=_("Assessment it counts in"), choices=Assessment.choices)
    points = forms.DecimalField(
        label=_("Points (negative: deducted)"), max_digits=5, decimal_places=2, min_value=-100, max_value=100
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXT, max_length=2000, required=False)


class FundForm(_VillageForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), to_field_name="code")
    department = forms.ModelChoiceField(label=_("Department"), queryset=MemberDepartment.objects.none())
    project = forms.CharField(label=_("Project"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **AMOUNT)  # type: ignore[arg-type]
    decided_on = DateInRangeField(label=_("Decided on"), widget=DATE_INPUT)
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=TEXT,
        max_length=2000,
        required=False,
        help_text=_("e.g. only for villages of four stars or more"),
    )

    def __init__(self, *args: Any, departments: QuerySet[MemberDepartment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    min_stars = forms.TypedChoiceField(
        label=_("Fewest stars"), coerce=int, choices=[(level, "★" * level) for level in range(1, 6)]
    )
    lowest_grade = forms.ChoiceField(label=_("Lowest index grade"), choices=Grade.choices)
    unrated_eligible = forms.BooleanField(label=_("Villages without a star rating are eligible"), required=False)


class AwardForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (status.value, status.label)
            for status in DemonstrationAward.Status
            if status != DemonstrationAward.Status.REVOKED
        ],
    )
    approved_by_body = forms.CharField(
        label=_("Approved by"), max_length=100, required=False, help_text=_("e.g. the provincial commission")
    )
    decided_on = DateInRangeField(label=_("Decided on"), widget=DATE_INPUT, required=False)
    decision_reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    reward_amount = forms.DecimalField(label=_("Reward (yuan)"), required=False, **AMOUNT)  # type: ignore[arg-type]
    reward_paid_on = DateInRangeField(label=_("Reward paid on"), widget=DATE_INPUT, required=False)


class FilingForm(VersionedForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=MemberDepartment.objects.none())
    number = forms.CharField(label=_("Filing number"), max_length=30)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])
    kind = forms.ChoiceField(label=_("Kind"), choices=Filing.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("What it provides"), widget=TEXT, max_length=4000)
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, **AMOUNT)  # type: ignore[arg-type]
    filed_on = DateInRangeField(label=_("Filed on"), widget=DATE_INPUT)
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages concerned"), queryset=Village.objects.none(), required=False, to_field_name="code"
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[MemberDepartment],
        villages: QuerySet[Village],
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["villages"].queryset = villages  # type: ignore[attr-defined]
        self.fields["villages"].label_from_instance = lambda village: f"{village.township.name} {village.name}"  # type: ignore[attr-defined]
        self.fields["year"].choices = [(year, year) for year in years]  # type: ignore[attr-defined]


class OpinionForm(VersionedForm):
    opinion = forms.ChoiceField(label=_("Office's opinion"), choices=Filing.Opinion.choices)
    opinion_text = forms.CharField(label=_("Opinion"), widget=TEXT, max_length=4000)
    opinion_on = DateInRangeField(label=_("Given on"), widget=DATE_INPUT)
