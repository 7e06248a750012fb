"""The use of results' pages: a county's register of a year (assessment points, project funds), the year's
评先评优 eligibility list and its rule, the 示范村 nominations with their approval, reward and revocation,
the 备案 register with the office's opinions, a department's sheet, and a village's page with every use
of its results over the years.

Every page is scoped (results.selectors: another county's or township's object is 404) and every write
goes through results.services, whose predicates say who may; a refused form comes back with what was
typed kept (409 on a stale version)."""

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import CITY_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.dates import YEARS
from core.params import year_in_path
from core.spreadsheets import xlsx_response
from core.versioning import form_save
from villages.models import District, Village

from . import exports, selectors, services
from .filters import FilingFilter
from .forms import AwardForm, FilingForm, FundForm, OpinionForm, PointsForm, RuleForm
from .models import DemonstrationAward, Filing, MemberDepartment

REGISTER_READERS = tuple(selectors.REGISTER_READERS)
VILLAGE_READERS = tuple(selectors.VILLAGE_READERS)
PER_PAGE = 100


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


def _county_villages(county: District) -> Any:
    return Village.objects.filter(township__district=county, active=True).select_related("township").order_by("code")


def _years(year: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted({year, this_year, this_year - 1}, reverse=True)


def _county_context(request: HttpRequest, county: District, year: int | None = None) -> dict[str, Any]:
    user = _user(request)
    return {
        "county": county,
        "year": year,
        "years": _years(year) if year else [],
        "current_year": timezone.localdate().year,
        "counties": list(selectors.counties_for(user)) if user.has_role(*CITY_ROLES) else [],
        "may_record": services.records_for_county(user, county.pk),
        "reads_register": services.reads_register(user),
    }


@role_required(*VILLAGE_READERS)
def home(request: HttpRequest) -> HttpResponse:
    """This year's register of the user's county (the city's roles: the city's first county; a secretary:
    the eligibility list)."""
    user = _user(request)
    county = selectors.counties_for(user).first()
    if county is None:
        raise Http404
    year = timezone.localdate().year
    if not services.reads_register(user):
        return redirect("results:eligibility", county=county.code, year=year)
    return redirect("results:register", county=county.code, year=year)


@role_required(*REGISTER_READERS)
def register(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """A county's year: how many uses of each kind, the year's rule, the 示范村 of the county."""
    district = selectors.get_register_county_for(_user(request), county)
    year = year_in_path(year)
    context = _county_context(request, district, year) | {
        "points_count": selectors.points_of(district, year).count(),
        "funds_count": selectors.funds_of(district, year).count(),
        "filings_count": Filing.objects.filter(district=district, year=year).count(),
        "rule": selectors.rule_for(district.pk, year),
        "departments": list(selectors.departments()),
    }
    return render(request, "results/register.html", context)


def _paged(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


@role_required(*REGISTER_READERS)
def points(request: HttpRequest, county: str, year: int) -> HttpResponse:
    district = selectors.get_register_county_for(_user(request), county)
    year = year_in_path(year)
    rows = selectors.points_of(district, year).order_by("village__code", "assessment")
    context = _county_context(request, district, year) | {"page": _paged(request, rows)}
    return render(request, "results/points.html", context)


@role_required(*REGISTER_READERS)
def funds(request: HttpRequest, county: str, year: int) -> HttpResponse:
    district = selectors.get_register_county_for(_user(request), county)
    year = year_in_path(year)
    rows = selectors.funds_of(district, year).order_by("village__code", "decided_on", "id")
    context = _county_context(request, district, year) | {"page": _paged(request, rows)}
    return render(request, "results/funds.html", context)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, template, context, status=status)


def _points_text(form: PointsForm) -> services.PointsText:
    data = form.cleaned_data
    return services.PointsText(data["village"], data["assessment"], data["points"], data["reason"])


@role_required(Role.COMMISSION_STAFF)
def points_new(request: HttpRequest, county: str, year: int) -> HttpResponse:
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    form = PointsForm(request.POST or None, villages=_county_villages(district))
    context = _county_context(request, district, year) | {"form": form, "line": None}
    if request.method != "POST":
        return _form_page(request, "results/points_form.html", context, 200)
    status = form_save(
        form,
        save=lambda: services.points_record(district=district, year=year, text=_points_text(form), acting_user=user),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:points", county=district.code, year=year)
    return _form_page(request, "results/points_form.html", context, status)


@role_required(Role.COMMISSION_STAFF)
def points_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    line = get_object_or_404(selectors.points_for(user), pk=pk)
    district = line.village.township.district
    villages = _county_villages(district)
    if request.method != "POST":
        initial = {
            "version": line.version,
            "village": line.village.code,
            "assessment": line.assessment,
            "points": line.points,
            "reason": line.reason,
        }
        form = PointsForm(initial=initial, villages=villages)
    else:
        form = PointsForm(request.POST, villages=villages)
    context = _county_context(request, district, line.year) | {"form": form, "line": line}
    if request.method != "POST":
        return _form_page(request, "results/points_form.html", context, 200)
    status = form_save(
        form,
        check=partial(services.points_check_version, line),
        save=lambda: services.points_update(
            line=line, version=form.cleaned_data["version"], text=_points_text(form), acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:points", county=district.code, year=line.year)
    return _form_page(request, "results/points_form.html", context, status)


def _fund_text(form: FundForm) -> services.FundText:
    data = form.cleaned_data
    return services.FundText(
        data["village"], data["department"], data["project"], data["amount"], data["decided_on"], data["conditions"]
    )


@role_required(Role.COMMISSION_STAFF)
def fund_new(request: HttpRequest, county: str, year: int) -> HttpResponse:
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    form = FundForm(request.POST or None, villages=_county_villages(district), departments=selectors.departments())
    context = _county_context(request, district, year) | {"form": form, "fund": None}
    if request.method != "POST":
        return _form_page(request, "results/fund_form.html", context, 200)
    status = form_save(
        form, save=lambda: services.fund_record(district=district, year=year, text=_fund_text(form), acting_user=user)
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:funds", county=district.code, year=year)
    return _form_page(request, "results/fund_form.html", context, status)


@role_required(Role.COMMISSION_STAFF)
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    fund = get_object_or_404(selectors.funds_for(user), pk=pk)
    district = fund.village.township.district
    kwargs = {"villages": _county_villages(district), "departments": selectors.departments()}
    if request.method != "POST":
        initial = {
            "version": fund.version,
            "village": fund.village.code,
            "department": fund.department_id,
            "project": fund.project,
            "amount": fund.amount,
            "decided_on": fund.decided_on,
            "conditions": fund.conditions,
        }
        form = FundForm(initial=initial, **kwargs)
        context = _county_context(request, district, fund.year) | {"form": form, "fund": fund}
        return _form_page(request, "results/fund_form.html", context, 200)
    form = FundForm(request.POST, **kwargs)
    context = _county_context(request, district, fund.year) | {"form": form, "fund": fund}
    status = form_save(
        form,
        check=partial(services.fund_check_version, fund),
        save=lambda: services.fund_update(
            fund=fund, version=form.cleaned_data["version"], text=_fund_text(form), acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:funds", county=district.code, year=fund.year)
    return _form_page(request, "results/fund_form.html", context, status)


# --- Eligibility (评先评优) -----------------------------------------------------------------------------


def _eligibility(request: HttpRequest, county: str, year: int) -> tuple[District, int, Any, list[Any], Any]:
    """The county's (a secretary: the own township's) villages judged by the year's rule, filtered by
    township and by eligibility."""
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    townships = selectors.townships_of(user, district)
    villages = selectors.villages_for(user).filter(township__district=district, active=True)
    township = params.text(request.GET.get("township"))
    if township:
        villages = villages.filter(township__code=township)
    rule = selectors.rule_for(district.pk, year)
    lines = selectors.eligibility_of(villages, year, rule)
    shown = params.text(request.GET.get("shown"))
    if shown in ("eligible", "ineligible"):
        lines = [line for line in lines if line.eligible == (shown == "eligible")]
    return district, year, rule, lines, townships


@role_required(*VILLAGE_READERS)
def eligibility(request: HttpRequest, county: str, year: int) -> HttpResponse:
    district, year, rule, lines, townships = _eligibility(request, county, year)
    context = _county_context(request, district, year) | {
        "rule": rule,
        "page": _paged(request, lines),
        "eligible_count": sum(1 for line in lines if line.eligible),
        "total": len(lines),
        "townships": townships,
        "township": request.GET.get("township", ""),
        "shown": request.GET.get("shown", ""),
    }
    return render(request, "results/eligibility.html", context)


@role_required(*VILLAGE_READERS)
def eligibility_export(request: HttpRequest, county: str, year: int) -> HttpResponse:
    district, year, _rule, lines, _townships = _eligibility(request, county, year)
    record_event(EventType.EXPORTED, request=request, target=district, data={"what": "eligibility", "year": year})
    return xlsx_response(exports.eligibility_sheet(lines, year), f"eligibility-{district.code}-{year}.xlsx")


@role_required(Role.COMMISSION_STAFF)
def rule_edit(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """The county's own rule of the year (a copy of the city-wide default on first save)."""
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    rule = selectors.rule_for(district.pk, year)
    initial = {
        "min_stars": rule.min_stars,
        "lowest_grade": rule.lowest_grade,
        "unrated_eligible": rule.unrated_eligible,
    }
    form = RuleForm(request.POST or None, initial=initial)
    context = _county_context(request, district, year) | {"form": form, "rule": rule}
    if request.method != "POST":
        return render(request, "results/rule_form.html", context)
    status = form_save(
        form,
        save=lambda: services.rule_save(district=district, year=year, acting_user=user, **form.cleaned_data),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:eligibility", county=district.code, year=year)
    return render(request, "results/rule_form.html", context, status=status)


# --- 示范村 ----------------------------------------------------------------------------------------------


@role_required(*REGISTER_READERS)
def awards(request: HttpRequest, county: str) -> HttpResponse:
    district = selectors.get_register_county_for(_user(request), county)
    context = _county_context(request, district) | {"nominations": list(selectors.nominations_of(district))}
    return render(request, "results/awards.html", context)


@role_required(Role.COMMISSION_STAFF)
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """What became of a nomination: approval, reward, payment."""
    user = _user(request)
    nomination = get_object_or_404(selectors.nominations_for(user), pk=pk)
    award = DemonstrationAward.objects.filter(nomination=nomination).first()
    district = nomination.application.village.township.district  # type: ignore[union-attr]  # a village's
    if award is not None and award.status == DemonstrationAward.Status.REVOKED:
        messages.error(request, str(services.AWARD_REVOKED))
        return redirect("results:awards", county=district.code)
    if request.method != "POST":
        initial = {"version": award.version if award else 0, "status": DemonstrationAward.Status.PENDING}
        if award:
            initial |= {
                "status": award.status,
                "approved_by_body": award.approved_by_body,
                "decided_on": award.decided_on,
                "decision_reference": award.decision_reference,
                "reward_amount": award.reward_amount,
                "reward_paid_on": award.reward_paid_on,
            }
        form = AwardForm(initial=initial)
    else:
        form = AwardForm(request.POST)
    context = _county_context(request, district) | {"form": form, "nomination": nomination, "award": award}
    if request.method != "POST":
        return render(request, "results/award_form.html", context)
    status = form_save(
        form,
        check=(lambda version: services.award_check_version(award, version)) if award else None,
        save=lambda: services.award_save(
            nomination=nomination,
            text=services.AwardText(**{name: form.cleaned_data[name] for name in _AWARD_FIELDS}),
            version=form.cleaned_data["version"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:awards", county=district.code)
    return render(request, "results/award_form.html", context, status=status)


_AWARD_FIELDS = ("status", "approved_by_body", "decided_on", "decision_reference", "reward_amount", "reward_paid_on")


# --- 备案 -------------------------------------------------------------------------------------------------


@role_required(*REGISTER_READERS)
def filings(request: HttpRequest, county: str) -> HttpResponse:
    district = selectors.get_register_county_for(_user(request), county)
    found = FilingFilter(request.GET, queryset=selectors.filings_of(district).order_by("-filed_on", "-id"))
    rows = found.qs if found.is_valid() else Filing.objects.none()
    context = _county_context(request, district) | {
        "filter": found,
        "page": _paged(request, rows),
        "departments": list(selectors.departments()),
    }
    return render(request, "results/filings.html", context)


def _filing_years() -> list[int]:
    this_year = timezone.localdate().year
    return [year for year in range(this_year + 1, this_year - 6, -1) if year in YEARS]


def _filing_form(data: Any, district: District, **kwargs: Any) -> FilingForm:
    return FilingForm(
        data,
        departments=selectors.departments(),
        villages=_county_villages(district),
        years=_filing_years(),
        **kwargs,
    )


def _filing_text(form: FilingForm) -> services.FilingText:
    data = form.cleaned_data
    return services.FilingText(
        department=data["department"],
        number=data["number"],
        year=data["year"],
        kind=data["kind"],
        title=data["title"],
        content=data["content"],
        amount=data["amount"],
        filed_on=data["filed_on"],
        villages=list(data["villages"]),
    )


@role_required(Role.COMMISSION_STAFF)
def filing_new(request: HttpRequest, county: str) -> HttpResponse:
    user = _user(request)
    district = selectors.get_county_for(user, county)
    form = _filing_form(request.POST or None, district, initial={"year": timezone.localdate().year})
    context = _county_context(request, district) | {"form": form, "filing": None}
    if request.method != "POST":
        return render(request, "results/filing_form.html", context)
    created: list[Filing] = []
    status = form_save(
        form,
        save=lambda: created.append(
            services.filing_record(district=district, text=_filing_text(form), acting_user=user)
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:filing", pk=created[0].pk)
    return render(request, "results/filing_form.html", context, status=status)


@role_required(Role.COMMISSION_STAFF)
def filing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    filing = selectors.get_filing_for(user, pk)
    if request.method != "POST":
        initial = {
            "version": filing.version,
            "department": filing.department_id,
            "number": filing.number,
            "year": filing.year,
            "kind": filing.kind,
            "title": filing.title,
            "content": filing.content,
            "amount": filing.amount,
            "filed_on": filing.filed_on,
            "villages": [village.code for village in filing.villages.all()],
        }
        form = _filing_form(None, filing.district, initial=initial)
    else:
        form = _filing_form(request.POST, filing.district)
    context = _county_context(request, filing.district) | {"form": form, "filing": filing}
    if request.method != "POST":
        return render(request, "results/filing_form.html", context)
    status = form_save(
        form,
        check=partial(services.filing_check_version, filing),
        save=lambda: services.filing_update(
            filing=filing, version=form.cleaned_data["version"], text=_filing_text(form), acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:filing", pk=filing.pk)
    return render(request, "results/filing_form.html", context, status=status)


def _filing_page(
    request: HttpRequest, filing: Filing, form: OpinionForm | None = None, status: int = 200
) -> HttpResponse:
    context = _county_context(request, filing.district) | {"filing": filing}
    if context["may_record"]:
        initial = {"version": filing.version, "opinion_on": timezone.localdate()}
        if filing.opinion:
            initial |= {"opinion": filing.opinion, "opinion_text": filing.opinion_text, "opinion_on": filing.opinion_on}
        context["form"] = form or OpinionForm(initial=initial)
    return render(request, "results/filing.html", context, status=status)


@role_required(*REGISTER_READERS)
def filing(request: HttpRequest, pk: int) -> HttpResponse:
    return _filing_page(request, selectors.get_filing_for(_user(request), pk))


@require_POST
@role_required(Role.COMMISSION_STAFF)
def filing_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    filing = selectors.get_filing_for(user, pk)
    form = OpinionForm(request.POST)
    status = form_save(
        form,
        check=partial(services.filing_check_version, filing),
        save=lambda: services.filing_opinion(
            filing=filing,
            version=form.cleaned_data["version"],
            opinion=form.cleaned_data["opinion"],
            text=form.cleaned_data["opinion_text"],
            given_on=form.cleaned_data["opinion_on"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("results:filing", pk=filing.pk)
    filing.refresh_from_db()
    return _filing_page(request, filing, form, status)


@role_required(*REGISTER_READERS)
def department_export(request: HttpRequest, county: str, pk: int) -> HttpResponse:
    """Everything of one department in the county: its project funds and its filings, a sheet per kind."""
    district = selectors.get_register_county_for(_user(request), county)
    department = get_object_or_404(MemberDepartment, pk=pk)
    uses = selectors.department_uses(district, department)
    record_event(
        EventType.EXPORTED,
        request=request,
        target=department,
        data={"what": "department uses", "county": district.code},
    )
    return xlsx_response(exports.department_sheet(uses), f"results-{district.code}-department-{department.pk}.xlsx")


# --- A village's page ------------------------------------------------------------------------------------


@role_required(*VILLAGE_READERS)
def village(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    place = selectors.get_village_for(user, code)
    uses = selectors.village_uses(place)
    context = {
        "village": place,
        "uses": uses,
        "reads_register": services.reads_register(user),
        "may_record": services.records_for_county(user, place.township.district_id),
        "year": timezone.localdate().year,
    }
    return render(request, "results/village.html", context)
