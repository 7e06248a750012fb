"""The 典型案例通报 pages: the list, a bulletin (its cases, which townships held the 通报会), the staff's
forms (a bulletin, a case picked from the county's persons handled, issue, take a case out), a township's
meeting, the printable PDF, and the year's meetings with their sheet.

A county's staff compose; its leaders read; a township's secretary reads the issued bulletins of the own
county and records the own township's meeting; anyone else in the county list gets 404 on another county's
bulletin. No page shows a person's name. Every rule is in culture.bulletins; a refused save comes back as a
form error with what was typed kept."""

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.params import year_in_path
from core.spreadsheets import xlsx_bytes, xlsx_response
from core.versioning import form_save

from . import bulletin_pdf, bulletins
from . import bulletin_selectors as selectors
from . import selectors as culture_selectors
from .bulletin_forms import BulletinForm, CaseForm, MeetingForm, StepForm
from .models import BulletinCase, CaseBulletin

READERS = tuple(selectors.READERS)
COMPOSERS = tuple(selectors.COMPOSERS)
FOLLOWERS = tuple(selectors.FOLLOWERS)
CANDIDATES_PER_PAGE = 30


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


def _composes(user: User, bulletin: CaseBulletin) -> bool:
    return bulletins.composes_bulletins(user, bulletin.district_id) and bulletin.status == CaseBulletin.Status.DRAFT


def _draft_for(request: HttpRequest, pk: int) -> CaseBulletin:
    """A bulletin the staff member composes (404 for another county's)."""
    return selectors.get_bulletin_for(_user(request), pk)


def _read_only(request: HttpRequest, bulletin: CaseBulletin) -> HttpResponse:
    messages.info(request, _("The bulletin is issued: it can no longer be changed."))
    return redirect("culture:bulletin", pk=bulletin.pk)


# --- The list and a new bulletin --------------------------------------------------------------------------


@role_required(*READERS)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "bulletins": selectors.bulletin_list(user),
        "composes": user.has_role(*COMPOSERS),
        "follows": user.has_role(*FOLLOWERS),
        "year": timezone.localdate().year,
    }
    return render(request, "culture/bulletins.html", context)


def _bulletin_form_page(
    request: HttpRequest, form: BulletinForm, bulletin: CaseBulletin | None, status: int = 200
) -> HttpResponse:
    return render(request, "culture/bulletin_form.html", {"form": form, "bulletin": bulletin}, status=status)


@role_required(*COMPOSERS)
def bulletin_new(request: HttpRequest) -> HttpResponse:
    """A draft bulletin of the staff member's county."""
    user = _user(request)
    if user.district is None:
        raise Http404
    district = user.district
    form = BulletinForm(request.POST or None)
    if request.method != "POST":
        return _bulletin_form_page(request, form, None)
    made: list[CaseBulletin] = []
    status = form_save(
        form,
        save=lambda: made.append(
            bulletins.bulletin_create(
                district=district,
                title=form.cleaned_data["title"],
                foreword=form.cleaned_data["foreword"],
                acting_user=user,
            )
        ),
    )
    if status is None:
        messages.success(request, _("The bulletin is drafted: add its cases."))
        return redirect("culture:bulletin", pk=made[0].pk)
    return _bulletin_form_page(request, form, None, status=status)


@role_required(*COMPOSERS)
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    bulletin = _draft_for(request, pk)
    if bulletin.status != CaseBulletin.Status.DRAFT:
        return _read_only(request, bulletin)
    form = BulletinForm(request.POST or None, bulletin=bulletin)
    if request.method != "POST":
        return _bulletin_form_page(request, form, bulletin)
    status = form_save(
        form,
        check=partial(bulletins.bulletin_check_version, bulletin),
        save=lambda: bulletins.bulletin_update(
            bulletin=bulletin,
            version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            foreword=form.cleaned_data["foreword"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    return _bulletin_form_page(request, form, bulletin, status=status)


# --- A bulletin's page ------------------------------------------------------------------------------------


def _recordable(user: User, bulletin: CaseBulletin, lines: list[selectors.MeetingLine]) -> list[str]:
    """The codes of the townships whose 通报会 the user may record on the bulletin now: on an issued
    bulletin, a secretary's own township, the staff's every township of the county, that has not held it."""
    if bulletin.status != CaseBulletin.Status.ISSUED:
        return []
    return [
        line.township.code
        for line in lines
        if line.meeting is None and bulletins.records_meeting(user, bulletin, line.township)
    ]


def _bulletin_page(
    request: HttpRequest, bulletin: CaseBulletin, step_form: StepForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    composes = _composes(user, bulletin)
    follows = user.has_role(*FOLLOWERS)
    lines = selectors.bulletin_meetings(bulletin)
    sources = selectors.case_sources(bulletin) if composes else {}
    context = {
        "bulletin": bulletin,
        # With each case, for the composing staff only, the person handled it is built from (never the name).
        "cases": [(case, sources.get(case.pk)) for case in selectors.bulletin_cases(bulletin)],
        "composes": composes,
        "follows": follows,
        # A secretary sees the own township's meeting only; the county's people see every township's.
        "meetings": lines if follows else [line for line in lines if line.township.pk == user.township_id],
        "held": sum(line.meeting is not None for line in lines),
        "recordable": _recordable(user, bulletin, lines),
        # A secretary's form is on the page (one township); the staff open a township's form from its row.
        "meeting_form": MeetingForm() if user.has_role(Role.TOWNSHIP_SECRETARY) else None,
        "step_form": step_form or StepForm(initial={"version": bulletin.version}),
    }
    return render(request, "culture/bulletin.html", context, status=status)


@role_required(*READERS)
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    return _bulletin_page(request, selectors.get_bulletin_for(_user(request), pk))


@require_POST
@role_required(*COMPOSERS)
def bulletin_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    bulletin = _draft_for(request, pk)
    form = StepForm(request.POST)
    status = form_save(
        form,
        check=partial(bulletins.bulletin_check_version, bulletin),
        save=lambda: bulletins.bulletin_issue(
            bulletin=bulletin, version=form.cleaned_data["version"], acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("The bulletin is issued: the county's townships can now read it."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    bulletin.refresh_from_db()
    return _bulletin_page(request, bulletin, form, status=status)


@role_required(*selectors.MEETING_RECORDERS)
def meeting_new(request: HttpRequest, pk: int, township_code: str) -> HttpResponse:
    """A township's 通报会 on an issued bulletin of its county: its own secretary, or the county's staff
    (another county's bulletin, another township: 404)."""
    user = _user(request)
    bulletin = selectors.get_bulletin_for(user, pk)
    township = culture_selectors.get_township_for(user, township_code)
    if township.district_id != bulletin.district_id:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method != "POST":
        return _meeting_form_page(request, bulletin, township, form)
    status = form_save(
        form,
        save=lambda: bulletins.meeting_record(
            bulletin=bulletin,
            township=township,
            held_on=form.cleaned_data["held_on"],
            attendance=form.cleaned_data["attendance"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("The meeting is recorded."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    return _meeting_form_page(request, bulletin, township, form, status=status)


def _meeting_form_page(
    request: HttpRequest, bulletin: CaseBulletin, township: Any, form: MeetingForm, status: int = 200
) -> HttpResponse:
    context = {"bulletin": bulletin, "township": township, "form": form}
    return render(request, "culture/bulletin_meeting_form.html", context, status=status)


@role_required(*READERS)
def bulletin_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable PDF, built now (a bulletin is a few pages: synchronous)."""
    bulletin = selectors.get_bulletin_for(_user(request), pk)
    data = bulletin_pdf.bulletin_pdf(bulletin)
    record_event(EventType.DOWNLOADED, request=request, target=bulletin, data={"what": "典型案例通报 PDF"})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{bulletin.pk}.pdf"'
    return response


# --- Cases ------------------------------------------------------------------------------------------------


def _case_form_page(
    request: HttpRequest,
    form: CaseForm,
    bulletin: CaseBulletin,
    *,
    person: Any = None,
    case: BulletinCase | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "bulletin": bulletin, "person": person, "case": case}
    return render(request, "culture/bulletin_case_form.html", context, status=status)


def _candidates_page(request: HttpRequest, bulletin: CaseBulletin) -> HttpResponse:
    user = _user(request)
    year = params.year(request.GET.get("year"))
    page = Paginator(selectors.candidates_for(user, bulletin, year=year), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "bulletin": bulletin,
        "page": page,
        "year": year,
        "years": selectors.candidate_years(user, bulletin),
    }
    return render(request, "culture/bulletin_candidates.html", context)


@role_required(*COMPOSERS)
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Without a person: the county's persons handled to pick from. With one (`?person=`): the case's form,
    its post and handling prefilled, anonymised."""
    user = _user(request)
    bulletin = _draft_for(request, pk)
    if bulletin.status != CaseBulletin.Status.DRAFT:
        return _read_only(request, bulletin)
    person_pk = request.GET.get("person", "")
    if not (person_pk.isascii() and person_pk.isdigit() and len(person_pk) < 18):
        return _candidates_page(request, bulletin)
    candidates = selectors.candidates_for(user, bulletin)
    person = candidates.filter(pk=int(person_pk)).first()
    if person is None:
        raise Http404
    initial = {**selectors.case_draft(person), "version": bulletin.version}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _case_form_page(request, form, bulletin, person=person)
    status = form_save(
        form,
        check=partial(bulletins.bulletin_check_version, bulletin),
        save=lambda: bulletins.case_add(
            bulletin=bulletin,
            version=form.cleaned_data["version"],
            person=person,
            post=form.cleaned_data["post"],
            facts=form.cleaned_data["facts"],
            handling=form.cleaned_data["handling"],
            lesson=form.cleaned_data["lesson"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("The case is added."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    return _case_form_page(request, form, bulletin, person=person, status=status)


@role_required(*COMPOSERS)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case_for(user, pk)
    bulletin = case.bulletin
    if bulletin.status != CaseBulletin.Status.DRAFT:
        return _read_only(request, bulletin)
    form = CaseForm(request.POST or None, case=case)
    if request.method != "POST":
        return _case_form_page(request, form, bulletin, case=case)
    status = form_save(
        form,
        check=partial(bulletins.bulletin_check_version, bulletin),
        save=lambda: bulletins.case_update(
            case=case,
            version=form.cleaned_data["version"],
            post=form.cleaned_data["post"],
            facts=form.cleaned_data["facts"],
            handling=form.cleaned_data["handling"],
            lesson=form.cleaned_data["lesson"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    return _case_form_page(request, form, bulletin, case=case, status=status)


@require_POST
@role_required(*COMPOSERS)
def case_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case_for(user, pk)
    bulletin = case.bulletin
    form = StepForm(request.POST)
    status = form_save(
        form,
        check=partial(bulletins.bulletin_check_version, bulletin),
        save=lambda: bulletins.case_remove(case=case, version=form.cleaned_data["version"], acting_user=user),
    )
    if status is None:
        messages.success(request, _("The case is taken out of the bulletin."))
        return redirect("culture:bulletin", pk=bulletin.pk)
    bulletin.refresh_from_db()
    return _bulletin_page(request, bulletin, form, status=status)


# --- The year's meetings ----------------------------------------------------------------------------------


@role_required(*FOLLOWERS)
def meetings(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    context = {
        "overview": selectors.year_meetings(user, year_in_path(year)),
        "year": year,
        "years": selectors.meeting_years(user, timezone.localdate()),
    }
    return render(request, "culture/bulletin_meetings.html", context)


def meetings_sheet(overview: selectors.YearMeetings) -> bytes:
    """One row per bulletin and township: held or not, the day, the attendance (no name: there is none)."""
    headings = [_("Bulletin"), _("Issued on"), _("Township"), _("Held"), _("Held on"), _("People attending")]
    rows = [
        [
            bulletin.title,
            f"{bulletin.issued_on:%Y-%m-%d}",
            line.township.name,
            _("yes") if meeting else _("no"),
            f"{meeting.held_on:%Y-%m-%d}" if meeting else "",
            meeting.attendance if meeting else "",
        ]
        for index, bulletin in enumerate(overview.bulletins)
        for line in overview.townships
        for meeting in [line.meetings[index]]
    ]
    return xlsx_bytes(headings, rows, title=_("Bulletin meetings %(year)s") % {"year": overview.year})


@role_required(*FOLLOWERS)
def meetings_export(request: HttpRequest, year: int) -> HttpResponse:
    overview = selectors.year_meetings(_user(request), year_in_path(year))
    record_event(EventType.EXPORTED, request=request, data={"what": "典型案例通报会", "year": year})
    return xlsx_response(meetings_sheet(overview), f"bulletin-meetings-{year}.xlsx")
