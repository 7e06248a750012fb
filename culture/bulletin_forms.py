"""The forms of the 典型案例通报: a bulletin's title and foreword, a case's four texts, the steps that carry
only the bulletin's version (issue, remove a case), a township's 通报会."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.versioning import VersionedForm

from .models import BulletinCase, CaseBulletin

TEXT = forms.Textarea(attrs={"rows": 5})
NO_NAME = _("Never a name: the post, not the person.")


class BulletinForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    foreword = forms.CharField(label=_("Foreword"), widget=TEXT, required=False, max_length=4000, help_text=NO_NAME)

    def __init__(self, *args: Any, bulletin: CaseBulletin | None = None, **kwargs: Any) -> None:
        if bulletin is not None:
            kwargs.setdefault(
                "initial", {"title": bulletin.title, "foreword": bulletin.foreword, "version": bulletin.version}
            )
        super().__init__(*args, **kwargs)


class CaseForm(VersionedForm):
    """A case's texts; the version is the bulletin's."""

    post = forms.CharField(label=_("Post (anonymised)"), max_length=100, help_text=_("For example 某镇某村党支部书记."))
    facts = forms.CharField(label=_("Facts of the case"), widget=TEXT, max_length=4000, help_text=NO_NAME)
    handling = forms.CharField(label=_("Handling given"), widget=TEXT, max_length=1000)
    lesson = forms.CharField(label=_("Lesson"), widget=TEXT, max_length=4000)

    def __init__(self, *args: Any, case: BulletinCase | None = None, **kwargs: Any) -> None:
        if case is not None:
            kwargs.setdefault(
                "initial",
                {
                    "post": case.post,
                    "facts": case.facts,
                    "handling": case.handling,
                    "lesson": case.lesson,
                    "version": case.bulletin.version,
                },
            )
        super().__init__(*args, **kwargs)


class StepForm(VersionedForm):
    """Issue the bulletin, or take a case out of it: only the version the page was shown with."""


class MeetingForm(forms.Form):
    """A township's 通报会: the day and the attendance."""

    held_on = DateInRangeField(label=_("Held on"), widget=DATE_INPUT)
    attendance = forms.IntegerField(label=_("People attending"), min_value=0, max_value=100000)
