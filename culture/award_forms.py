"""The 十大评选's forms: open a contest, nominate, photos, the public vote's window, publish, and a vote."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from core.versioning import VersionedForm
from villages.models import Township, Village

from .models import AwardCategory

TEXT = forms.Textarea(attrs={"rows": 6})
# The browser's own date-and-time picker; the value is local time (the installation's time zone).
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ContestForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=100)
    winners_per_category = forms.IntegerField(label=_("Winners per category"), min_value=1, max_value=50, initial=10)


class NominationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=AwardCategory.choices)
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)
    title = forms.CharField(
        label=_("Name or title"),
        max_length=100,
        help_text=_("The person's name, the family's precept or the story's title."),
    )
    story = forms.CharField(label=_("Story"), widget=TEXT)
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=False)  # type: ignore[assignment]

    def __init__(self, *args: Any, township: Township, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages: QuerySet[Village] = Village.objects.filter(township=township, active=True).order_by("code")
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class AwardPhotoForm(forms.Form):
    files = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=True)  # type: ignore[assignment]


class WindowForm(VersionedForm):
    vote_opens_at = forms.DateTimeField(
        label=_("Voting opens at"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    vote_closes_at = forms.DateTimeField(
        label=_("Voting closes at"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )


class PublishForm(VersionedForm):
    """Publishing needs nothing but the version the page showed."""


class DecideForm(forms.Form):
    """Shortlist or set aside a nomination: the action is in the address."""
