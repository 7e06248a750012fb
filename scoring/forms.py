from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import dates_in_range
from villages.models import Village

from .models import PERIOD_CODE, Diagnosis, HelpVisit, Indicator, Period, Rectification, Round, Scheme, Score
from .services import RETURN_NEEDS_REASON


class NewRoundForm(forms.Form):
    """A new round of the user's own county: its period, with the default scheme or the county's own."""

    period = forms.CharField(
        label=_("Period"),
        max_length=6,
        validators=[RegexValidator(PERIOD_CODE, _("Write the period as 2025, 2025H1 or 2025H2."))],
    )
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.county_id = user.county_id
        self.fields["scheme"].queryset = Scheme.objects.filter(Q(district__isnull=True) | Q(district_id=self.county_id))

    def clean_period(self) -> str:
        code = self.cleaned_data["period"].strip().upper()
        if Period.objects.filter(district_id=self.county_id, code=code, rounds__isnull=False).exists():
            raise forms.ValidationError(_("Period %(period)s already has a round.") % {"period": code})
        return code


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReturnForm(ReasonForm):
    """退回: the leader's reason, which staff read on the round's page and in their notice."""

    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": RETURN_NEEDS_REASON},
    )


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


class DeductionCiteForm(forms.Form):
    """Cite a finding or a substantiated petition as the evidence of an index deduction in a round being
    entered."""

    round = forms.ModelChoiceField(label=_("Scoring round"), queryset=Round.objects.none())
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    points = forms.DecimalField(label=_("Points obtained"), min_value=0, max_digits=6, decimal_places=2)

    def __init__(self, *args, district_id: int | None = None, **kwargs):
        """`district_id`: the county of the record cited (its draft rounds only); None: every county's."""
        super().__init__(*args, **kwargs)
        rounds = Round.objects.filter(status=Round.Status.DRAFT).select_related("period")
        if district_id is not None:
            rounds = rounds.filter(period__district_id=district_id)
        self.fields["round"].queryset = rounds
        self.fields["indicator"].queryset = Indicator.objects.filter(scheme__periods__rounds__in=rounds).distinct()

    def clean(self):
        data = super().clean()
        round_, indicator = data.get("round"), data.get("indicator")
        if round_ and indicator and indicator.scheme_id != round_.period.scheme_id:
            self.add_error("indicator", _("This indicator is not in the round's scheme."))
        return data


class IndexObjectionForm(forms.Form):
    """A resident's objection (公示期异议): the village, what is wrong, and a contact if they want an answer
    by more than the receipt code. Sizes are limited: the form is open to anyone."""

    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), to_field_name="code")
    content = forms.CharField(
        label=_("What is wrong"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        help_text=_("Which result, and what you know that the index did not take into account."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        max_length=20,
        required=False,
        validators=[RegexValidator(r"^[0-9+\- ]*$", _("Digits only."))],
    )

    def __init__(self, *args, villages, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda village: f"{village.township.name} {village.name}"

    def contact(self) -> str:
        """Name and telephone as one text, encrypted together by the service."""
        return " ".join(
            part for part in (self.cleaned_data["name"].strip(), self.cleaned_data["phone"].strip()) if part
        )


class IndexObjectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    upheld = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("no", _("not upheld: the result stands")), ("yes", _("upheld: the result will be corrected"))],
        coerce=lambda value: value == "yes",
    )
