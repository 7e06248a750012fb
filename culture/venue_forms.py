"""The forms of the 清廉文化阵地 register: a venue (with photos when it is new), more photos, its removal,
and the township filter of the list. The coordinates' rule is the service's (venues.coordinates_errors),
checked here too so that every wrong field shows at once, with what was typed kept."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.widgets import NumberInput
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.forms import MultipleFileField, MultipleFileInput
from core.versioning import VersionedForm
from villages.models import Township, Village

from . import venues
from .models import CultureVenue

PHOTO_ACCEPT = ".jpg,.jpeg,.png"


def _photos_field(required: bool) -> MultipleFileField:
    return MultipleFileField(
        label=_("Photos (JPEG or PNG)"),
        required=required,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


def _coordinate(label: Any) -> forms.DecimalField:
    # The range is the service's rule (a clear message); here only a number of at most six decimals.
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6, widget=NumberInput(attrs={"step": "any"})
    )


class VenueForm(VersionedForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 某某村廉园."))
    kind = forms.ChoiceField(label=_("Type"), choices=CultureVenue.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=200)
    opened_on = DateInRangeField(label=_("Opened on"), widget=DATE_INPUT)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    latitude = _coordinate(_("Latitude"))
    longitude = _coordinate(_("Longitude"))

    def __init__(
        self, *args: Any, villages: QuerySet[Village], venue: CultureVenue | None = None, **kwargs: Any
    ) -> None:
        if venue is not None:
            kwargs.setdefault(
                "initial",
                {
                    "village": venue.village_id,
                    "name": venue.name,
                    "kind": venue.kind,
                    "address": venue.address,
                    "opened_on": venue.opened_on,
                    "description": venue.description,
                    "latitude": venue.latitude,
                    "longitude": venue.longitude,
                    "version": venue.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["latitude"].help_text = _("Optional, in degrees (e.g. 28.58); give both or neither.")
        if venue is None:
            self.fields["photos"] = _photos_field(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "latitude" in data and "longitude" in data:
            for field, message in venues.coordinates_errors(data["latitude"], data["longitude"]).items():
                self.add_error(field, message)
        return data

    @property
    def facts(self) -> dict[str, Any]:
        """What the services take from the form."""
        data = self.cleaned_data
        names = ["village", "name", "kind", "address", "opened_on", "description", "latitude", "longitude"]
        return {name: data[name] for name in names}


class VenuePhotoForm(forms.Form):
    photos = _photos_field(required=True)


class VenueRemoveForm(VersionedForm):
    pass


class VenueFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Township.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args: Any, townships: QuerySet[Township], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
