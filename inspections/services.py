"""Writes of inspections: rounds and their villages, findings through the rectification ledger, leads,
persons handled, the daily overdue marking and the revisit's re-check items.

Staff manage their county's rounds, findings, leads and persons and verify closure; a township secretary
records progress and evidence for the own township's findings and submits them for closure. A round
visits its county's villages only, and its findings are followed by that county's staff or secretaries.
Every change goes through the models' history into the audit log. Text the system writes into records (a
re-check's description, a citation) is Chinese, the language of the files, whatever the language of the
screen.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from audit.models import EventType
from audit.services import record_event
from core.copying import copy_of
from core.services import audited_save, is_own_township_secretary, require, versioned_change
from core.states import take
from core.uploads import store_evidence
from core.versioning import check_version
from scoring.models import Indicator, Round, Score
from scoring.services import deduction_cite
from villages.models import District, Village

from .models import (
    Finding,
    FindingEvidence,
    FindingProgress,
    InspectionRound,
    InspectionTarget,
    PersonHandled,
    ProblemLead,
)
from .selectors import finding_state, recheck_candidates

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

RecordT = TypeVar("RecordT", bound=Model)


def runs_inspections(user: User, district_id: int | None) -> bool:
    """The county's staff run its inspections: rounds, findings, leads, persons, closure and citations."""
    return user.has_role(Role.COMMISSION_STAFF) and district_id is not None and user.district_id == district_id


def follows(user: User, finding: Finding) -> bool:
    """Who follows a finding's rectification: the county's staff, a township secretary in the own township."""
    return runs_inspections(user, finding.round.district_id) or is_own_township_secretary(
        user, finding.village.township_id
    )


def verifies(user: User, finding: Finding) -> bool:
    """The county's staff close, reopen and cite its findings."""
    return runs_inspections(user, finding.round.district_id)


def allowed_actions(user: User, finding: Finding) -> frozenset[str]:
    """What the finding's page offers the user now, by the rules above and the finding's state."""
    actions: set[str] = set()
    if follows(user, finding) and finding.status in OPEN_STATES:
        actions |= {"progress", "submit"}
    if verifies(user, finding):
        actions.add("cite")
        if finding.status == Finding.Status.SUBMITTED:
            actions.add("close")
        if finding.status in (Finding.Status.SUBMITTED, Finding.Status.CLOSED):
            actions.add("reopen")
    return frozenset(actions)


NOT_OF_THE_COUNTY = gettext_lazy("Not villages of %(county)s: %(codes)s")


def require_villages_of(district: District | int, village_ids: Iterable[int]) -> None:
    """A round visits, and finds problems in, its own county's villages only: ValidationError naming the
    codes of any other."""
    district_id = district if isinstance(district, int) else district.pk
    foreign = Village.objects.filter(pk__in=set(village_ids)).exclude(township__district_id=district_id)
    codes = list(foreign.order_by("code").values_list("code", flat=True))
    if codes:
        county = District.objects.get(pk=district_id)
        raise ValidationError(NOT_OF_THE_COUNTY % {"county": county.name, "codes": "、".join(codes)}, code="county")


@transaction.atomic
def round_create(*, acting_user: User, villages: Iterable[Village] = (), **fields: Any) -> InspectionRound:
    """A round of the acting staff member's county."""
    district_id = acting_user.district_id
    require(district_id is not None and runs_inspections(acting_user, district_id))
    round_ = InspectionRound(created_by=acting_user, district_id=cast(int, district_id), **fields)
    audited_save(round_, acting_user)
    round_targets_add(round_=round_, reasons={village.pk: "" for village in villages}, acting_user=acting_user)
    return round_


def round_targets_add(*, round_: InspectionRound, reasons: dict[int, str], acting_user: User) -> None:
    """The villages (id → why chosen) a round visits that it does not list yet: in bulk, each with its
    history row, and one audit row naming them (a district round visits hundreds of villages). Villages
    of another county are refused."""
    require_villages_of(round_.district_id, reasons)
    known = set(round_.targets.values_list("village_id", flat=True))
    new = [
        InspectionTarget(round=round_, village_id=pk, reason=reason[:300])
        for pk, reason in sorted(reasons.items())
        if pk not in known
    ]
    if not new:
        return
    bulk_create_with_history(new, InspectionTarget, batch_size=1000, default_user=acting_user)
    codes = Village.objects.filter(pk__in=[target.village_id for target in new]).order_by("code")
    record_event(
        EventType.UPDATED,
        actor=acting_user,
        target=round_,
        data={"targets_added": list(codes.values_list("code", flat=True))},
    )


# The fields a revisit's re-check item does not copy from the earlier finding (core.copying).
RECHECK_COPY_EXCLUDES = {
    "round",  # the re-check belongs to the revisit
    "description",  # the earlier problem, marked as its re-check
    "found_on",  # found again on the revisit
    "due_on",  # due by the revisit's end
    "status",  # the re-check starts open…
    "overdue_since",  # …not overdue…
    "verification",  # …not yet verified…
    "closed_by",  # …nor closed by anyone…
    "closed_on",  # …on any day
    "recheck_of",  # the earlier finding
    "version",  # a new row starts at 1
}


@transaction.atomic
def revisit_targets_add(
    *, round_: InspectionRound, choices: dict[Village, str], acting_user: User, today: date | None = None
) -> int:
    """Adds the chosen villages (village → why chosen) to a revisit round, and brings back each one's
    earlier open findings and those closed within the look-back as re-check items (复诊), so that a
    rectification done only on paper is caught. Returns the number of re-check items."""
    require(runs_inspections(acting_user, round_.district_id))
    if round_.kind != InspectionRound.Kind.REVISIT:
        raise ValidationError(_("Only a revisit round re-checks earlier findings."))
    today = today or timezone.localdate()
    round_targets_add(
        round_=round_, reasons={village.pk: reason for village, reason in choices.items()}, acting_user=acting_user
    )
    rechecks = [
        copy_of(
            earlier,
            exclude=RECHECK_COPY_EXCLUDES,
            round=round_,
            description=f"复查：{earlier.description}",
            found_on=max(round_.starts_on, today),
            due_on=max(round_.ends_on, today),
            recheck_of=earlier,
        )
        for earlier in recheck_candidates([village.pk for village in choices], before=round_, today=today)
    ]
    for finding in rechecks:
        audited_save(finding, acting_user)
    return len(rechecks)


@transaction.atomic
def finding_record(*, round_: InspectionRound, acting_user: User, **fields: Any) -> Finding:
    require(runs_inspections(acting_user, round_.district_id))
    finding = Finding(round=round_, **fields)
    require_villages_of(round_.district_id, [finding.village_id])
    require_follower_of(round_.district_id, finding.owner)
    audited_save(finding, acting_user)
    round_targets_add(round_=round_, reasons={finding.village_id: ""}, acting_user=acting_user)
    return finding


FOLLOWER_OF_ANOTHER_COUNTY = gettext_lazy("The finding is followed by the county's staff or one of its secretaries.")


def followers(district_id: int) -> QuerySet[User]:
    """Who may follow a finding of the county: its staff and its townships' secretaries."""
    return User.objects.filter(
        Q(groups__name=Role.COMMISSION_STAFF, district_id=district_id)
        | Q(groups__name=Role.TOWNSHIP_SECRETARY, township__district_id=district_id),
        is_active=True,
    ).distinct()


def require_follower_of(district_id: int, owner: User) -> None:
    if not followers(district_id).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": FOLLOWER_OF_ANOTHER_COUNTY}, code="county")


def finding_check_version(finding: Finding, version: int | None) -> None:
    """A form filled in against an older version of the finding is refused before anything else."""
    check_version(finding, version, what=_("finding"), state=lambda: finding_state(finding))


def _locked(finding: Finding, *expected: str, version: int | None = None) -> Finding:
    locked = Finding.objects.select_for_update().select_related("village", "round").get(pk=finding.pk)
    finding_check_version(locked, version)
    if expected and locked.status not in expected:
        raise ValidationError(
            _("The finding is %(status)s; this step is not possible now.") % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    return locked


OPEN_STATES = (Finding.Status.OPEN, Finding.Status.RECTIFYING, Finding.Status.REOPENED)

# The notices a move of a finding sends to whoever must act next (site language, see accounts' notice_text).
CLOSURE_SUBMITTED_NOTICE = gettext_lazy(
    "%(by)s asks to close the finding of %(village)s (%(problem)s): verify the evidence and close it."
)
FINDING_REOPENED_NOTICE = gettext_lazy(
    "%(by)s reopened the finding of %(village)s (%(problem)s), now due on %(due)s: %(reason)s"
)
FINDING_OVERDUE_NOTICE = gettext_lazy("The finding of %(village)s (%(problem)s) is past its due date, %(due)s.")


def _notify(
    finding: Finding,
    *,
    users: QuerySet[User],
    message: "StrPromise",
    acting_user: User | None,
    reason: str = "",
    key: str = "",
) -> None:
    """`key`: the occasion, when it is not the finding's move to its current version."""
    notices_send_on_commit(
        users=users,
        message=message,
        params={
            "by": acting_user,
            "village": finding.village.name,
            "problem": Truncator(finding.description).chars(30),
            "due": finding.due_on,
            "reason": reason,
        },
        link=reverse("inspections:finding", args=[finding.pk]),
        key=key or f"finding-{finding.pk}-v{finding.version}",
        acting_user=acting_user,
    )


@transaction.atomic
def progress_record(
    *,
    finding: Finding,
    acting_user: User,
    note: str,
    uploads: Iterable["UploadedFile[bytes]"] = (),
    version: int | None = None,
) -> Finding:
    """A progress note with any evidence; an open finding becomes 'being rectified'."""
    finding = _locked(finding, *OPEN_STATES, version=version)
    require(follows(acting_user, finding))
    if not note.strip():
        raise ValidationError(_("Describe the progress."))
    FindingProgress.objects.create(finding=finding, note=note, recorded_by=acting_user)
    for upload in uploads:
        store_evidence(FindingEvidence(finding=finding), upload, uploaded_by=acting_user)
    take(finding.record_progress)
    return versioned_change(finding, acting_user)


@transaction.atomic
def closure_submit(*, finding: Finding, acting_user: User, version: int | None = None) -> Finding:
    """Submitted for closure (申请销号): only with evidence of the rectification."""
    finding = _locked(finding, *OPEN_STATES, version=version)
    require(follows(acting_user, finding))
    if not finding.evidence.exists():
        raise ValidationError(_("Attach evidence of the rectification before asking to close it."), code="evidence")
    take(finding.submit_for_closure)
    finding = versioned_change(finding, acting_user)
    # 对账销号: the county's staff other than the follower verify it.
    county_staff = users_with_role(Role.COMMISSION_STAFF, district_id=finding.round.district_id)
    verifiers = county_staff.exclude(pk=finding.owner_id)
    _notify(finding, users=verifiers, message=CLOSURE_SUBMITTED_NOTICE, acting_user=acting_user)
    return finding


@transaction.atomic
def finding_close(
    *, finding: Finding, acting_user: User, verification: str, today: date | None = None, version: int | None = None
) -> Finding:
    """对账销号: staff other than the one who follows the finding verify the evidence and close it."""
    require(verifies(acting_user, finding))
    finding = _locked(finding, Finding.Status.SUBMITTED, version=version)
    if acting_user.pk == finding.owner_id:
        raise ValidationError(
            _("The finding is closed by someone other than the one who follows it."), code="same_person"
        )
    if not finding.evidence.exists():
        raise ValidationError(_("A finding without evidence cannot be closed."), code="evidence")
    if not verification.strip():
        raise ValidationError(_("Say how the rectification was verified."))
    take(finding.close)
    return versioned_change(
        finding,
        acting_user,
        verification=verification,
        closed_by=acting_user,
        closed_on=today or timezone.localdate(),
        overdue_since=None,
    )


@transaction.atomic
def finding_reopen(
    *, finding: Finding, acting_user: User, reason: str, due_on: date, version: int | None = None
) -> Finding:
    """Back to work: a closure refused, or a closed finding found not rectified after all."""
    require(verifies(acting_user, finding))
    finding = _locked(finding, Finding.Status.SUBMITTED, Finding.Status.CLOSED, version=version)
    if not reason.strip():
        raise ValidationError(_("Say why the finding is reopened."))
    FindingProgress.objects.create(finding=finding, note=f"重新整改：{reason}", recorded_by=acting_user)
    # The finding's page shows it beside the step (selectors.finding_steps). simple-history's attribute:
    finding._change_reason = reason  # type: ignore[attr-defined]
    take(finding.reopen)
    versioned_change(finding, acting_user, closed_by=None, closed_on=None, due_on=due_on)
    follower = User.objects.filter(pk=finding.owner_id, is_active=True)
    _notify(finding, users=follower, message=FINDING_REOPENED_NOTICE, acting_user=acting_user, reason=reason)
    return finding


@transaction.atomic
def overdue_mark(today: date | None = None, *, district: District | None = None) -> int:
    """Daily: open findings past their due date are marked overdue from that date, and their follower (of
    the finding's county) is told; closed ones and those given a later date are cleared. Every county's, or
    only `district`'s. Returns how many were newly marked."""
    today = today or timezone.localdate()
    findings = Finding.objects.filter(round__district=district) if district else Finding.objects.all()
    late = findings.filter(due_on__lt=today, overdue_since__isnull=True).exclude(status=Finding.Status.CLOSED)
    cleared = findings.filter(overdue_since__isnull=False).filter(
        Q(status=Finding.Status.CLOSED) | Q(due_on__gte=today)
    )
    marked = 0
    for findings, overdue in ((late, True), (cleared, False)):
        for finding in findings.select_related("village").select_for_update(of=("self",)):
            # Saved one by one: marking and clearing reach the history and the audit log like any change
            # (`_history_user`: simple-history's attribute, unknown to the stubs).
            finding.overdue_since = finding.due_on if overdue else None
            finding._history_user = None  # type: ignore[attr-defined]
            finding.save(update_fields=["overdue_since"])
            marked += overdue
            # The follower is told, once for each due date it misses; not when the rectification is
            # already submitted for closure: it waits for staff, not for the follower.
            if overdue and finding.status != Finding.Status.SUBMITTED:
                follower = User.objects.filter(pk=finding.owner_id, is_active=True)
                key = f"finding-{finding.pk}-overdue-{finding.due_on}"
                _notify(finding, users=follower, message=FINDING_OVERDUE_NOTICE, acting_user=None, key=key)
    return marked


def _round_record(model: type[RecordT], *, round_: InspectionRound, acting_user: User, **fields: Any) -> RecordT:
    require(runs_inspections(acting_user, round_.district_id))
    record = model(round=round_, recorded_by=acting_user, **fields)
    require_villages_of(round_.district_id, [fields["village"].pk])
    audited_save(record, acting_user)
    return record


@transaction.atomic
def lead_record(*, round_: InspectionRound, acting_user: User, **fields: Any) -> ProblemLead:
    """A problem lead (问题线索) handed on: to whom, when, and later its outcome."""
    return _round_record(ProblemLead, round_=round_, acting_user=acting_user, **fields)


@transaction.atomic
def person_record(*, round_: InspectionRound, acting_user: User, **fields: Any) -> PersonHandled:
    """A person handled (处理人员), with the handling and whether a case was filed (立案)."""
    return _round_record(PersonHandled, round_=round_, acting_user=acting_user, **fields)


@transaction.atomic
def finding_cite(*, finding: Finding, round_: Round, indicator: Indicator, points: Decimal, acting_user: User) -> Score:
    """Cite a finding as the evidence of an index deduction (a score of the village in a draft round)."""
    require(verifies(acting_user, finding))
    return deduction_cite(
        round_=round_,
        village=finding.village,
        indicator=indicator,
        points=points,
        reason=f"巡察发现问题：{finding.description}",
        evidence=f"巡察问题#{finding.pk}",
        acting_user=acting_user,
        finding_id=finding.pk,
    )
