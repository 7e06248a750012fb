"""The 清廉文化大讲堂 pages: the sessions (list, sheet, form, page, actions, photos), the rosters, a
township's 两个全覆盖 and the county figures.

Everyone who reads reads in their scope (another township's or county's object is 404); a township's
secretary and its county's staff record its sessions; the county's staff keep the rosters; leaders and
the city's roles read only. Every rule is in culture.services; a refused save comes back as a form error
with what was typed kept."""

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from core.params import year_in_path
from core.spreadsheets import xlsx_response
from core.uploads import evidence_response
from core.versioning import form_save

from . import exports, selectors, services
from .forms import (
    CloseForm,
    LecturerEditForm,
    LecturerEndForm,
    LecturerForm,
    PhotoForm,
    PresenceForm,
    SessionFilterForm,
    SessionForm,
)
from .models import Audience, Lecturer, LectureSession, records_for_township

READERS = tuple(selectors.READERS)
RECORDERS = tuple(selectors.RECORDERS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


# --- Sessions ----------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[SessionFilterForm, dict[str, Any], Any]:
    """The filter of the list and its sheet (township, year), what it chose, and the sessions it leaves."""
    user = _user(request)
    form = SessionFilterForm(
        request.GET or None,
        townships=selectors.townships_for(user),
        years=selectors.session_years(user, timezone.localdate()),
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    return form, chosen, selectors.session_list(user, township=chosen.get("township"), year=chosen.get("year"))


@role_required(*READERS)
def sessions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form, chosen, rows = _filtered(request)
    context = {
        "form": form,
        "sessions": rows,
        "query": request.GET.urlencode(),
        "figures_year": chosen.get("year") or timezone.localdate().year,
        "recording": selectors.townships_for(user) if user.has_role(*RECORDERS) else [],
    }
    return render(request, "culture/sessions.html", context)


@role_required(*READERS)
def sessions_export(request: HttpRequest) -> HttpResponse:
    _form, _chosen, rows = _filtered(request)
    record_event(EventType.EXPORTED, request=request, data={"what": "lecture sessions"})
    return xlsx_response(exports.sessions_sheet(rows.prefetch_related("attendance", "photos")), "lecture-sessions.xlsx")


def _lecturers(user: User) -> Any:
    return selectors.lecturers_for(user).order_by("kind", "name")


def _session_form_page(
    request: HttpRequest, form: SessionForm, township: Any, session: LectureSession | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "culture/session_form.html", {"form": form, "township": township, "session": session}, status=status
    )


@role_required(*RECORDERS)
def session_new(request: HttpRequest, township_code: str) -> HttpResponse:
    """A planned session of a township the user records (another township's is 404)."""
    user = _user(request)
    township = selectors.get_township_for(user, township_code)
    form = SessionForm(request.POST or None, lecturers=_lecturers(user))
    if request.method != "POST":
        return _session_form_page(request, form, township, None)
    made: list[LectureSession] = []
    status = form_save(
        form,
        save=lambda: made.append(services.session_record(township=township, acting_user=user, **_session_fields(form))),
    )
    if status is None:
        messages.success(request, _("The session is recorded."))
        return redirect("culture:session", pk=made[0].pk)
    return _session_form_page(request, form, township, None, status=status)


def _session_fields(form: SessionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "held_on": data["held_on"],
        "place": data["place"],
        "theme": data["theme"],
        "speakers": list(data["speakers"]),
        "online_reach": data["online_reach"],
        "attendance": form.attendance,
    }


@role_required(*RECORDERS)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = selectors.get_session_for(user, pk)
    if session.is_closed:
        messages.info(request, _("The session is closed: it can no longer be changed."))
        return redirect("culture:session", pk=session.pk)
    form = SessionForm(request.POST or None, lecturers=_lecturers(user), session=session)
    if request.method != "POST":
        return _session_form_page(request, form, session.township, session)
    status = form_save(
        form,
        check=partial(services.session_check_version, session),
        save=lambda: services.session_update(
            session=session, version=form.cleaned_data["version"], acting_user=user, **_session_fields(form)
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:session", pk=session.pk)
    return _session_form_page(request, form, session.township, session, status=status)


def _session_forms(user: User, session: LectureSession) -> dict[str, Form]:
    """The forms the user may fill in on the session's page."""
    if not records_for_township(user, session.township):
        return {}
    forms: dict[str, Form] = {"photos": PhotoForm()}
    if not session.is_closed:
        lines = selectors.session_presences(session)
        forms["presence"] = PresenceForm(
            villages=[line.village for line in lines],
            present={line.village.pk: set(line.present) for line in lines},
            initial={"version": session.version},
        )
        forms["close"] = CloseForm(initial={"version": session.version})
    return forms


def _session_page(
    request: HttpRequest, session: LectureSession, forms: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    people = {row.category: row.people for row in session.attendance.all()}
    context = {
        "session": session,
        "speakers": session.speakers.order_by("kind", "name"),
        "attendance": [(category.label, people.get(category.value, 0)) for category in Audience],
        "people": sum(people.values()),
        "presences": selectors.session_presences(session),
        "photos": list(session.photos.select_related("uploaded_by")),
        "forms": {**_session_forms(user, session), **(forms or {})},
        "may_edit": records_for_township(user, session.township) and not session.is_closed,
    }
    return render(request, "culture/session.html", context, status=status)


@role_required(*READERS)
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.get_session_for(_user(request), pk))


def _presence(request: HttpRequest, session: LectureSession) -> tuple[Form, Callable[[], object]]:
    villages = [line.village for line in selectors.session_presences(session)]
    form = PresenceForm(request.POST, villages=villages, present={})
    return form, lambda: services.presence_record(
        session=session, version=form.cleaned_data["version"], presences=form.presences, acting_user=_user(request)
    )


def _close(request: HttpRequest, session: LectureSession) -> tuple[Form, Callable[[], object]]:
    form = CloseForm(request.POST)
    return form, lambda: services.session_close(
        session=session,
        version=form.cleaned_data["version"],
        summary=form.cleaned_data["summary"],
        acting_user=_user(request),
    )


def _photos(request: HttpRequest, session: LectureSession) -> tuple[Form, Callable[[], object]]:
    form = PhotoForm(request.POST, request.FILES)
    return form, lambda: services.photos_attach(
        session=session, uploads=form.cleaned_data["files"], acting_user=_user(request)
    )


# What a township's recorders do on a session's page: who of the villages attended, close it, photos.
SESSION_ACTIONS: dict[str, Callable[[HttpRequest, LectureSession], tuple[Form, Callable[[], object]]]] = {
    "presence": _presence,
    "close": _close,
    "photos": _photos,
}


@require_POST
@role_required(*RECORDERS)
def session_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    session = selectors.get_session_for(_user(request), pk)
    if action not in SESSION_ACTIONS:
        raise Http404
    form, save = SESSION_ACTIONS[action](request, session)
    check = partial(services.session_check_version, session) if "version" in form.fields else None
    status = form_save(form, check=check, save=save)
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:session", pk=session.pk)
    session.refresh_from_db()
    return _session_page(request, session, {action: form}, status=status)


@role_required(*READERS)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo is served to those who read its session (404 otherwise), as a download."""
    return evidence_response(request, get_object_or_404(selectors.photos_for(_user(request)), pk=pk))


# --- Rosters -----------------------------------------------------------------------------------------------


def _rosters_page(request: HttpRequest, form: LecturerForm | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    keeps = user.district_id is not None and services.keeps_rosters(user, user.district_id)
    today = timezone.localdate()
    members = list(selectors.roster(user))
    context = {
        # Those whose appointment has ended are listed apart (they speak at no session held after it).
        "lecturers": [member for member in members if member.ended_on is None or member.ended_on >= today],
        "ended": [member for member in members if member.ended_on is not None and member.ended_on < today],
        "kinds": Lecturer.Kind,
        "form": (form or LecturerForm()) if keeps else None,
        "keeps": keeps,
    }
    return render(request, "culture/rosters.html", context, status=status)


@role_required(*READERS)
def rosters(request: HttpRequest) -> HttpResponse:
    return _rosters_page(request)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def lecturer_new(request: HttpRequest) -> HttpResponse:
    """The county's staff appoint a member to one of the county's rosters."""
    user = _user(request)
    if user.district is None:
        raise Http404
    district = user.district
    form = LecturerForm(request.POST)
    status = form_save(
        form, save=lambda: services.lecturer_appoint(district=district, acting_user=user, **form.cleaned_data)
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:rosters")
    return _rosters_page(request, form, status=status)


def _lecturer_page(
    request: HttpRequest, lecturer: Lecturer, forms: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    version = services.lecturer_version(lecturer)
    context = {
        "lecturer": lecturer,
        "edit_form": LecturerEditForm(
            initial={
                "unit": lecturer.unit,
                "topics": lecturer.topics,
                "appointed_on": lecturer.appointed_on,
                "version": version,
            }
        ),
        "end_form": LecturerEndForm(initial={"ended_on": lecturer.ended_on, "version": version}),
        **(forms or {}),
    }
    return render(request, "culture/lecturer_form.html", context, status=status)


@role_required(Role.COMMISSION_STAFF)
def lecturer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's staff correct a member's unit, topics and appointment date (another county's: 404)."""
    user = _user(request)
    lecturer = selectors.get_lecturer_for(user, pk)
    if request.method != "POST":
        return _lecturer_page(request, lecturer)
    form = LecturerEditForm(request.POST)
    status = form_save(
        form,
        check=partial(services.lecturer_check_version, lecturer),
        save=lambda: services.lecturer_update(lecturer=lecturer, acting_user=user, **form.cleaned_data),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:rosters")
    lecturer.refresh_from_db()
    return _lecturer_page(request, lecturer, {"edit_form": form}, status=status)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def lecturer_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's staff end a member's appointment."""
    user = _user(request)
    lecturer = selectors.get_lecturer_for(user, pk)
    form = LecturerEndForm(request.POST)
    status = form_save(
        form,
        check=partial(services.lecturer_check_version, lecturer),
        save=lambda: services.lecturer_end(lecturer=lecturer, acting_user=user, **form.cleaned_data),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:rosters")
    lecturer.refresh_from_db()
    return _lecturer_page(request, lecturer, {"end_form": form}, status=status)


# --- 两个全覆盖 and the county figures -------------------------------------------------------------------------


@role_required(*READERS)
def coverage(request: HttpRequest, year: int, township_code: str) -> HttpResponse:
    township = selectors.get_township_for(_user(request), township_code)
    context = {
        "coverage": selectors.township_coverage(township, year_in_path(year)),
        "held": selectors.season_held(township, year),
    }
    return render(request, "culture/coverage.html", context)


@role_required(*READERS)
def coverage_export(request: HttpRequest, year: int, township_code: str) -> HttpResponse:
    township = selectors.get_township_for(_user(request), township_code)
    record_event(EventType.EXPORTED, request=request, target=township, data={"what": "两个全覆盖", "year": year})
    sheet = exports.coverage_sheet(selectors.township_coverage(township, year_in_path(year)))
    return xlsx_response(sheet, f"coverage-{township.code}-{year}.xlsx")


@role_required(*READERS)
def figures(request: HttpRequest, year: int) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "year": year_in_path(year),
        "counties": selectors.county_figures(_user(request), year),
        "years": sorted({year, *selectors.session_years(_user(request), today)}, reverse=True),
    }
    return render(request, "culture/figures.html", context)
