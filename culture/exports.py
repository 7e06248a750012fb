"""The 清廉文化大讲堂 sheets, headed in the user's language: the sessions of a list, and a township's
两个全覆盖 (each village's three posts, present or missing)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.spreadsheets import xlsx_bytes

from .models import Audience, LectureSession, Post
from .selectors import TownshipCoverage


def session_headings() -> list[str]:
    return [
        _("Township"),
        _("Date"),
        _("Place"),
        _("Theme"),
        _("Status"),
        *[str(category.label) for category in Audience],
        _("Attendance (人次)"),
        _("Online reach"),
        _("Photos"),
    ]


def session_row(session: LectureSession) -> list[object]:
    # Speakers are persons: their names stay on the pages, out of a sheet that travels.
    people = {row.category: row.people for row in session.attendance.all()}
    return [
        session.township.name,
        f"{session.held_on:%Y-%m-%d}",
        session.place,
        session.theme,
        str(session.get_status_display()),
        *[people.get(category, 0) for category in Audience.values],
        sum(people.values()),
        session.online_reach,
        len(session.photos.all()),
    ]


def sessions_sheet(sessions: Iterable[LectureSession]) -> bytes:
    return xlsx_bytes(session_headings(), [session_row(session) for session in sessions], title=_("Lecture sessions"))


def coverage_sheet(coverage: TownshipCoverage) -> bytes:
    headings = [_("Village"), *[str(post.label) for post in Post], _("Still missing")]
    rows = [
        [
            line.village.name,
            *[_("yes") if here else _("no") for _label, here in line.posts],
            "、".join(line.missing),
        ]
        for line in coverage.villages
    ]
    return xlsx_bytes(headings, rows, title=f"{coverage.township.name} {coverage.year}")
