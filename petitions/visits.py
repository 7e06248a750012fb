"""Writes of 主动下访: the county's commission goes down to a village to receive petitions and records the
visit (when, where, which officials went) with the issues raised there (subject, short summary, settled
on the spot or not); the county's petition office may register an issue as a petition (涉纪信访件,
channel 下访) through petition_register, which links the issue to the case.

A visit names no petitioner: who raised an issue is recorded only when the petition office registers it,
encrypted as every petitioner's identity is. Summaries are petition matter: kept out of the audit log
(VisitIssue.AUDIT_CONFIDENTIAL). Each write is an audited save (core.services.audited_save).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.services import audited_save, require, versioned_change
from core.versioning import check_version
from villages.models import Village

from .models import Petition, Visit, VisitIssue, handles_cases, of_the_visits_county, records_visits
from .services import petition_register

VILLAGE_OF_ANOTHER_COUNTY = _("Choose a village of your county.")
VISIT_IN_THE_FUTURE = _("A visit is recorded once it has taken place: the date cannot be after today.")
ALREADY_REGISTERED = _("This issue is registered as a petition already.")
VISIT_OF_A_REGISTERED_ISSUE = _(
    "An issue of this visit is registered as a petition received on the day of the visit and about its village: "
    "the date and the village can no longer change."
)
REGISTERED_ISSUE = _("Issue %(number)s is registered as a petition: it can no longer change here.")


@dataclass(frozen=True)
class IssueReceived:
    """An issue as the visit's form gives it."""

    category: str
    summary: str
    settled_on_spot: bool = False


def sees_visit(user: User, visit: Visit) -> bool:
    return records_visits(user) and of_the_visits_county(user, visit)


def registers_issues(user: User, visit: Visit) -> bool:
    """The visit's county's petition office registers its issues as petitions (it alone registers cases
    and takes down who petitioned)."""
    return handles_cases(user) and of_the_visits_county(user, visit)


@transaction.atomic
def visit_record(
    *,
    acting_user: User,
    village: Village,
    visited_on: date,
    officials: str,
    issues: Sequence[IssueReceived],
) -> Visit:
    """A visit to one of the county's villages, with the issues received there (none is a visit too)."""
    require(records_visits(acting_user) and acting_user.district_id is not None)
    _check_place_and_day(acting_user, village, visited_on)
    visit = Visit(
        district_id=village.township.district_id,  # the own county (checked above)
        township_id=village.township_id,
        village=village,
        visited_on=visited_on,
        officials=officials.strip(),
        recorded_by=acting_user,
    )
    audited_save(visit, acting_user)
    _add_issues(visit, issues, first=1, acting_user=acting_user)
    return visit


def _check_place_and_day(acting_user: User, village: Village, visited_on: date) -> None:
    if village.township.district_id != acting_user.district_id:
        raise ValidationError({"village": VILLAGE_OF_ANOTHER_COUNTY})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": VISIT_IN_THE_FUTURE})


def _add_issues(visit: Visit, issues: Sequence[IssueReceived], *, first: int, acting_user: User) -> None:
    for position, issue in enumerate(issues, start=first):
        audited_save(
            VisitIssue(
                visit=visit,
                position=position,
                category=issue.category,
                summary=issue.summary.strip(),
                settled_on_spot=issue.settled_on_spot,
            ),
            acting_user,
        )


def visit_check_version(visit: Visit, version: int | None) -> None:
    """A correction filled in against an older version of the visit is refused before anything else."""
    check_version(
        visit,
        version,
        what=str(_("visit to the village")),
        state=lambda: f"{visit.visited_on:%Y-%m-%d} {visit.village.name}",
    )


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    version: int | None,
    acting_user: User,
    village: Village,
    visited_on: date,
    officials: str,
    changed_issues: Mapping[int, IssueReceived],
    new_issues: Sequence[IssueReceived],
) -> Visit:
    """A correction of the visit (by whoever may record it): its date, village and officials, its issues
    not registered as petitions (`changed_issues`, by id), and issues added after the last. Once an issue is
    registered, the date and village stay: its petition was received that day, about that village."""
    locked = Visit.objects.select_for_update().select_related("village").get(pk=visit.pk)
    require(sees_visit(acting_user, locked))
    visit_check_version(locked, version)
    _check_place_and_day(acting_user, village, visited_on)
    issues = list(locked.issues.all())
    moved = village.pk != locked.village_id or visited_on != locked.visited_on
    if moved and any(issue.petition_id for issue in issues):
        raise ValidationError(VISIT_OF_A_REGISTERED_ISSUE, code="registered")
    for issue in issues:
        wanted = changed_issues.get(issue.pk)
        if wanted is None:
            continue
        wanted = IssueReceived(wanted.category, wanted.summary.strip(), wanted.settled_on_spot)
        if wanted == IssueReceived(issue.category, issue.summary, issue.settled_on_spot):
            continue
        if issue.petition_id is not None:
            raise ValidationError(REGISTERED_ISSUE % {"number": issue.position}, code="registered")
        issue.category, issue.summary, issue.settled_on_spot = wanted.category, wanted.summary, wanted.settled_on_spot
        audited_save(issue, acting_user)
    _add_issues(
        locked, new_issues, first=max((issue.position for issue in issues), default=0) + 1, acting_user=acting_user
    )
    return versioned_change(
        locked,
        acting_user,
        village=village,
        township_id=village.township_id,
        visited_on=visited_on,
        officials=officials.strip(),
    )


@transaction.atomic
def visit_issue_register(
    *, issue: VisitIssue, acting_user: User, identity: str = "", contact: str = "", **fields: Any
) -> Petition:
    """登记 an issue as a petition of the visit's county: received on the day of the visit, by the channel
    下访, about the visit's village; `fields` are the intake's others (named, person complained about,
    subject, summary…). The issue is locked first: an issue is registered once."""
    issue = VisitIssue.objects.select_for_update().select_related("visit__village").get(pk=issue.pk)
    visit = issue.visit
    require(registers_issues(acting_user, visit))
    if issue.petition_id is not None:
        raise ValidationError(ALREADY_REGISTERED, code="registered")
    petition = petition_register(
        acting_user=acting_user,
        identity=identity,
        contact=contact,
        received_on=visit.visited_on,
        channel=Petition.Channel.OUTREACH,
        township=visit.village.township,
        village=visit.village,
        **fields,
    )
    issue.petition = petition
    audited_save(issue, acting_user)
    return petition
