"""Reads of 主动下访. The visits themselves (with the issues' summaries) are for the petition office, staff
and leaders of the visit's county; another county's visit is 404, as a missing one. A township secretary
and the city's roles read the aggregate figures only, in the scope of the petition figures.

The figures beside the petition figures never count a petition twice: a petition registered from an issue
is a petition (in 信访总量, under the channel 下访) and, on the visit's side, an issue "registered as a
petition"; the total of matters received adds to the petitions only the issues *not* registered. The
service registers an issue's petition as received on the day of the visit and about its village, so both
sides fall in the same period and township.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import PETITION_CASE_ROLES
from core.dates import same_day_last_year
from villages.models import District, Township

from .models import Visit, VisitIssue
from .selectors import FIGURE_ROLES, CountLine

VISIT_ROLES = tuple(PETITION_CASE_ROLES)


def visits_for(user: User) -> QuerySet[Visit]:
    """The visits of the user's own county, for its petition office, staff and leaders; none for anyone else."""
    visits = Visit.objects.select_related("township", "village")
    return scope_to_user(visits, user, roles=VISIT_ROLES, district_field="district_id")


def get_visit_for(user: User, pk: int) -> Visit:
    return get_object_or_404(visits_for(user), pk=pk)


def get_issue_for(user: User, pk: int) -> VisitIssue:
    """An issue of a visit the user sees; 404 otherwise, as for a missing one."""
    issues = VisitIssue.objects.select_related("visit__township", "visit__village", "petition")
    return get_object_or_404(issues.filter(visit__in=visits_for(user)), pk=pk)


def visit_list(user: User, year: int) -> QuerySet[Visit]:
    """The year's visits, newest first, each with its issues counted (one query)."""
    return (
        visits_for(user)
        .filter(visited_on__year=year)
        .annotate(
            issues_received=Count("issues"),
            settled=Count("issues", filter=Q(issues__settled_on_spot=True)),
            registered=Count("issues", filter=Q(issues__petition__isnull=False)),
        )
        .order_by("-visited_on", "-id")
    )


def visit_years(user: User, today: date) -> list[int]:
    """The years with a visit, and this year, newest first."""
    years = {day.year for day in visits_for(user).order_by().dates("visited_on", "year")}
    return sorted(years | {today.year}, reverse=True)


@dataclass
class VisitFigures:
    visits: CountLine
    issues: CountLine  # issues received
    settled: CountLine  # of them settled on the spot
    registered: CountLine  # of them registered as petitions (already counted in 信访总量)

    @property
    def unregistered(self) -> CountLine:
        return CountLine("", self.issues.value - self.registered.value, self.issues.previous - self.registered.previous)

    def matters(self, petitions: CountLine) -> CountLine:
        """Petitions received plus the visits' issues not registered as one: every matter received once."""
        return CountLine(
            "信访件与下访问题合计",
            petitions.value + self.unregistered.value,
            petitions.previous + self.unregistered.previous,
        )

    def lines(self, petitions: CountLine) -> list[CountLine]:
        """The lines of the figures page: the visits' own, then every matter received once."""
        return [self.visits, self.issues, self.settled, self.registered, self.matters(petitions)]


def visit_figures_scope(user: User, county: District | None = None) -> QuerySet[Visit]:
    """The visits whose aggregate figures the user reads, in the scope of the petition figures
    (selectors.figures_scope): the own township's for a secretary, the own county's for its petition office,
    staff and leaders, every county's of the city (or `county`) for the city's roles."""
    visits = scope_to_user(
        Visit.objects.all(), user, roles=FIGURE_ROLES, township_field="township_id", district_field="district_id"
    )
    return visits.filter(district=county) if county else visits


def visit_figures(
    start: date, end: date, township: Township | None = None, *, visits: QuerySet[Visit] | None = None
) -> VisitFigures:
    """Visits made between `start` and `end` (every visit when `visits` is None, for a township's report),
    the issues received on them, settled on the spot and registered as petitions, with 同比 against the same
    dates of the year before; two queries."""
    visits = Visit.objects.all() if visits is None else visits
    scope = visits.filter(township=township) if township else visits
    before_start, before_end = same_day_last_year(start), same_day_last_year(end)
    now, before = Q(visited_on__range=(start, end)), Q(visited_on__range=(before_start, before_end))
    counted = scope.aggregate(now=Count("id", filter=now), before=Count("id", filter=before))
    issue_now = Q(visit__visited_on__range=(start, end))
    issue_before = Q(visit__visited_on__range=(before_start, before_end))
    settled, registered = Q(settled_on_spot=True), Q(petition__isnull=False)
    issues = VisitIssue.objects.filter(visit__in=scope.filter(now | before)).aggregate(
        now=Count("id", filter=issue_now),
        before=Count("id", filter=issue_before),
        settled_now=Count("id", filter=issue_now & settled),
        settled_before=Count("id", filter=issue_before & settled),
        registered_now=Count("id", filter=issue_now & registered),
        registered_before=Count("id", filter=issue_before & registered),
    )
    return VisitFigures(
        visits=CountLine("主动下访次数", counted["now"], counted["before"]),
        issues=CountLine("下访收集问题", issues["now"], issues["before"]),
        settled=CountLine("当场化解", issues["settled_now"], issues["settled_before"]),
        registered=CountLine("登记为信访件", issues["registered_now"], issues["registered_before"]),
    )
