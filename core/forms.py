"""Form parts every regime uses: several evidence files in one input, the spreadsheet upload of an
import page, and the period (and township) a figures page is asked for."""

from datetime import date
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from .dates import DATE_INPUT, DateInRangeField
from .uploads import EVIDENCE_ACCEPT

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Evidence (PDF, JPEG, PNG, Word, Excel)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> "list[UploadedFile[bytes]]":
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    """The upload step of an import page; `sheet` names what the page imports ("Score sheet (xlsx)")."""

    file = forms.FileField()

    def __init__(self, *args: Any, sheet: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = sheet


class FiguresForm(forms.Form):
    """From, to and township of a figures page, 1 January to today by default."""

    start = DateInRangeField(label=_("From"), widget=DATE_INPUT)
    end = DateInRangeField(label=_("To"), widget=DATE_INPUT)
    township: "forms.ModelChoiceField[models.Model]" = forms.ModelChoiceField(
        label=_("Township"), queryset=None, required=False
    )

    def __init__(self, *args: Any, townships: QuerySet[models.Model], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["township"]).queryset = townships
        self.fields["start"].initial = date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end comes after the start."))
        return data

    @classmethod
    def period(cls, request: HttpRequest, townships: QuerySet[M], today: date) -> tuple[Self, date, date, M | None]:
        """(form, start, end, township) asked for. A township secretary gets the own township whatever
        is asked."""
        form = cls(request.GET or None, townships=townships, today=today)
        start, end = today.replace(month=1, day=1), today
        township: M | None = None
        if form.is_valid():
            start, end, township = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["township"]
        user = cast("User", request.user)  # the figures pages require sign-in
        if user.has_role(Role.TOWNSHIP_SECRETARY):
            township = cast("M | None", user.township)  # a township of `townships`' model
        return form, start, end, township
