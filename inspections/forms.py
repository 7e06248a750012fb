from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from lianjie.dates import DATE_INPUT, DateInRangeField, dates_in_range
from lianjie.uploads import EVIDENCE_ACCEPT
from lianjie.versioning import VersionedForm
from scoring.forms import MultipleFileField, MultipleFileInput
from villages.models import Township, Village

from .models import Finding, FindingCategory, InspectionRound, PersonHandled, ProblemLead

TEXT = forms.Textarea(attrs={"rows": 3})


class VillageCodesField(forms.CharField):
    """Village division codes separated by spaces, commas or new lines (what staff paste from a list)."""

    def clean(self, value):
        codes = [code for code in super().clean(value).replace(",", " ").replace("，", " ").split() if code]
        villages = {village.code: village for village in Village.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in villages]
        if unknown:
            raise forms.ValidationError(_("Unknown village codes: %(codes)s") % {"codes": "、".join(unknown)})
        return [villages[code] for code in dict.fromkeys(codes)]


class RoundForm(forms.ModelForm):
    village_codes = VillageCodesField(
        label=_("Villages inspected (division codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a revisit, choose the villages from the candidates after saving."),
    )

    class Meta:
        formfield_callback = dates_in_range
        model = InspectionRound
        fields = ["kind", "name", "theme", "team", "team_leader", "starts_on", "ends_on"]


class FindingForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = Finding
        fields = [
            "village",
            "category",
            "description",
            "severity",
            "immediate",
            "measure",
            "responsible_person",
            "owner",
            "found_on",
            "due_on",
        ]
        widgets = {"description": TEXT, "measure": TEXT}

    def __init__(self, *args, round_: InspectionRound, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(active=True).select_related("township")
        self.fields["category"].queryset = FindingCategory.objects.filter(active=True)
        self.fields["owner"].queryset = owners
        self.initial.setdefault("found_on", round_.starts_on)


class ProgressForm(VersionedForm):
    note = forms.CharField(label=_("Progress"), widget=TEXT, max_length=4000)
    files = MultipleFileField(
        label=_("Evidence (PDF, JPEG, PNG, Word, Excel)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )


class CloseForm(VersionedForm):
    verification = forms.CharField(label=_("How it was verified"), widget=TEXT, max_length=4000)


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Why reopened"), widget=TEXT, max_length=4000)
    due_on = DateInRangeField(label=_("New due date"), widget=DATE_INPUT)


class LeadForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = ProblemLead
        fields = ["village", "finding", "summary", "handed_to", "handed_on", "outcome"]
        widgets = {"summary": TEXT, "outcome": TEXT}

    def __init__(self, *args, round_: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(pk__in=round_.targets.values("village"))
        self.fields["finding"].queryset = round_.findings.select_related("village")


class PersonForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = PersonHandled
        fields = ["village", "lead", "name", "post", "village_cadre", "handling", "case_filed", "decided_on"]

    def __init__(self, *args, round_: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(pk__in=round_.targets.values("village"))
        self.fields["lead"].queryset = round_.leads.all()


class FiguresForm(forms.Form):
    start = DateInRangeField(label=_("From"), widget=DATE_INPUT)
    end = DateInRangeField(label=_("To"), widget=DATE_INPUT)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), required=False)

    def __init__(self, *args, townships, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["start"].initial = date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end comes after the start."))
        return data

    @classmethod
    def period(cls, request, townships, today: date):
        """(form, start, end, township) asked for; 1 January to today by default. A township secretary
        gets the own township whatever is asked."""
        form = cls(request.GET or None, townships=townships, today=today)
        start, end, township = today.replace(month=1, day=1), today, None
        if form.is_valid():
            start, end, township = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["township"]
        if request.user.has_role(Role.TOWNSHIP_SECRETARY):
            township = request.user.township
        return form, start, end, township


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Findings sheet (xlsx)"))
