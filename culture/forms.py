from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField, dates_in_range
from core.forms import MultipleFileField
from core.versioning import VersionedForm
from villages.models import Township, Village

from .models import Audience, Lecturer, LectureSession, Post
from .services import ENDS_BEFORE_APPOINTMENT

TEXT = forms.Textarea(attrs={"rows": 4})


class SpeakersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Lecturer) -> str:  # type: ignore[override]
        if obj.ended_on is not None:  # picked only for a session held by that day (culture.services)
            return str(
                _("%(name)s (%(roster)s, appointment ended %(date)s)")
                % {"name": obj.name, "roster": obj.get_kind_display(), "date": f"{obj.ended_on:%Y-%m-%d}"}
            )
        return f"{obj.name} ({obj.get_kind_display()})"


class SessionForm(VersionedForm):
    """A session's facts and its audience by category."""

    held_on = DateInRangeField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=100)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    speakers = SpeakersField(
        label=_("Speakers"), queryset=Lecturer.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    online_reach = forms.IntegerField(
        label=_("Online reach"), min_value=0, initial=0, help_text=_("For example the readers of the WeChat article.")
    )

    def __init__(
        self,
        *args: Any,
        lecturers: QuerySet[Lecturer],
        session: LectureSession | None = None,
        **kwargs: Any,
    ) -> None:
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held_on": session.held_on,
                    "place": session.place,
                    "theme": session.theme,
                    "speakers": list(session.speakers.all()),
                    "online_reach": session.online_reach,
                    "version": session.version,
                    **{f"audience_{row.category}": row.people for row in session.attendance.all()},
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = lecturers  # type: ignore[attr-defined]
        for category in Audience:
            self.fields[f"audience_{category.value}"] = forms.IntegerField(
                label=_("Attendance: %(audience)s") % {"audience": category.label}, min_value=0, initial=0
            )

    @property
    def attendance(self) -> dict[str, int]:
        return {category: self.cleaned_data[f"audience_{category}"] for category in Audience.values}


class PresenceForm(VersionedForm):
    """Which posts of each of the township's villages attended: a box per village and post."""

    def __init__(self, *args: Any, villages: Iterable[Village], present: dict[int, set[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = list(villages)
        for village in self.villages:
            for post in Post:
                self.fields[self.key(village.pk, post.value)] = forms.BooleanField(
                    label=f"{village.name} {post.label}",
                    required=False,
                    initial=post.value in present.get(village.pk, set()),
                )

    @staticmethod
    def key(village_id: int, post: str) -> str:
        return f"village_{village_id}_{post}"

    @property
    def rows(self) -> list[tuple[Village, list[forms.BoundField]]]:
        return [(village, [self[self.key(village.pk, post)] for post in Post.values]) for village in self.villages]

    @property
    def presences(self) -> dict[int, set[str]]:
        return {
            village.pk: {post for post in Post.values if self.cleaned_data[self.key(village.pk, post)]}
            for village in self.villages
        }


class CloseForm(VersionedForm):
    summary = forms.CharField(label=_("Summary"), widget=TEXT, max_length=4000)


class PhotoForm(forms.Form):
    files = MultipleFileField(label=_("Photos (JPEG, PNG or PDF)"), required=True)  # type: ignore[assignment]


class LecturerForm(forms.ModelForm):
    class Meta:
        formfield_callback = dates_in_range
        model = Lecturer
        fields = ["kind", "name", "unit", "topics", "appointed_on", "ended_on"]

    def clean(self) -> dict[str, Any]:
        """The service's words for an end before the appointment, not the database constraint's."""
        data = super().clean() or {}
        appointed_on, ended_on = data.get("appointed_on"), data.get("ended_on")
        if appointed_on and ended_on and ended_on < appointed_on:
            self.add_error("ended_on", ENDS_BEFORE_APPOINTMENT % {"date": f"{appointed_on:%Y-%m-%d}"})
        return data


class SessionFilterForm(forms.Form):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, townships: QuerySet[Township], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("every year")), *[(year, year) for year in years]]  # type: ignore[attr-defined]


class LecturerEditForm(VersionedForm):
    """What the county's staff correct of a member: unit and post, topics, appointment date."""

    unit = forms.CharField(label=_("Unit and post"), max_length=100, required=False)
    topics = forms.CharField(label=_("Topics"), max_length=200, required=False)
    appointed_on = DateInRangeField(label=_("Appointed on"), widget=DATE_INPUT)


class LecturerEndForm(VersionedForm):
    """The end of a member's appointment (from the day after, they are not picked as a speaker)."""

    ended_on = DateInRangeField(label=_("Appointment ended on"), widget=DATE_INPUT)
