"""Writes of petitions: intake with the identity encrypted, the flow with its legal clocks, extensions
approved by a leader, repeats, 挂牌 and 销号, the daily overdue job with its notices, and the one
audited read of a petitioner's identity.

Only the petition office (`petition_officer`) registers and handles cases and reads identities; a leader
approves extensions; staff or a leader list hard cases. Each acts on the cases of the own county only: a
case belongs to the county of the office that registered it, and its townships, transfer, repeats and
responsible leader are that county's. Every step is a PetitionStep (who, when,
opinion) and every change is in the history, which never holds the ciphertexts. Every step after the
registration is a versioned save: given the `expected_version` its form was filled in against, it is
refused (code "stale") before anything else is checked when someone else acted on the case meanwhile.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import PETITION_CASE_ROLES, Role
from accounts.services import notice_text, notices_send
from audit.models import EventType
from audit.services import record_event
from core import crypto
from core.services import audited_save, require
from core.states import allowed_steps, take
from core.uploads import store_evidence
from scoring.models import Indicator, Round, Score
from scoring.services import deduction_cite
from villages.models import District, Township

from .calendar import add_working_days
from .models import (
    ListedCase,
    ListedCaseEvidence,
    Petition,
    PetitionClass,
    PetitionRules,
    PetitionStep,
    handles_case,
    handles_cases,
    of_its_county,
)

CASE_OVERDUE_NOTICE = gettext_lazy("Petition %(case)s is past its time limit (%(due)s).")
CASE_LISTED_NOTICE = gettext_lazy("Petition %(case)s is listed, with you as the responsible leader, due %(deadline)s.")
STALE_CASE = gettext_lazy(
    "Someone else acted on this case meanwhile; nothing of yours was saved. Check the case as it is now and "
    "what you typed, then save again if it still applies."
)


def _save_with_step(petition: Petition, acting_user: User, action: str, opinion: str = "") -> Petition:
    audited_save(petition, acting_user)
    PetitionStep.objects.create(petition=petition, action=action, actor=acting_user, opinion=opinion)
    return petition


def _locked(petition: Petition, expected_version: int | None) -> Petition:
    """The case, row-locked, its version moved on for the step's save. Refused when the step was filled in
    against an older version (None: a caller with no form, such as the demo)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if expected_version is not None and petition.version != expected_version:
        raise ValidationError(STALE_CASE, code="stale")
    petition.version += 1
    return petition


def _context(petition: Petition, field: str) -> str:
    return f"petition:{petition.uid}:{field}"


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str


def can_see_cases(user: User) -> bool:
    """The cases themselves (without identities): the petition office, staff and leaders, each of the own
    county's (selectors.petitions_for); secretaries see only their township's figures, the city's roles
    their counties'."""
    return user.has_role(*PETITION_CASE_ROLES)


def sees_case(user: User, petition: Petition) -> bool:
    return can_see_cases(user) and of_its_county(user, petition)


def takes_listed_cases(user: User) -> bool:
    """包案: leaders take listed cases, have a board of them and approve extensions."""
    return user.has_role(Role.COMMISSION_LEADER)


def cites(user: User, petition: Petition) -> bool:
    """The county's staff cite its substantiated cases as the evidence of an index deduction."""
    return user.has_role(Role.COMMISSION_STAFF) and of_its_county(user, petition)


TOWNSHIP_OF_ANOTHER_COUNTY = gettext_lazy("%(township)s is not a township of %(county)s.")
LEADER_OF_ANOTHER_COUNTY = gettext_lazy("The responsible leader must be a commission leader of %(county)s.")


def _require_township_of(petition: Petition, township: Township, field: str) -> None:
    """A case's townships (complained about, transferred to) are of its own county."""
    if township.district_id != petition.district_id:
        message = TOWNSHIP_OF_ANOTHER_COUNTY % {"township": township.name, "county": petition.district.name}
        raise ValidationError({field: message}, code="county")


HANDLED = (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)


def allowed_actions(user: User, petition: Petition) -> frozenset[str]:
    """What the case's page offers the user now: the case's steps (Petition's transitions) and the acts
    beside them, by the rules above and the case's state."""
    actions = set(allowed_steps(user, petition))
    if handles_case(user, petition) and petition.status in HANDLED and petition.named and not petition.notified_on:
        actions.add("notify")
    if extends(user, petition) and petition.status in HANDLED and not petition.extension_days:
        actions.add("extend")
    if sees_case(user, petition) and not hasattr(petition, "listing"):
        actions.add("list")
    if cites(user, petition) and petition.substantiated and petition.village_id:
        actions.add("cite")
    return frozenset(actions)


def extends(user: User, petition: Petition) -> bool:
    """延期 is approved by a leader of the case's county."""
    return takes_listed_cases(user) and of_its_county(user, petition)


@transaction.atomic
def petition_register(*, acting_user: User, identity: str = "", contact: str = "", **fields: Any) -> Petition:
    """登记 in the office's county, of one of its townships (and that township's villages): the identity and
    contact are encrypted before anything is written; the accept-by date is the 5th working day after
    receipt (data)."""
    require(handles_cases(acting_user) and acting_user.district_id is not None)
    petition = Petition(registered_by=acting_user, handler=acting_user, district=acting_user.district, **fields)
    _require_township_of(petition, petition.township, "township")
    if petition.village is not None and petition.village.township_id != petition.township_id:
        raise ValidationError({"village": _("This village is not in the chosen township.")})
    if petition.named and not identity.strip():
        raise ValidationError(_("A named petition needs the petitioner's name."))
    petition.identity_ciphertext = crypto.encrypt(identity.strip(), context=_context(petition, "identity"))
    petition.contact_ciphertext = crypto.encrypt(contact.strip(), context=_context(petition, "contact"))
    petition.identity_key = crypto.identity_hash(identity)
    petition.accept_due = add_working_days(petition.received_on, PetitionRules.current().accept_working_days)
    return _save_with_step(petition, acting_user, "register")


@transaction.atomic
def identity_read(*, petition: Petition, acting_user: User, request: HttpRequest | None = None) -> Identity:
    """The petitioner's identity, for the case's own petition office only; every read is an audit row."""
    require(handles_case(acting_user, petition))
    record_event(
        EventType.DOWNLOADED,
        actor=acting_user,
        request=request,
        target=petition,
        data={"what": "petitioner identity"},
    )
    return Identity(
        crypto.decrypt(petition.identity_ciphertext, context=_context(petition, "identity")),
        crypto.decrypt(petition.contact_ciphertext, context=_context(petition, "contact")),
    )


def repeat_candidates(petition: Petition) -> QuerySet[Petition]:
    """Earlier cases of the same county that may be the same (重信重访): the same petitioner (by keyed hash,
    nothing decrypted), or the same person complained about in the same township, or the same village and
    subject. Another county's cases are never offered: who petitioned there is that county's to know."""
    same = Q(subject_name=petition.subject_name, township=petition.township)
    if petition.identity_key:
        same |= Q(identity_key=petition.identity_key)
    if petition.village_id:
        same |= Q(village=petition.village_id, category=petition.category)
    return (
        Petition.objects.filter(same, district=petition.district_id, received_on__lte=petition.received_on)
        .exclude(pk=petition.pk)
        .exclude(pk__in=petition.repeats.values("pk"))
        .select_related("township", "village")
        .order_by("-received_on")[:10]
    )


@transaction.atomic
def repeat_link(
    *, petition: Petition, earlier: Petition, acting_user: User, expected_version: int | None = None
) -> Petition:
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    if (
        earlier.pk == petition.pk
        or earlier.received_on > petition.received_on
        or not of_its_county(acting_user, earlier)
    ):
        raise ValidationError(_("A repeat is linked to an earlier case."))
    petition.repeat_of = earlier
    return _save_with_step(petition, acting_user, "link_repeat", _("repeat of case %(id)s") % {"id": earlier.pk})


@transaction.atomic
def petition_accept(
    *,
    petition: Petition,
    acting_user: User,
    petition_class: PetitionClass,
    disposal: str,
    opinion: str,
    on: date,
    expected_version: int | None = None,
) -> Petition:
    """受理, classified by the 五字 method with its disposal; the clocks to tell a named petitioner and
    to conclude start, and so does the class's target."""
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    rules = PetitionRules.current()
    take(petition.accept)
    petition.petition_class, petition.disposal, petition.accepted_on = petition_class, disposal, on
    petition.conclude_due = on + timedelta(days=rules.conclude_days)
    # Calendar days, like the legal 60 days to conclude that three of the five targets equal (the seed and
    # petitions.standard give bare days); an internal target, so an extension does not move it.
    petition.target_due = on + timedelta(days=petition_class.target_days)
    if petition.named:
        petition.notify_due = add_working_days(on, rules.notify_working_days)
    return _save_with_step(petition, acting_user, "accept", opinion)


@transaction.atomic
def petition_transfer(
    *,
    petition: Petition,
    acting_user: User,
    to_unit: str,
    to_township: Township | None,
    opinion: str,
    on: date,
    expected_version: int | None = None,
) -> Petition:
    """转办, to a unit and maybe one of the case's county's townships. A case about a township official is
    never transferred to that township."""
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    if to_township is not None:
        _require_township_of(petition, to_township, "to_township")
    if to_township is not None and petition.subject_is_township_official and to_township.pk == petition.township_id:
        raise ValidationError(
            _("The person complained about is an official of %(township)s: the case cannot go to that township.")
            % {"township": to_township.name},
            code="conflict_of_interest",
        )
    take(petition.transfer)
    petition.transferred_to, petition.transferred_township, petition.accepted_on = to_unit, to_township, on
    return _save_with_step(petition, acting_user, "transfer", opinion)


@transaction.atomic
def petitioner_notified(
    *, petition: Petition, acting_user: User, on: date, expected_version: int | None = None
) -> Petition:
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    petition.notified_on = on
    return _save_with_step(petition, acting_user, "notify")


@transaction.atomic
def petition_start(
    *, petition: Petition, acting_user: User, opinion: str = "", expected_version: int | None = None
) -> Petition:
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    take(petition.start)
    return _save_with_step(petition, acting_user, "start", opinion)


@transaction.atomic
def extension_approve(
    *, petition: Petition, acting_user: User, days: int, reason: str, expected_version: int | None = None
) -> Petition:
    """延期: once, by up to 30 days (data), approved by a commission leader with a reason."""
    require(extends(acting_user, petition))
    petition = _locked(petition, expected_version)
    rules = PetitionRules.current()
    if petition.status not in (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS):
        raise ValidationError(_("Only a case being handled can be extended."))
    if petition.extension_days:
        raise ValidationError(_("A case is extended once only."), code="twice")
    if not 0 < days <= rules.extension_max_days:
        raise ValidationError(
            _("An extension is 1 to %(max)s days.") % {"max": rules.extension_max_days}, code="too_long"
        )
    if not reason.strip():
        raise ValidationError(_("An extension needs its reason."))
    petition.extension_days, petition.extension_reason, petition.extension_approved_by = days, reason, acting_user
    # A case being handled has its conclude-by date (set on acceptance).
    conclude_due = cast(date, petition.conclude_due) + timedelta(days=days)
    petition.conclude_due = conclude_due
    if petition.overdue_since and conclude_due >= timezone.localdate():
        petition.overdue_since = None
    return _save_with_step(petition, acting_user, "extend", reason)


@transaction.atomic
def petition_conclude(
    *,
    petition: Petition,
    acting_user: User,
    conclusion: str,
    result: str,
    on: date,
    expected_version: int | None = None,
) -> Petition:
    """办结 with the conclusion; the result is fed back within 15 working days (data)."""
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    if not result.strip():
        raise ValidationError(_("Write the handling result."))
    take(petition.conclude)
    petition.conclusion, petition.result, petition.concluded_on = conclusion, result, on
    petition.feedback_due = add_working_days(on, PetitionRules.current().feedback_working_days)
    return _save_with_step(petition, acting_user, "conclude", result)


@transaction.atomic
def petition_feed_back(
    *, petition: Petition, acting_user: User, on: date, opinion: str = "", expected_version: int | None = None
) -> Petition:
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    take(petition.feed_back)
    petition.fed_back_on = on
    petition.overdue_since = None
    return _save_with_step(petition, acting_user, "feed_back", opinion)


@transaction.atomic
def petition_archive(*, petition: Petition, acting_user: User, expected_version: int | None = None) -> Petition:
    require(handles_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    take(petition.archive)
    petition.overdue_since = None
    return _save_with_step(petition, acting_user, "archive")


@transaction.atomic
def overdue_mark(today: date | None = None, *, district: District | None = None) -> int:
    """Daily: cases past their next legal deadline are marked overdue and their responsible person (of the
    case's county) gets a notice (once). Every county's cases, or only `district`'s. Returns how many were
    newly marked. Nothing of the petitioner leaves this function."""
    today = today or timezone.localdate()
    marked = 0
    cases = Petition.objects.filter(district=district) if district else Petition.objects.all()
    open_cases = cases.exclude(
        status__in=[Petition.Status.FED_BACK, Petition.Status.ARCHIVED, Petition.Status.TRANSFERRED]
    )
    for petition in open_cases.select_related("handler").select_for_update(of=("self",)):
        due = petition.next_legal_due
        if due is None or due >= today:
            continue
        if petition.overdue_since is None:
            # A flag of the daily job: audited like any change, but no new version (open forms stay valid).
            petition.overdue_since = due
            petition._history_user = None  # type: ignore[attr-defined]  # simple-history's attribute
            petition.save(update_fields=["overdue_since"])
            marked += 1
        handler = petition.handler
        if handler is not None and handler.is_active:
            notices_send(
                users=[handler],
                text=notice_text(CASE_OVERDUE_NOTICE, case=petition.pk, due=due),
                link=reverse("petitions:petition", args=[petition.pk]),
                key=f"petition-{petition.pk}-overdue-{due}",
            )
    return marked


@transaction.atomic
def case_list(
    *,
    petition: Petition,
    acting_user: User,
    leader: User,
    unit: str,
    measures: str,
    deadline: date,
    on: date,
    expected_version: int | None = None,
) -> ListedCase:
    """挂牌: a hard repeat case gets a responsible leader (包案领导) of its county, unit, measures and
    deadline."""
    require(sees_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    if not leader.has_role(Role.COMMISSION_LEADER):
        raise ValidationError(_("The responsible leader must be a commission leader."))
    if not of_its_county(leader, petition):
        raise ValidationError(LEADER_OF_ANOTHER_COUNTY % {"county": petition.district.name}, code="county")
    if hasattr(petition, "listing"):
        raise ValidationError(_("This case is listed already."))
    listing = ListedCase(
        petition=petition,
        leader=leader,
        unit=unit,
        measures=measures,
        deadline=deadline,
        listed_on=on,
        listed_by=acting_user,
    )
    audited_save(listing, acting_user)
    _save_with_step(petition, acting_user, "list", measures)
    notices_send(
        users=[leader],
        text=notice_text(CASE_LISTED_NOTICE, case=petition.pk, deadline=deadline),
        link=reverse("petitions:petition", args=[petition.pk]),
        key=f"petition-{petition.pk}-listed",
    )
    return listing


@transaction.atomic
def case_strike_off(
    *,
    petition: Petition,
    acting_user: User,
    resolution: str,
    verification: str,
    uploads: Iterable["UploadedFile[bytes]"] = (),
    on: date,
    expected_version: int | None = None,
) -> ListedCase:
    """销号 of a listed case: only with the resolution, evidence and the verification."""
    require(sees_case(acting_user, petition))
    petition = _locked(petition, expected_version)
    listing = ListedCase.objects.select_for_update().filter(petition=petition).first()
    if listing is None:
        raise ValidationError(_("This case is not listed, so it cannot be struck off."))
    if listing.struck_off_on:
        raise ValidationError(_("This case is struck off already."))
    for upload in uploads:
        store_evidence(ListedCaseEvidence(listing=listing), upload, uploaded_by=acting_user)
    if not listing.evidence.exists():
        raise ValidationError(_("Striking off needs evidence of the resolution."), code="evidence")
    if not resolution.strip() or not verification.strip():
        raise ValidationError(_("Striking off needs the resolution and how it was verified."))
    listing.resolution, listing.verification = resolution, verification
    listing.struck_off_on, listing.struck_off_by = on, acting_user
    audited_save(listing, acting_user)
    _save_with_step(petition, acting_user, "strike_off", resolution)
    return listing


CONCLUSION_WORDS: dict[str, str] = {Petition.Conclusion.TRUE: "属实", Petition.Conclusion.PARTLY: "部分属实"}
CATEGORY_WORDS: dict[str, str] = {
    Petition.Category.SANZI: "三资管理",
    Petition.Category.PROJECT: "工程项目",
    Petition.Category.SUBSIDY: "惠农资金",
    Petition.Category.OPENNESS: "村务公开",
    Petition.Category.CONDUCT: "作风",
    Petition.Category.ELECTION: "换届选举",
    Petition.Category.OTHER: "其他",
}


@transaction.atomic
def petition_cite(
    *, petition: Petition, round_: Round, indicator: Indicator, points: Decimal, acting_user: User
) -> Score:
    """Cite a substantiated petition as the evidence of an index deduction of its village. The score's
    reason names the subject and the conclusion, never the petitioner or the summary."""
    require(cites(acting_user, petition))
    village = petition.village if petition.substantiated else None
    if village is None:
        raise ValidationError(_("Only a substantiated petition about a village can be cited."))
    return deduction_cite(
        round_=round_,
        village=village,
        indicator=indicator,
        points=points,
        reason=f"涉纪信访经查{CONCLUSION_WORDS[petition.conclusion]}：{CATEGORY_WORDS[petition.category]}问题",
        evidence=f"信访件#{petition.pk}",
        acting_user=acting_user,
        petition_id=petition.pk,
    )
