"""Star rating pages (评星晋级): the list of the year's applications, the secretary's self-assessment, the
application with its review, publicity and dynamic-management steps, evidence downloads, and each county's
pilot (试点先行). Each county works alone; the city's roles read every county of their city and change nothing.

Views stay thin: every rule (who may act, routing by level, veto, points) is in stars.services;
a refused step comes back as a message or a form error, with what was typed kept."""

from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, INDEX_ROLES, Role
from core import params
from core.uploads import evidence_response
from core.versioning import form_save, posted_version
from villages.selectors import get_village_for, stations_for, villages_for

from . import pilot_services, selectors, services
from .forms import (
    DemonstrationForm,
    ImprovementPlanForm,
    PilotStageForm,
    SatisfactionForm,
    StarApplicationForm,
    StarObjectionAnswerForm,
    StarObjectionForm,
    StarReturnForm,
    StarReviewForm,
    StarStripForm,
    StarVetoHitDismissForm,
    StarVetoRecordForm,
)
from .models import StarApplication, StarAttachment, StarItem, StarObjection, Subject

if TYPE_CHECKING:
    from villages.models import Station, Township, Village

# Who reads the lists of the county's work beyond the applications (veto hits, the pilot): the county's
# staff and leaders, and the city's roles for every county of the city.
COUNTY_READERS = DISTRICT_WIDE_ROLES | CITY_ROLES


# The list each subject's pages go back to.
LIST_OF = {Subject.VILLAGE: "stars:list", Subject.TOWNSHIP: "stars:townships", Subject.STATION: "stars:stations"}


def _year(request: HttpRequest, subject: str = Subject.VILLAGE) -> int:
    """The year asked for, else the newest with criteria for a county the user reads; 404 when none."""
    year = params.year(request.GET.get("year")) or selectors.latest_year(request.user, subject)
    if year is None:
        raise Http404
    return year


@role_required(*selectors.STAR_READERS)
def star_list(request: HttpRequest) -> HttpResponse:
    """The year's applications in the user's scope with their stars and movement against last year; each
    county's criteria and pilot townships with how many villages take part; for a secretary also the
    villages not yet filed; for staff, leaders and the city the counts per level per township."""
    year = _year(request)
    counties = selectors.county_stars(request.user, year)
    if not counties:
        raise Http404
    applications = selectors.applications_for(request.user).filter(subject=Subject.VILLAGE)
    status = request.GET.get("status", "")
    if status in StarApplication.Status.values:
        applications = applications.filter(status=status)
    context = {
        "year": year,
        "counties": counties,
        "years": selectors.criteria_years(county.district for county in counties),
        "lines": selectors.application_lines(applications, year),
        "status": status,
        "statuses": StarApplication.Status.choices,
        "overdue_plans": selectors.overdue_plans(request.user, timezone.localdate()),
        "reads_counties": request.user.has_role(*COUNTY_READERS),
        "several_counties": len(counties) > 1,  # a township is then named with its county
    }
    if context["reads_counties"]:
        context["counts"] = selectors.level_counts_by_township(request.user, year)
        context["open_veto_hits"] = selectors.open_veto_hits(request.user).count()
    if request.user.has_role(Role.TOWNSHIP_SECRETARY):
        county = counties[0]  # the own township's
        context["not_in_pilot"] = not county.takes_part(request.user.township_id)
        context["not_filed"] = (
            []
            if context["not_in_pilot"]
            else villages_for(request.user).filter(active=True).exclude(star_applications__criteria=county.criteria)
        )
    return render(request, "stars/list.html", context)


@role_required(*selectors.STAR_READERS)
def subject_list(request: HttpRequest, subject: str) -> HttpResponse:
    """The year's ratings of townships (勤廉双优示范乡镇) or of grassroots stations (群众满意基层站所) in the
    user's scope, each county's criteria, and for a secretary what is still to be filed."""
    # A year without criteria for the subject is said so on the page (it is linked from the villages' list).
    year = params.year(request.GET.get("year")) or selectors.latest_year(request.user, subject)
    ratings = selectors.subject_ratings(request.user, subject, year or timezone.localdate().year)
    context = {
        "ratings": ratings,
        "subject": Subject(subject),
        "is_secretary": request.user.has_role(Role.TOWNSHIP_SECRETARY),
    }
    return render(request, "stars/subject_list.html", context)


@role_required(Role.TOWNSHIP_SECRETARY)
def application_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The secretary's self-assessment for one village: save as draft, or save and file (提交申报). A
    township not yet in the county's pilot (试点先行) is told so, and a save is refused."""
    return _self_assessment(request, get_village_for(request.user, code))


@role_required(Role.TOWNSHIP_SECRETARY)
def township_apply(request: HttpRequest, township_code: str) -> HttpResponse:
    """The secretary's self-assessment of the own township (勤廉双优示范乡镇), filed to the county."""
    return _self_assessment(request, selectors.get_township_for(request.user, township_code))


@role_required(Role.TOWNSHIP_SECRETARY)
def station_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's self-assessment of a station in the own township (群众满意基层站所)."""
    return _self_assessment(request, get_object_or_404(stations_for(request.user).filter(active=True), pk=pk))


def _self_assessment(request: HttpRequest, rated: "Village | Township | Station") -> HttpResponse:
    subject, township, lookup = selectors.rated_subject(rated)
    criteria = selectors.criteria_applying(township.district_id, _year(request, subject), subject)
    if criteria is None:
        raise Http404
    application = StarApplication.objects.filter(criteria=criteria, **lookup).first()
    # A save posted after someone else filed it meets the conflict, with what was typed kept.
    if application and not application.is_editable and request.method != "POST":
        return redirect("stars:application", pk=application.pk)
    items = (
        StarItem.objects.filter(dimension__criteria=criteria)
        .select_related("dimension")
        .order_by("dimension__position", "position")
    )
    initial = {"version": 0}  # no application seen: one filed meanwhile is a conflict
    if application:
        initial = {
            "level_applied": application.level_applied,
            "summary": application.summary,
            "version": application.version,
        }
        for score in application.self_scores.all():
            initial[f"item_{score.item_id}"] = score.points
            initial[f"note_{score.item_id}"] = score.note
    form = StarApplicationForm(
        request.POST or None, request.FILES or None, items=items, criteria=criteria, initial=initial
    )
    status = 200
    if request.method == "POST":
        filing = request.POST.get("file") == "1"

        saved = []  # the application the save wrote, for the redirect

        @transaction.atomic
        def save() -> None:
            application = services.application_save(
                criteria=criteria,
                rated=rated,
                level_applied=form.cleaned_data["level_applied"],
                scores=form.scores(),
                summary=form.cleaned_data["summary"],
                acting_user=request.user,
                version=form.cleaned_data["version"],
            )
            for upload in form.cleaned_data["files"]:
                services.attachment_add(application=application, upload=upload, acting_user=request.user)
            if filing:
                services.application_submit(application=application, acting_user=request.user)
            saved.append(application)

        check = partial(services.application_check_version, application) if application else None
        status = form_save(form, check=check, save=save)
        if status is None:
            messages.success(request, _("Filed.") if filing else _("Saved."))
            return redirect("stars:application", pk=saved[0].pk)
    context = {
        "form": form,
        "rated": rated,
        "township": township,
        "criteria": criteria,
        "application": application,
        "not_in_pilot": not selectors.takes_part(criteria, township),
        "list_url": reverse(LIST_OF[subject]) + f"?year={criteria.year}",
    }
    return render(request, "stars/application_form.html", context, status=status)


def _detail(request: HttpRequest, application: StarApplication, forms: dict | None = None, status: int = 200):
    """The application page with the forms the user may use now (bound ones keep what was typed)."""
    user = request.user
    stars = application.current_stars()
    available = services.allowed_actions(user, application, stars)
    forms = forms or {}
    version = {"version": application.version}
    defaults = {
        "review": StarReviewForm(
            initial={"level": application.level_applied, "points": application.self_points, **version}
        ).for_criteria(application.criteria),
        "satisfaction": SatisfactionForm(
            initial={
                "satisfaction": application.satisfaction,
                "satisfaction_responses": application.satisfaction_responses,
                "satisfaction_source": application.satisfaction_source,
                **version,
            }
        ),
        "return": StarReturnForm(initial=version),
        "objection": StarObjectionForm(initial={"received_on": timezone.localdate()}),
        "strip": StarStripForm(initial={"stripped_on": timezone.localdate()}),
        "nominate": DemonstrationForm(),
        "veto": StarVetoRecordForm(initial={"occurred_on": timezone.localdate()}).for_criteria(application.criteria),
    }
    steps = list(application.steps.select_related("actor"))
    context = {
        "application": application,
        "stars": stars,
        "steps": steps,
        # Why it came back, on top, for the secretary who must complete it (the last step is the return).
        "returned": steps[-1] if application.status == StarApplication.Status.RETURNED and steps else None,
        "self_scores": application.self_scores.select_related("item__dimension"),
        "attachments": application.attachments.all(),
        "objections": application.objections.select_related("recorded_by", "answered_by"),
        "strips": application.strips.select_related("recorded_by"),
        "nominations": application.nominations.all(),
        "veto_hits": selectors.veto_hits(application.village, application.criteria) if application.village else [],
        "edit_url": application.apply_url(),
        "list_url": reverse(LIST_OF[application.subject]) + f"?year={application.criteria.year}",
        "plan": getattr(application, "plan", None) if application.is_decided else None,
        "can_edit": available["edit"],
        # A form refused (a conflict: the step may no longer be open) is shown again with what was typed.
        "forms": {
            **{name: form for name, form in defaults.items() if available[name]},
            **{name: form for name, form in forms.items() if name in defaults},
        },
        "can_plan": available["plan"],
        "decides_district": application.decided_by_district,
        "answer_form": forms.get("answer", StarObjectionAnswerForm()),
        "today": timezone.localdate(),
    }
    return render(request, "stars/application.html", context, status=status)


@role_required(*selectors.STAR_READERS)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_application_for(request.user, pk))


# action: (form, service), every service taking application=, acting_user= and the form's data.
ACTIONS = {
    "decide": (StarReviewForm, services.application_decide),
    "forward": (StarReviewForm, services.application_forward),
    "return": (StarReturnForm, services.application_return),
    "objection": (StarObjectionForm, services.objection_record),
    "strip": (StarStripForm, services.stars_strip),
    "veto": (StarVetoRecordForm, services.veto_record),
    "nominate": (DemonstrationForm, services.demonstration_nominate),
    "satisfaction": (SatisfactionForm, services.satisfaction_record),
}
# The form on the page that each action's errors go back to.
ACTION_FORM = {"decide": "review", "forward": "review"}


@require_POST
@role_required(*INDEX_ROLES)
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.get_application_for(request.user, pk)
    if action == "submit":
        return _submit(request, application)
    if action not in ACTIONS:
        raise Http404
    form_class, service = ACTIONS[action]
    form = form_class(request.POST)
    status = form_save(
        form,
        check=partial(services.application_check_version, application) if "version" in form.fields else None,
        save=lambda: service(application=application, acting_user=request.user, **form.cleaned_data),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("stars:application", pk=application.pk)
    application.refresh_from_db()
    return _detail(request, application, {ACTION_FORM.get(action, action): form}, status=status)


def _submit(request: HttpRequest, application: StarApplication) -> HttpResponse:
    try:
        services.application_submit(
            application=application, acting_user=request.user, version=posted_version(request.POST)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Filed."))
    return redirect("stars:application", pk=application.pk)


@require_POST
@role_required(Role.COMMISSION_STAFF, Role.COMMISSION_LEADER, Role.TOWNSHIP_SECRETARY)
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        StarObjection.objects.filter(application__in=selectors.applications_for(request.user)), pk=pk
    )
    form = StarObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(objection=objection, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("stars:application", pk=objection.application_id)
    application = selectors.get_application_for(request.user, objection.application_id)
    return _detail(request, application, {"answer": form}, status=400)


@role_required(Role.COMMISSION_STAFF, Role.TOWNSHIP_SECRETARY)
def improvement_plan(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for(request.user, pk)
    current = getattr(application, "plan", None)
    form = ImprovementPlanForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ImprovementPlanForm.Meta.fields}
        try:
            services.improvement_plan_save(application=application, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("stars:application", pk=application.pk)
    context = {"form": form, "application": application}
    return render(request, "stars/plan.html", context)


def _veto_hit_page(request: HttpRequest, refused: dict | None = None, status: int = 200) -> HttpResponse:
    refused = refused or {}
    hits = selectors.open_veto_hits(request.user)
    context = {
        # Each hit with its dismiss form: a refused one keeps what was typed.
        "rows": [(hit, refused.get(hit.pk) or StarVetoHitDismissForm(auto_id=f"id_%s_{hit.pk}")) for hit in hits],
        "can_answer": request.user.has_role(Role.COMMISSION_STAFF),  # the hits are the own county's
    }
    return render(request, "stars/veto_hits.html", context, status=status)


@role_required(*COUNTY_READERS)
def veto_hit_list(request: HttpRequest) -> HttpResponse:
    """Villages whose fixed stars a veto item now hits, found by the daily job, for staff to strip (摘星)
    or dismiss with a reason; the leader and the city read them."""
    return _veto_hit_page(request)


@role_required(Role.COMMISSION_STAFF)
def veto_hit_strip(request: HttpRequest, pk: int) -> HttpResponse:
    """摘星 for a veto hit: the strip form, proposed from the hit and editable."""
    hit = selectors.get_open_veto_hit_for(request.user, pk)
    proposal = selectors.veto_hit_strip_proposal(hit, timezone.localdate())
    form = StarStripForm(request.POST or None, initial=proposal)
    status = 200
    if request.method == "POST":
        status = form_save(
            form, save=lambda: services.veto_hit_strip(hit=hit, acting_user=request.user, **form.cleaned_data)
        )
        if status is None:
            messages.success(request, _("Saved."))
            return redirect("stars:veto_hits")
    return render(request, "stars/veto_hit_strip.html", {"hit": hit, "form": form}, status=status)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def veto_hit_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    hit = selectors.get_open_veto_hit_for(request.user, pk)
    form = StarVetoHitDismissForm(request.POST, auto_id=f"id_%s_{hit.pk}")
    status = form_save(
        form, save=lambda: services.veto_hit_dismiss(hit=hit, acting_user=request.user, **form.cleaned_data)
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("stars:veto_hits")
    return _veto_hit_page(request, {hit.pk: form}, status)


@role_required(*selectors.STAR_READERS)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the village (404 otherwise), as a download."""
    attachment = get_object_or_404(
        StarAttachment.objects.filter(application__in=selectors.applications_for(request.user)), pk=pk
    )
    return evidence_response(request, attachment)


@role_required(*COUNTY_READERS)
def pilot(request: HttpRequest, year: int, county: str) -> HttpResponse:
    """The county's criteria of the year and its pilot (试点先行): which townships take part since when,
    each stage with who decided it; the county's staff add a stage (townships, or the whole county)."""
    district = selectors.get_county_for(request.user, county)
    found = selectors.county_stars(request.user, year, [district])
    if not found:
        raise Http404
    stars = found[0]
    manages = pilot_services.can_manage_pilot(request.user, district)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    joining = district.townships.exclude(pk__in=[township.pk for township in stars.pilot])
    form = PilotStageForm(request.POST or None, townships=joining, initial={"starts_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = form_save(
            form,
            save=lambda: pilot_services.pilot_stage_record(
                criteria=stars.criteria,
                district=district,
                acting_user=request.user,
                townships=list(form.cleaned_data["townships"]),
                **{name: form.cleaned_data[name] for name in ("starts_on", "whole_county", "note")},
            ),
        )
        if status is None:
            messages.success(request, _("Saved."))
            return redirect("stars:pilot", year=year, county=county)
    townships = [(township, stars.takes_part(township.pk)) for township in district.townships.all()]
    context = {
        "stars": stars,
        "year": year,
        "townships": townships,
        "form": form if manages and (not stars.rolled_out or form.is_bound) else None,
    }
    return render(request, "stars/pilot.html", context, status=status)
