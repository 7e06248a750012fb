from django import forms
from django.utils.translation import gettext_lazy as _

from villages.models import Township

from .roles import Role


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

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == Role.TOWNSHIP_SECRETARY and not cleaned.get("township"):
            self.add_error("township", _("A township secretary must be bound to a township."))
        return cleaned
