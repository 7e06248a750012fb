"""Writes of 五有一化 reporting, each audited (core.services.audited_save / versioned_change), and the rules
every page asks: who may report, edit, evaluate, review and set the deadline (each predicate written once,
used by service, view and template), when a report is due and late, and what it still lacks.

A township's discipline secretary reports each major decision of the township; the row is made when it
is reported, so its deadline (decided_on + the county's working days) and its lateness are set then. The
secretary edits it while it awaits review or was returned, and adds its evaluation (有测评) at any time.
The county's staff accept it or return it to be completed, with an opinion the secretary is told of."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from core.services import audited_save, is_own_township_secretary, require, versioned_change
from core.states import STEP_NOT_POSSIBLE
from core.uploads import store_evidence
from core.versioning import check_version
from petitions.calendar import add_working_days
from villages.models import District, Township

from .models import DecisionMinutes, MajorDecision, ReportingRule
from .standard import DEFAULT_WORKING_DAYS, EVALUATION_DUE_DAYS

Status = MajorDecision.Status

DECIDED_IN_THE_FUTURE = _("A decision is reported once it is made: its date cannot be in the future.")
YEAR_IS_THE_NUMBERS = _("The decision keeps the year it was numbered in: report a decision of another year anew.")
SAY_WHERE_AND_WHAT = _("Say where it was made public and give its public summary.")
OPINION_REQUIRED = _("Say what is to be completed: the township is told your opinion.")
STILL_INCOMPLETE = _("This report still lacks: %(missing)s. Return it to be completed.")
SAY_HOW_IT_WENT = _("Say how the decision has turned out.")

NEW_REPORT = _("%(township)s reported a major decision: %(subject)s.")
LATE_REPORT = _("%(township)s reported a major decision late (due %(due)s): %(subject)s.")
COMPLETED_REPORT = _("%(township)s completed a returned report: %(subject)s.")
RETURNED_REPORT = _("Your report “%(subject)s” was returned to be completed: %(opinion)s")

# The parts of 五有一化 a report must hold when it is made (有测评 comes later): field → what a page calls it.
REQUIRED_TEXT = (
    ("rules_basis", _("the rules it rests on (有规则)")),
    ("proposal", _("the proposal (有程序)")),
    ("deliberation", _("the deliberation (有程序)")),
    ("vote", _("the vote (有程序)")),
    ("monitor", _("who monitors it (有监控)")),
    ("accountability", _("accountability (有追究)")),
)
MINUTES_PART = _("the minutes (有程序)")


# --- The rules every page asks ----------------------------------------------------------------------------


def reports_for_township(user: User, township_id: int) -> bool:
    """A township's major decisions are reported by its own discipline secretary, nobody else."""
    return is_own_township_secretary(user, township_id)


def can_edit(user: User, decision: MajorDecision) -> bool:
    """The own secretary edits a report while it awaits review or was returned; a reviewed one stays."""
    return reports_for_township(user, decision.township_id) and decision.status in (Status.REPORTED, Status.RETURNED)


def can_evaluate(user: User, decision: MajorDecision) -> bool:
    """有测评: the own secretary adds (or corrects) the evaluation at any time, reviewed or not."""
    return reports_for_township(user, decision.township_id)


def reviews_for_county(user: User, district_id: int) -> bool:
    """A county's commission staff review its townships' reports and set its deadline; leaders read."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


def can_review(user: User, decision: MajorDecision) -> bool:
    return decision.status == Status.REPORTED and reviews_for_county(user, decision.township.district_id)


def minutes_count(decision: MajorDecision) -> int:
    """The report's minutes files: the count the list selectors annotate, or counted now."""
    counted = getattr(decision, "minutes_count", None)
    return counted if counted is not None else decision.minutes.count()


def missing_parts(decision: MajorDecision) -> list[str]:
    """What of 五有一化 a report lacks that it must hold when made (the evaluation comes later): empty for
    a complete report. The one definition of "incomplete" for the lists, the page, the figures, the sheet
    and the review."""
    missing = [str(label) for name, label in REQUIRED_TEXT if not str(getattr(decision, name)).strip()]
    if minutes_count(decision) == 0:
        missing.append(str(MINUTES_PART))
    return missing


def evaluation_due(decision: MajorDecision, today: date) -> bool:
    """EVALUATION_DUE_DAYS after the decision, a report without its evaluation is flagged."""
    return not decision.evaluation.strip() and today >= decision.decided_on + timedelta(days=EVALUATION_DUE_DAYS)


@dataclass(frozen=True)
class Flags:
    """What a page marks beside a report."""

    late: bool
    missing: list[str]
    evaluation_due: bool
    not_public: bool

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)


def flags_of(decision: MajorDecision, today: date) -> Flags:
    return Flags(
        late=decision.late,
        missing=missing_parts(decision),
        evaluation_due=evaluation_due(decision, today),
        not_public=not decision.made_public,
    )


def working_days_of(district_id: int) -> int:
    """The county's own rule, else the city-wide default row, else DEFAULT_WORKING_DAYS (one query)."""
    rules = ReportingRule.objects.filter(Q(district_id=district_id) | Q(district__isnull=True))
    days = rules.order_by(F("district_id").asc(nulls_last=True), "pk").values_list("working_days", flat=True).first()
    return days or DEFAULT_WORKING_DAYS


def due_date(decided_on: date, district_id: int) -> date:
    """The last day to report a decision: that many working days after it (weekends, public holidays and
    调休 as petitions.calendar counts them, with the administrator's overrides)."""
    return add_working_days(decided_on, working_days_of(district_id))


def reported_late(reported_at: datetime, due_on: date) -> bool:
    """Late when reported on a local (Asia/Shanghai) date after the due date."""
    return timezone.localdate(reported_at) > due_on


# --- Writes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionText:
    """What the secretary writes of a decision when reporting or editing it."""

    category: str
    subject: str
    amount: Decimal | None
    decided_on: date
    rules_basis: str
    proposal: str
    deliberation: str
    vote: str
    monitor: str
    accountability: str
    made_public: bool
    public_where: str
    public_summary: str

    def fields(self) -> dict[str, Any]:
        text = {name: getattr(self, name).strip() for name in self.__dataclass_fields__ if name in TEXT_FIELDS}
        return {
            **text,
            "category": self.category,
            "amount": self.amount,
            "decided_on": self.decided_on,
            "made_public": self.made_public,
        }


TEXT_FIELDS = frozenset(
    {"subject", "rules_basis", "proposal", "deliberation", "vote", "monitor", "accountability"}
    | {"public_where", "public_summary"}
)


def _check_text(text: DecisionText, today: date) -> None:
    if text.decided_on > today:
        raise ValidationError({"decided_on": DECIDED_IN_THE_FUTURE})
    if text.made_public and not (text.public_where.strip() and text.public_summary.strip()):
        raise ValidationError({"public_where": SAY_WHERE_AND_WHAT})


def _notify(decision: MajorDecision, *, users: Any, message: Any, acting_user: User, **params: object) -> None:
    notices_send_on_commit(
        users=users,
        message=message,
        params={
            "township": decision.township.name,
            "subject": Truncator(decision.subject).chars(40),
            "due": f"{decision.due_on:%Y-%m-%d}",
            **params,
        },
        link=reverse("decisions:decision", args=[decision.pk]),
        key=f"decision-{decision.pk}-v{decision.version}",
        acting_user=acting_user,
    )


def _county_staff(decision: MajorDecision) -> Any:
    return users_with_role(Role.COMMISSION_STAFF, district_id=decision.township.district_id)


def _add_minutes(decision: MajorDecision, uploads: Iterable["UploadedFile[bytes]"], acting_user: User) -> None:
    for upload in uploads:  # each checked by its content; a refused one undoes the whole save
        store_evidence(DecisionMinutes(decision=decision), upload, uploaded_by=acting_user)


@transaction.atomic
def decision_report(
    *,
    township: Township,
    text: DecisionText,
    minutes: Iterable["UploadedFile[bytes]"] = (),
    acting_user: User,
    now: datetime | None = None,
) -> MajorDecision:
    """A decision reported: numbered after the township's last of its year, due that many working days
    after it was made, late at once when reported after that; the county's staff are told."""
    require(reports_for_township(acting_user, township.pk))
    now = now or timezone.now()
    _check_text(text, timezone.localdate(now))
    Township.objects.select_for_update().get(pk=township.pk)  # one number at a time per township
    year = text.decided_on.year
    last = (
        MajorDecision.objects.filter(township=township, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    due_on = due_date(text.decided_on, township.district_id)
    decision = audited_save(
        MajorDecision(
            township=township,
            year=year,
            number=(last or 0) + 1,
            due_on=due_on,
            reported_at=now,
            late=reported_late(now, due_on),
            reported_by=acting_user,
            **text.fields(),
        ),
        acting_user,
    )
    _add_minutes(decision, minutes, acting_user)
    _notify(
        decision,
        users=_county_staff(decision),
        message=LATE_REPORT if decision.late else NEW_REPORT,
        acting_user=acting_user,
    )
    return decision


def decision_state(decision: MajorDecision) -> str:
    """The report as it stands now, for the conflict message of a stale edit."""
    return f"“{decision.subject}”，{decision.get_status_display()}"


def decision_check_version(decision: MajorDecision, version: int | None) -> None:
    """A form filled in against an older version of the report is refused before anything else."""
    check_version(decision, version, what=str(_("report")), state=lambda: decision_state(decision))


def _locked(decision: MajorDecision, version: int | None) -> MajorDecision:
    decision = MajorDecision.objects.select_for_update().select_related("township").get(pk=decision.pk)
    decision_check_version(decision, version)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: MajorDecision,
    version: int | None,
    text: DecisionText,
    minutes: Iterable["UploadedFile[bytes]"] = (),
    acting_user: User,
) -> MajorDecision:
    """The secretary corrects or completes a report awaiting review or returned; a returned one goes back
    to the county's staff, who are told. A new decision date moves the deadline, and the lateness with it
    (still against the day it was first reported)."""
    decision = _locked(decision, version)
    require(can_edit(acting_user, decision))
    _check_text(text, timezone.localdate())
    if text.decided_on.year != decision.year:
        raise ValidationError({"decided_on": YEAR_IS_THE_NUMBERS})
    due_on = due_date(text.decided_on, decision.township.district_id)
    returned = decision.status == Status.RETURNED
    decision = versioned_change(
        decision,
        acting_user,
        due_on=due_on,
        late=reported_late(decision.reported_at or timezone.now(), due_on),
        status=Status.REPORTED,
        **text.fields(),
    )
    _add_minutes(decision, minutes, acting_user)
    if returned:
        _notify(decision, users=_county_staff(decision), message=COMPLETED_REPORT, acting_user=acting_user)
    return decision


@transaction.atomic
def decision_evaluate(
    *, decision: MajorDecision, version: int | None, evaluation: str, evaluated_on: date, acting_user: User
) -> MajorDecision:
    """有测评: how the decision has turned out, and when that was judged."""
    decision = _locked(decision, version)
    require(can_evaluate(acting_user, decision))
    if not evaluation.strip():
        raise ValidationError({"evaluation": SAY_HOW_IT_WENT})
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": DECIDED_IN_THE_FUTURE})
    return versioned_change(decision, acting_user, evaluation=evaluation.strip(), evaluated_on=evaluated_on)


@transaction.atomic
def decision_review(
    *, decision: MajorDecision, version: int | None, accept: bool, opinion: str, acting_user: User
) -> MajorDecision:
    """The county's staff accept a report (an opinion is optional), or return it to be completed (an
    opinion is required, and the township's secretary is told of it). An incomplete report is not
    accepted: it is returned."""
    decision = _locked(decision, version)
    require(reviews_for_county(acting_user, decision.township.district_id))
    if decision.status != Status.REPORTED:
        raise ValidationError(STEP_NOT_POSSIBLE, code="wrong_status")
    opinion = opinion.strip()
    if accept:
        missing = missing_parts(decision)
        if missing:
            raise ValidationError(STILL_INCOMPLETE % {"missing": "、".join(missing)})
    elif not opinion:
        raise ValidationError({"opinion": OPINION_REQUIRED})
    decision = versioned_change(
        decision,
        acting_user,
        status=Status.ACCEPTED if accept else Status.RETURNED,
        review_opinion=opinion,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
    )
    if not accept:
        _notify(
            decision,
            users=users_with_role(Role.TOWNSHIP_SECRETARY, township_id=decision.township_id),
            message=RETURNED_REPORT,
            acting_user=acting_user,
            opinion=Truncator(opinion).chars(60),
        )
    return decision


@transaction.atomic
def rule_set(*, district: District, working_days: int, acting_user: User) -> ReportingRule:
    """The county's own deadline in working days (its row made the first time)."""
    require(reviews_for_county(acting_user, district.pk))
    rule = ReportingRule.objects.select_for_update().filter(district=district).first()
    rule = rule or ReportingRule(district=district)
    rule.working_days = working_days
    return audited_save(rule, acting_user)
