from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from villages.models import City, District, Township, Village

from .roles import Role
from .services import bound_unit


class OneTimeCodeForm(forms.Form):
    token = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown by your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("(no role)")), *Role.choices], required=False)
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.all(),
        required=False,
        help_text=_("Required for a township discipline secretary."),
    )
    district = forms.ModelChoiceField(
        label=_("County"),
        queryset=District.objects.all(),
        required=False,
        help_text=_("Required for county staff, leaders and the petition office."),
    )
    city = forms.ModelChoiceField(
        label=pgettext_lazy("unit", "City"),
        queryset=City.objects.all(),
        required=False,
        help_text=_("Required for city staff and leaders."),
    )
    # Typed as its 12-digit code: a province has some 20,000 villages, too many for a list.
    village = forms.RegexField(
        label=_("Village code"),
        regex=r"^\s*[0-9]{12}\s*$",
        required=False,
        error_messages={"invalid": _("Enter the village's 12-digit statistical division code.")},
        help_text=_("Required for a village Party secretary and the head of its supervision committee."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_village(self) -> Village | None:
        code = self.cleaned_data["village"].strip()
        if not code:
            return None
        village = Village.objects.filter(code=code, active=True).select_related("township").first()
        if village is None:
            raise ValidationError(_("No active village has the code %(code)s.") % {"code": code})
        return village

    def clean(self) -> dict:
        cleaned = super().clean()
        role = Role(cleaned["role"]) if cleaned.get("role") else None
        try:
            bound_unit(
                role,
                township=cleaned.get("township"),
                district=cleaned.get("district"),
                city=cleaned.get("city"),
                village=cleaned.get("village"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
