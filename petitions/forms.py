from itertools import groupby
from operator import attrgetter

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.selectors import users_with_role
from core.dates import DATE_INPUT, DateInRangeField, dates_in_range
from core.forms import MultipleFileField
from villages.models import District, Township, Village

from .models import Petition, PetitionClass

TEXT = forms.Textarea(attrs={"rows": 3})


class VillagesByTownship(ModelChoiceIterator):
    """The village select's options in an <optgroup> per township (its queryset is ordered by township)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for _township, group in groupby(self.queryset, key=attrgetter("township_id")):
            villages = list(group)
            yield (villages[0].township.name, [self.choice(village) for village in villages])


class VillageChoiceField(forms.ModelChoiceField):
    """A village named with its township ("沙溪镇 · 王家村"): names repeat across townships."""

    iterator = VillagesByTownship

    def label_from_instance(self, village: Village) -> str:
        return f"{village.township.name} · {village.name}"


class IntakeForm(forms.ModelForm):
    """登记 in the office's county (`district`): its townships and villages only. The identity and contact
    are plain form fields here and encrypted by the service."""

    identity = forms.CharField(
        label=_("Petitioner (name, ID number)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("Contact (phone, address)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        formfield_callback = dates_in_range
        field_classes = {"village": VillageChoiceField}
        model = Petition
        fields = [
            "received_on",
            "channel",
            "named",
            "subject_name",
            "subject_post",
            "subject_is_township_official",
            "township",
            "village",
            "rural",
            "category",
            "summary",
        ]
        widgets = {"summary": TEXT}

    def __init__(self, *args, district: District | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["township"].queryset = Township.objects.filter(district=district)
        self.fields["village"].queryset = self.villages()
        # Choosing a township narrows the villages (htmx); the chosen village stays chosen when it is one
        # of them. Without script the select keeps every village, grouped by township. The village select
        # is disabled while the narrowed list is on its way: a village picked from the stale list would be
        # replaced by the answer without a word.
        self.fields["township"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("petitions:villages"),
                "hx-trigger": "change",
                "hx-target": "#id_village",
                "hx-swap": "outerHTML",
                "hx-include": "#id_village",
                "hx-disabled-elt": "#id_village",
            }
        )

    def villages(self):
        """The county's active villages, by township."""
        villages = Village.objects.filter(active=True, township__district=self.district)
        return villages.select_related("township").order_by("township__code", "code")

    def narrow_villages(self, township: str) -> None:
        """The village select offers only the villages of the township whose id the township select sent
        (every village of the county when it sent none); ValidationError for an id of no township of the
        county."""
        if township:
            chosen = self.fields["township"].clean(township)
            self.fields["village"].queryset = self.villages().filter(township=chosen)

    def clean(self):
        data = super().clean()
        village, township = data.get("village"), data.get("township")
        if village and township and village.township_id != township.pk:
            self.add_error("village", _("This village is not in the chosen township."))
        if data.get("named") and not (data.get("identity") or "").strip():
            self.add_error("identity", _("A named petition needs the petitioner's name."))
        return data


class AcceptForm(forms.Form):
    petition_class = forms.ModelChoiceField(label=_("Class (五字)"), queryset=PetitionClass.objects.all())
    disposal = forms.ChoiceField(label=_("Disposal"), choices=Petition.Disposal.choices)
    on = DateInRangeField(label=_("Accepted on"), widget=DATE_INPUT)
    opinion = forms.CharField(label=_("Opinion"), widget=TEXT, required=False, max_length=4000)


class TransferForm(forms.Form):
    """转办, maybe to one of the case's county's (`district`) townships."""

    to_unit = forms.CharField(label=_("Transferred to"), max_length=100)
    to_township = forms.ModelChoiceField(
        label=_("Township it goes to (if any)"), queryset=Township.objects.none(), required=False
    )
    on = DateInRangeField(label=_("Transferred on"), widget=DATE_INPUT)
    opinion = forms.CharField(label=_("Opinion"), widget=TEXT, required=False, max_length=4000)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_township"].queryset = Township.objects.filter(district=district)


class DateForm(forms.Form):
    on = DateInRangeField(label=_("Date"), widget=DATE_INPUT)


class ConfirmForm(forms.Form):
    """A step with nothing to type (归档): the page's form carries only the case's version."""


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=TEXT, required=False, max_length=4000)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Petition.Conclusion.choices)
    result = forms.CharField(label=_("Handling result"), widget=TEXT, max_length=4000)
    on = DateInRangeField(label=_("Concluded on"), widget=DATE_INPUT)


class FeedBackForm(forms.Form):
    on = DateInRangeField(label=_("Fed back on"), widget=DATE_INPUT)
    opinion = forms.CharField(label=_("How the result was fed back"), widget=TEXT, required=False, max_length=4000)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extension (days)"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), widget=TEXT, max_length=4000)


class RepeatForm(forms.Form):
    earlier = forms.ModelChoiceField(label=_("Earlier case"), queryset=Petition.objects.none())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = Petition.objects.filter(pk__in=[case.pk for case in candidates])
        self.fields["earlier"].label_from_instance = lambda case: (
            f"{case.pk} · {case.received_on} · {case.subject_name}"
        )


class ListForm(forms.Form):
    """挂牌, with a responsible leader of the case's county (`district`)."""

    leader = forms.ModelChoiceField(label=_("Responsible leader (包案领导)"), queryset=get_user_model().objects.none())
    unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    measures = forms.CharField(label=_("Measures"), widget=TEXT, max_length=4000)
    deadline = DateInRangeField(label=_("Deadline"), widget=DATE_INPUT)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = users_with_role(Role.COMMISSION_LEADER, district_id=district.pk)
        self.fields["leader"].queryset = leaders.order_by("username")
        self.fields["leader"].label_from_instance = lambda user: user.full_name or user.username


class StrikeOffForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=TEXT, max_length=4000)
    verification = forms.CharField(label=_("How it was verified"), widget=TEXT, max_length=4000)
    files = MultipleFileField()
