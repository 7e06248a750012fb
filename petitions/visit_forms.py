"""The forms of 主动下访: the visit with its issue lines (filled in on a phone, in the village), and the
registration of an issue as a petition by the petition office."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField, dates_in_range
from core.versioning import VersionedForm
from villages.models import District, Village

from .forms import VillageChoiceField
from .models import Petition
from .visits import IssueReceived

ISSUE_LINES = 3  # blank issue lines on a new visit's form
MAX_ISSUE_LINES = 30


class VisitForm(VersionedForm):
    """Where and when, and who went: officials, never a villager (a correction carries the version)."""

    visited_on = DateInRangeField(label=_("Date of the visit"), widget=DATE_INPUT)
    village = VillageChoiceField(label=_("Village"), queryset=Village.objects.none())
    officials = forms.CharField(
        label=_("Who went (names and units)"),
        max_length=300,
        help_text=_("Officials only, e.g. 区纪委 王某、某街道纪工委 李某. Never a villager's name."),
    )

    def __init__(self, *args: Any, district: District | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages = Village.objects.filter(active=True, township__district=district)
        self.fields["village"].queryset = villages.select_related("township").order_by(  # type: ignore[attr-defined]
            "township__code", "code"
        )


class IssueForm(forms.Form):
    """One issue raised on the visit: a new line left blank is no issue; `issue` is the id of a recorded one."""

    issue = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Subject"), choices=[("", "---------"), *Petition.Category.choices])
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("What was raised, without the name of who raised it."),
    )
    settled_on_spot = forms.BooleanField(label=_("Settled on the spot"), required=False)

    def received(self) -> IssueReceived:
        data = self.cleaned_data
        return IssueReceived(data["category"], data["summary"], data["settled_on_spot"])


def issue_formset(data: Any = None, *, lines: int = ISSUE_LINES, initial: list[dict] | None = None) -> Any:
    """The issue lines: the recorded ones (`initial`, which cannot be left blank), then `lines` blank ones
    (a line left blank is skipped); as many as were posted on a posted one."""
    formset = forms.formset_factory(
        IssueForm, extra=min(lines, MAX_ISSUE_LINES), max_num=MAX_ISSUE_LINES, absolute_max=MAX_ISSUE_LINES
    )
    return formset(data, prefix="issue", initial=initial)


def issues_received(formset: Any) -> list[IssueReceived]:
    """The lines filled in, in their order (a blank line is skipped)."""
    return [form.received() for form in formset.extra_forms if form.has_changed() and form.cleaned_data]


def issues_changed(formset: Any) -> dict[int, IssueReceived]:
    """The recorded lines as posted, by issue id."""
    return {
        form.cleaned_data["issue"]: form.received() for form in formset.initial_forms if form.cleaned_data.get("issue")
    }


class RegisterIssueForm(forms.ModelForm):
    """登记 an issue as a petition: the date, channel (下访), township and village are the visit's; the
    rest as at the petition office's intake. The identity and contact are encrypted by the service."""

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
        model = Petition
        fields = [
            "named",
            "subject_name",
            "subject_post",
            "subject_is_township_official",
            "rural",
            "category",
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("named") and not (data.get("identity") or "").strip():
            self.add_error("identity", _("A named petition needs the petitioner's name."))
        return data
