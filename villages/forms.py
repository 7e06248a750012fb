"""The forms of the grassroots stations' register (基层站所): a station's kind and name, and the switch
that makes it inactive or active again. The rules (who, a name once per township) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Station, StationKind


class StationForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=StationKind.objects.all())
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("As the station is called, usually the township's name followed by the kind."),
    )

    def __init__(self, *args: Any, station: Station | None = None, **kwargs: Any) -> None:
        if station is not None:
            kwargs.setdefault("initial", {"kind": station.kind_id, "name": station.name})
        super().__init__(*args, **kwargs)


class StationActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
