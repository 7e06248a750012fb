from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField, dates_in_range
from core.forms import MultipleFileField
from core.versioning import VersionedForm
from villages.models import District, Village

from .models import Finding, FindingCategory, InspectionRound, PersonHandled, ProblemLead
from .services import NOT_OF_THE_COUNTY, followers

TEXT = forms.Textarea(attrs={"rows": 3})


class VillageCodesField(forms.CharField):
    """Village division codes of the county (`district`) separated by spaces, commas or new lines (what
    staff paste from a list); a code of another county's village is refused by name."""

    district: District | None = None

    def clean(self, value):
        codes = [code for code in super().clean(value).replace(",", " ").replace("，", " ").split() if code]
        found = Village.objects.filter(code__in=codes)
        villages = {village.code: village for village in found.filter(township__district=self.district)}
        elsewhere = set(found.exclude(township__district=self.district).values_list("code", flat=True))
        errors = []
        if unknown := [code for code in codes if code not in villages and code not in elsewhere]:
            errors.append(_("Unknown village codes: %(codes)s") % {"codes": "、".join(unknown)})
        if foreign := [code for code in codes if code in elsewhere and code not in villages]:
            county = self.district.name if self.district else "—"
            errors.append(NOT_OF_THE_COUNTY % {"county": county, "codes": "、".join(foreign)})
        if errors:
            raise forms.ValidationError(errors)
        return [villages[code] for code in dict.fromkeys(codes)]


class RoundForm(forms.ModelForm):
    """A new round of the staff member's county (`district`), with its villages."""

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

    def __init__(self, *args, district: District | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_codes"].district = district


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

    def __init__(self, *args, round_: InspectionRound, **kwargs):
        """The round's county's villages, and its staff and secretaries to follow the finding."""
        super().__init__(*args, **kwargs)
        villages = Village.objects.filter(active=True, township__district_id=round_.district_id)
        self.fields["village"].queryset = villages.select_related("township")
        self.fields["category"].queryset = FindingCategory.objects.filter(active=True)
        self.fields["owner"].queryset = followers(round_.district_id).order_by("username")
        self.initial.setdefault("found_on", round_.starts_on)


class ProgressForm(VersionedForm):
    note = forms.CharField(label=_("Progress"), widget=TEXT, max_length=4000)
    files = MultipleFileField()


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
