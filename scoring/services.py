"""Writes of the integrity index: scores, results (totals, grades, ranks) and the round's workflow.

Every write runs in a transaction with the acting user and leaves an audit row; results are computed
here and only here.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Aggregate, Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from core.copying import copy_of
from core.publication import bump_public_generation
from core.services import audited_save, is_own_township_secretary, require, require_role
from core.states import allowed_steps, require_step, take
from villages.models import District, Township, Village

from .models import (
    BonusScore,
    Category,
    Diagnosis,
    Grade,
    HelpVisit,
    Indicator,
    Pairing,
    Period,
    Rectification,
    Round,
    Scheme,
    Score,
    VetoEvent,
    VillageResult,
    of_own_county,
)
from .selectors import results_fingerprint, round_village_queryset, round_villages
from .signals import cadre_sanctions

TWO_PLACES = Decimal("0.01")

STALE_SCORE = gettext_lazy("Someone else changed this score meanwhile (now %(points)s). Check it and save again.")
ROUND_NOT_EDITABLE = gettext_lazy("Round %(round)s is %(status)s: its scores can no longer change.")
DEDUCTION_NEEDS_REASON = gettext_lazy("A deduction needs a reason.")
DEDUCTION_REASON_UNCHANGED = gettext_lazy(
    "The deduction changed: write the reason for the new amount, not the reason of the old one."
)
STALE_SCORE_SAVED_BY = gettext_lazy("Saved by %(user)s at %(time)s, reason: %(reason)s.")
STALE_SCORE_NOT_SAVED = gettext_lazy("Your entry (%(points)s, %(reason)s) was not saved.")
DEDUCTION_EXISTS = gettext_lazy(
    "%(indicator)s already has a deduction (%(points)s points: %(reason)s). Change or reset it in the score grid "
    "before citing another record for it."
)
RETURN_NEEDS_REASON = gettext_lazy("Returning a round needs a reason: staff read it on the round's page.")
# The notice each move of a round sends to whoever must act next (site language, see notice_text).
ROUND_NOTICES = {
    Round.Status.SUBMITTED: gettext_lazy("%(by)s submitted the %(period)s round (revision %(revision)s) for approval."),
    Round.Status.DRAFT: gettext_lazy("%(by)s returned the %(period)s round (revision %(revision)s): %(reason)s"),
    Round.Status.APPROVED: gettext_lazy(
        "%(by)s approved the %(period)s round (revision %(revision)s); it can be published."
    ),
    Round.Status.PUBLISHED: gettext_lazy(
        "%(by)s published the %(period)s round (revision %(revision)s): its follow-up can start."
    ),
}
RESULTS_CHANGED = gettext_lazy(
    "Nothing was published: the results have changed since the summary was shown (a sanction recorded "
    "since, or another tab). Check the summary again, then confirm."
)
ABOVE_MAXIMUM = gettext_lazy("%(points)s is above the maximum of %(max)s for %(indicator)s.")


def grade_for(total: Decimal, scheme: Scheme, *, vetoed: bool = False) -> str:
    """A ≥ grade_a_min, B ≥ grade_b_min, otherwise C, on the unrounded total; a veto caps at C."""
    if vetoed or total < scheme.grade_b_min:
        return Grade.C
    return Grade.A if total >= scheme.grade_a_min else Grade.B


def competition_ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """Standard competition ranking, highest first: 1, 2, 2, 4."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[int, int] = {}
    previous, rank = None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def _per_village(queryset: QuerySet[Score] | QuerySet[BonusScore], aggregate: Aggregate) -> dict[int, Any]:
    """village id → the aggregate (its type: the caller's annotation)."""
    return dict(queryset.values("village").annotate(value=aggregate).values_list("village", "value"))


def villages_lacking_scores(round_: Round) -> list[Village]:
    indicator_count = round_.period.scheme.indicators.count()
    counts: dict[int, int] = _per_village(Score.objects.filter(round=round_), Count("id"))
    return [village for village in round_villages(round_) if counts.get(village.pk, 0) < indicator_count]


@transaction.atomic
def round_compute_results(round_: Round) -> list[VillageResult]:
    """Totals, grades and ranks of every village of the round, stored with it (replacing earlier ones)."""
    scheme = round_.period.scheme
    base: dict[int, Decimal] = _per_village(Score.objects.filter(round=round_), Sum("points"))
    bonus: dict[int, Decimal] = _per_village(BonusScore.objects.filter(round=round_), Sum("points"))
    vetoes: dict[int, list[str]] = defaultdict(list)
    for village_id, item_name, reason in VetoEvent.objects.filter(round=round_).values_list(
        "village", "item__name", "reason"
    ):
        vetoes[village_id].append(f"{item_name}：{reason}")
    for item in scheme.veto_items.filter(from_sanctions=True):
        for village_id, sanctions in cadre_sanctions(*round_.period.date_range()).items():
            vetoes[village_id] += [f"{item.name}：{sanction}" for sanction in sanctions]
    villages = round_villages(round_)
    totals: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    for village in villages:
        base_points = base.get(village.pk) or Decimal("0")
        bonus_points = min(bonus.get(village.pk) or Decimal("0"), scheme.bonus_cap)
        totals[village.pk] = (base_points, bonus_points, min(base_points + bonus_points, 100 + scheme.bonus_cap))
    by_township: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    by_district: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    for village in villages:
        by_township[village.township_id][village.pk] = totals[village.pk][2]
        by_district[village.township.district_id][village.pk] = totals[village.pk][2]
    township_ranks = {pk: rank for group in by_township.values() for pk, rank in competition_ranks(group).items()}
    district_ranks = {pk: rank for group in by_district.values() for pk, rank in competition_ranks(group).items()}
    results = []
    for village in villages:
        base_points, bonus_points, total = totals[village.pk]
        vetoed = village.pk in vetoes
        results.append(
            VillageResult(
                round=round_,
                village=village,
                base_points=base_points,
                bonus_points=bonus_points,
                total=total,
                grade=grade_for(total, scheme, vetoed=vetoed),
                vetoed=vetoed,
                veto_reason="；".join(vetoes.get(village.pk, [])),
                township_rank=township_ranks[village.pk],
                district_rank=district_ranks[village.pk],
            )
        )
    VillageResult.objects.filter(round=round_).delete()
    return VillageResult.objects.bulk_create(results, batch_size=1000)


VILLAGE_OF_ANOTHER_COUNTY = gettext_lazy("%(village)s is not a village of the round's county.")


def _require_village_of_the_round(round_: Round, village: Village) -> None:
    """A round scores its own county's villages only."""
    if village.township.district_id != round_.period.district_id:
        raise ValidationError(VILLAGE_OF_ANOTHER_COUNTY % {"village": village}, code="other_county")


def _require_editable(round_: Round) -> None:
    if not round_.is_editable:
        raise ValidationError(ROUND_NOT_EDITABLE % {"round": round_, "status": round_.get_status_display()})


class Keep(Enum):
    KEEP = "keep"


# A field of ScoreInput its caller did not send: the score keeps its own (a new score takes the default).
KEEP = Keep.KEEP


@dataclass(frozen=True)
class ScoreInput:
    """What a caller writes into one score: points and reason always, the rest only when it knows them."""

    points: Decimal
    reason: str = ""
    evidence: str | Keep = KEEP
    source: str | Keep = KEEP
    scoring_unit_id: int | Keep | None = KEEP
    finding_id: int | Keep | None = KEEP
    petition_id: int | Keep | None = KEEP

    def sent(self) -> dict[str, Decimal | str | int | None]:
        """The score's fields this input sets."""
        return {name: value for name, value in vars(self).items() if value is not KEEP}


def clean_score_input(indicator: Indicator, data: ScoreInput, current: Score | None = None) -> ScoreInput:
    """The rules of every write of a score (grid, citation, import), so that the reason shown is always
    the reason of the current value. `current` is the score as saved, None for a new one."""
    points = data.points.quantize(TWO_PLACES)
    if points < 0:
        raise ValidationError({"points": _("Points cannot be negative.")})
    if points > indicator.max_points:
        raise ValidationError(
            {"points": ABOVE_MAXIMUM % {"points": points, "max": indicator.max_points, "indicator": indicator.code}}
        )
    if points == indicator.max_points:
        # A full mark rests on nothing: reason, evidence and citations go (the history keeps them).
        return replace(data, points=points, reason="", evidence="", finding_id=None, petition_id=None)
    reason = data.reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(DEDUCTION_NEEDS_REASON, code="reason_needed")})
    # A cited record (sent now, or kept from the score) stays the reason whatever the amount; a typed
    # reason was written for the old amount.
    cites = any(
        (getattr(current, name, None) if getattr(data, name) is KEEP else getattr(data, name)) is not None
        for name in ("finding_id", "petition_id")
    )
    if current is not None and not cites and points != current.points and reason == current.reason.strip():
        raise ValidationError({"reason": ValidationError(DEDUCTION_REASON_UNCHANGED, code="reason_unchanged")})
    evidence = data.evidence.strip() if isinstance(data.evidence, str) else data.evidence
    return replace(data, points=points, reason=reason, evidence=evidence)


def score_is_stale(current: Score | None, expected_version: int | None) -> bool:
    """Whether the editor saw another version than the one saved (0: no score yet; None: not checked)."""
    return expected_version is not None and (current.version if current else 0) != expected_version


def score_conflict(current: Score | None, *, points: Decimal | str, reason: str) -> ValidationError:
    """What an editor who saw an older version is told: the value saved now, who saved it and when, and
    what the editor typed, which was not saved."""
    parts = [STALE_SCORE % {"points": current.points if current else "—"}]
    if current is not None:
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
        who = current.updated_by or "—"
        parts.append(STALE_SCORE_SAVED_BY % {"user": who, "time": when, "reason": current.reason or "—"})
    parts.append(STALE_SCORE_NOT_SAVED % {"points": points, "reason": reason or "—"})
    return ValidationError(" ".join(str(part) for part in parts), code="stale")


def current_score(round_: Round, village: Village, indicator: Indicator) -> Score | None:
    """The score as saved now, with who saved it (for the conflict message)."""
    return Score.objects.select_related("updated_by").filter(round=round_, village=village, indicator=indicator).first()


@transaction.atomic
def score_save(
    *,
    round_: Round,
    village: Village,
    indicator: Indicator,
    data: ScoreInput,
    expected_version: int | None,
    acting_user: User,
) -> Score:
    """Record one indicator's points, changing only the fields `data` sends. `expected_version` is the
    version the editor saw (0 for no score yet, None when the caller does not check); if someone saved in
    between, nothing is written and the editor sees the conflict before any other error."""
    require_role(acting_user, Role.COMMISSION_STAFF)
    round_ = Round.objects.select_for_update().select_related("period").get(pk=round_.pk)
    require(of_own_county(round_, acting_user))
    _require_village_of_the_round(round_, village)
    _require_editable(round_)
    current = current_score(round_, village, indicator)
    if score_is_stale(current, expected_version):
        raise score_conflict(current, points=data.points, reason=data.reason)
    data = clean_score_input(indicator, data, current)
    if current is None:
        fields = {"scoring_unit_id": village.township_id, **data.sent()}  # by default the own township scores
        score = Score(round=round_, village=village, indicator=indicator, updated_by=acting_user, **fields)
        return audited_save(score, acting_user, reason=data.reason or _("score entered"), clean=False)
    updated = Score.objects.filter(pk=current.pk, version=current.version).update(version=current.version + 1)
    if updated != 1:
        raise score_conflict(current_score(round_, village, indicator), points=data.points, reason=data.reason)
    current.refresh_from_db(fields=["version"])
    for name, value in data.sent().items():
        setattr(current, name, value)
    current.updated_by = acting_user
    return audited_save(current, acting_user, reason=data.reason or _("score changed"), clean=False)


class Citation(TypedDict, total=False):
    """The record a cited deduction rests on."""

    finding_id: int | None
    petition_id: int | None


@transaction.atomic
def deduction_cite(
    *,
    round_: Round,
    village: Village,
    indicator: Indicator,
    points: Decimal,
    reason: str,
    evidence: str,
    acting_user: User,
    **source: Unpack[Citation],
) -> Score:
    """A deduction resting on a record the system holds: `source` is finding_id= or petition_id=. A cell
    holding another deduction is never replaced without a word: the round is locked before it is read, as
    score_save does, so a grid save cannot slip in between."""
    citation: Citation = {"finding_id": None, "petition_id": None, **source}
    require(of_own_county(round_, acting_user))
    Round.objects.select_for_update().get(pk=round_.pk)
    current = current_score(round_, village, indicator)
    if current is not None and current.points < indicator.max_points:
        cites_this = any(value is not None and getattr(current, name) == value for name, value in source.items())
        if not cites_this:  # a deduction typed or cited before is never replaced without a word
            raise ValidationError(
                DEDUCTION_EXISTS % {"indicator": indicator.code, "points": current.points, "reason": current.reason},
                code="deduction_exists",
            )
    data = ScoreInput(points=points, reason=reason, evidence=evidence, **citation)
    return score_save(
        round_=round_, village=village, indicator=indicator, data=data, expected_version=None, acting_user=acting_user
    )


@transaction.atomic
def period_get_or_create(*, code: str, scheme: Scheme, acting_user: User) -> Period:
    """The period of `code` (2025, 2025H1, 2025H2) of the staff member's own county, created with `scheme`
    (the county's own or the default) when the county does not have it yet."""
    require(can_create_round(acting_user))
    district_id = acting_user.county_id
    if district_id is None:  # can_create_round refused it already; said again for the types
        raise PermissionDenied
    period = Period.objects.filter(district_id=district_id, code=code).first()
    if period is None:
        year, half = Period.parts(code)
        period = Period(district_id=district_id, code=code, year=year, half=half, scheme=scheme)
        period = audited_save(period, acting_user)
    return period


def can_create_round(user: User) -> bool:
    """The staff of a county open its rounds (a staff member bound to no county opens none)."""
    return user.has_role(Role.COMMISSION_STAFF) and user.county_id is not None


@transaction.atomic
def round_create(*, period: Period, acting_user: User) -> Round:
    require(can_create_round(acting_user) and period.district_id == acting_user.county_id)
    if period.rounds.exists():
        raise ValidationError(_("Period %(period)s already has a round.") % {"period": period})
    return audited_save(Round(period=period), acting_user, clean=False)


def _transition(
    round_: Round,
    step: str,
    *,
    acting_user: User,
    stamp: str | None = None,
    reason: str = "",
    notify: QuerySet[User] | None = None,
    also: tuple[str, ...] = (),
) -> Round:
    """Take the round's `step` (a transition of Round); its history (and so the audit log and the round's
    page) keeps who, when and why, and the users of `notify` (who must act next) get a notice on commit.
    `also`: fields the caller set on the round that this step saves with it."""
    now = timezone.now()
    take(getattr(round_, step))
    to = round_.status
    fields = ["status", *also]
    if stamp:
        setattr(round_, f"{stamp}_at", now)
        setattr(round_, f"{stamp}_by", acting_user)
        fields += [f"{stamp}_at", f"{stamp}_by"]
    # Not audited_save: update_fields, and an empty reason is still set.
    round_._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    round_._change_reason = reason  # type: ignore[attr-defined]
    round_.save(update_fields=fields)
    if notify is not None:
        notices_send_on_commit(
            users=notify,
            message=ROUND_NOTICES[to],
            params={"by": acting_user, "period": round_.period, "revision": round_.revision, "reason": reason},
            link=reverse("scoring:round", args=[round_.pk]),
            key=f"round-{round_.pk}-{to}-{now:%Y%m%d%H%M%S%f}",
            acting_user=acting_user,
        )
    return round_


# The round page's actions, named as in its URLs, for the round's steps (Round's transitions).
ROUND_STEP_ACTIONS = {"submit": "submit", "return_to_staff": "return", "approve": "approve", "publish": "publish"}


def can_edit_scores(user: User, round_: Round) -> bool:
    """The county's staff enter and import the scores of its round in draft."""
    return user.has_role(Role.COMMISSION_STAFF) and of_own_county(round_, user) and round_.is_editable


def can_correct(user: User, round_: Round) -> bool:
    """The county's staff open a correction (a new revision) of its published round."""
    return user.has_role(Role.COMMISSION_STAFF) and of_own_county(round_, user) and round_.is_published


def round_actions(user: User, round_: Round) -> frozenset[str]:
    """What the user may do with the round now: its steps, "edit" its scores and "correct" it."""
    actions = {ROUND_STEP_ACTIONS[step] for step in allowed_steps(user, round_)}
    if can_edit_scores(user, round_):
        actions.add("edit")
    if can_correct(user, round_):
        actions.add("correct")
    return frozenset(actions)


def _locked(round_: Round, expected: str) -> Round:
    round_ = Round.objects.select_for_update().select_related("period__scheme", "period__district").get(pk=round_.pk)
    if round_.status != expected:
        raise ValidationError(
            _("Round %(round)s is %(status)s, not %(expected)s.")
            % {"round": round_, "status": round_.get_status_display(), "expected": Round.Status(expected).label}
        )
    return round_


@transaction.atomic
def round_submit(*, round_: Round, acting_user: User) -> Round:
    require_step(acting_user, round_.submit)
    round_ = _locked(round_, Round.Status.DRAFT)
    lacking = villages_lacking_scores(round_)
    if lacking:
        names = "、".join(village.name for village in lacking[:10])
        raise ValidationError(
            _("%(count)s villages still lack scores, among them %(names)s.") % {"count": len(lacking), "names": names},
            code="lacking_scores",
        )
    round_compute_results(round_)
    leaders = users_with_role(Role.COMMISSION_LEADER, district_id=round_.period.district_id)
    return _transition(round_, "submit", acting_user=acting_user, stamp="submitted", notify=leaders)


@transaction.atomic
def round_return(*, round_: Round, acting_user: User, reason: str) -> Round:
    """The leader sends a submitted round back to staff for changes."""
    require_step(acting_user, round_.return_to_staff)
    round_ = _locked(round_, Round.Status.SUBMITTED)
    if not reason.strip():
        raise ValidationError({"reason": RETURN_NEEDS_REASON}, code="reason_required")
    # The staff member who submitted it acts on the reason; every staff member when that one no longer
    # can (left, or another role now), so that a return is never read by nobody.
    staff = users_with_role(Role.COMMISSION_STAFF, district_id=round_.period.district_id)
    submitter = staff.filter(pk=round_.submitted_by_id)  # type: ignore[misc]  # None matches nobody
    notify = submitter if submitter.exists() else staff
    return _transition(round_, "return_to_staff", acting_user=acting_user, reason=reason.strip(), notify=notify)


@transaction.atomic
def round_approve(*, round_: Round, acting_user: User) -> Round:
    require_step(acting_user, round_.approve)
    round_ = _locked(round_, Round.Status.SUBMITTED)
    leaders = users_with_role(Role.COMMISSION_LEADER, district_id=round_.period.district_id)  # to publish it
    return _transition(round_, "approve", acting_user=acting_user, stamp="approved", notify=leaders)


def round_publish(*, round_: Round, acting_user: User, fingerprint: str | None = None) -> Round:
    """Publishing is atomic and freezes the round: its results are recomputed from the frozen scores.
    `fingerprint`: of the results the leader confirmed (the publication summary; None only for the demo and
    shell commands, which confirm nothing). If the recomputed results differ (a sanction recorded since, a
    summary read in a stale tab) nothing is published, and they are kept so that the summary shows them for
    a new confirmation."""
    with transaction.atomic():
        require_step(acting_user, round_.publish)
        round_ = _locked(round_, Round.Status.APPROVED)
        results = round_compute_results(round_)
        if fingerprint is None or results_fingerprint(results) == fingerprint:
            return _published(round_, acting_user)
    raise ValidationError(RESULTS_CHANGED, code="results_changed")


def _published(round_: Round, acting_user: User) -> Round:
    transaction.on_commit(bump_public_generation)
    # The follow-up and any correction are the county's staff's.
    staff = users_with_role(Role.COMMISSION_STAFF, district_id=round_.period.district_id)
    round_.publicity_ends_on = publicity_ends_on(timezone.localdate(), round_.period.scheme)
    round_ = _transition(
        round_, "publish", acting_user=acting_user, stamp="published", notify=staff, also=("publicity_ends_on",)
    )
    _tell_secretaries_the_follow_up_starts(round_, acting_user)
    return round_


def publicity_ends_on(published_on: date, scheme: Scheme) -> date:
    """公示截止日: the last day of the scheme's publicity period, the day of publication being the first."""
    return published_on + timedelta(days=scheme.publicity_days - 1)


PUBLISHED_FOR_SECRETARIES = gettext_lazy(
    "The %(period)s integrity index is published: diagnose your township's bottom three villages and set "
    "rectification goals for its C villages."
)


def _tell_secretaries_the_follow_up_starts(round_: Round, acting_user: User) -> None:
    """Each township's secretaries learn that the follow-up (问诊, 整改目标) is now theirs, with a link to
    their own township's follow-up page (they cannot open the round)."""
    township_codes = round_village_queryset(round_).order_by().values_list("township_id", "township__code").distinct()
    for township_id, code in township_codes:
        notices_send_on_commit(
            users=users_with_role(Role.TOWNSHIP_SECRETARY, township_id=township_id),
            message=PUBLISHED_FOR_SECRETARIES,
            params={"period": round_.period},
            link=f"{reverse('scoring:follow_up', args=[code])}?period={round_.period.code}",
            key=f"round-{round_.pk}-published-follow-up",
            acting_user=acting_user,
        )


# The fields a correction does not copy from the rows of the round it corrects (core.copying).
CORRECTION_COPY_EXCLUDES = {
    Score: {
        "round",  # the copy belongs to the correction
        "version",  # a new row starts at 1
        "updated_at",  # set on save
        "updated_by",  # the correction writes the copy: its author
    },
    BonusScore: {"round"},  # the copy belongs to the correction
    VetoEvent: {"round"},  # the copy belongs to the correction
}


@transaction.atomic
def round_correct(*, round_: Round, acting_user: User, reason: str) -> Round:
    """A correction after publication: a new draft revision with every score copied, kept beside the old."""
    require_role(acting_user, Role.COMMISSION_STAFF)
    round_ = _locked(round_, Round.Status.PUBLISHED)
    require(of_own_county(round_, acting_user))
    if not reason.strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    if Round.objects.filter(period=round_.period, revision__gt=round_.revision).exists():
        raise ValidationError(_("A later revision of this period already exists."))
    correction = Round(
        period=round_.period, revision=round_.revision + 1, corrects=round_, correction_reason=reason.strip()
    )
    # Its history row (and so the audit log) names who opened it, the round it corrects and why.
    audited_save(correction, acting_user, reason=reason.strip(), clean=False)
    _copy_rows(Score, round_, correction, acting_user=acting_user, reason=reason.strip(), updated_by=acting_user)
    _copy_rows(BonusScore, round_, correction, acting_user=acting_user, reason=reason.strip())
    _copy_rows(VetoEvent, round_, correction, acting_user=acting_user, reason=reason.strip())
    return correction


def _copy_rows(
    model: type[Score | BonusScore | VetoEvent],
    source: Round,
    target: Round,
    *,
    acting_user: User,
    reason: str,
    **changes: object,
) -> None:
    """In bulk, each copy with its first history row (so the correction's first edit of it has a before);
    the correction's own audit row says where the copies come from."""
    exclude = CORRECTION_COPY_EXCLUDES[model]
    copies = [copy_of(row, exclude=exclude, round=target, **changes) for row in model.objects.filter(round=source)]
    bulk_create_with_history(copies, model, batch_size=1000, default_user=acting_user, default_change_reason=reason)


# The fields the next version of a scheme does not copy (core.copying). Its county is copied: the next
# version of a county's scheme is the county's, of the default the default.
SCHEME_COPY_EXCLUDES = {
    "version",  # the next version of the name
    "based_on",  # the scheme copied
    "is_example",  # a commission's own version is no longer the shipped example
    "created_at",  # set on save
}
# A county's copy of the default (scheme_copy_for_county) is named for the county and starts its versions.
SCHEME_COUNTY_COPY_EXCLUDES = SCHEME_COPY_EXCLUDES | {"name", "district"}
# …nor of its categories, bonus and veto items, and indicators.
SCHEME_PART_COPY_EXCLUDES = {"scheme"}  # re-pointed to the new version
INDICATOR_COPY_EXCLUDES = {"scheme", "category"}  # re-pointed to the new version and its category


def can_copy_scheme(user: User, scheme: Scheme, into: District | None) -> bool:
    """The system administrator copies any scheme; a county's staff copy the default or their county's
    own scheme into their own county, never into the default or another county."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    own = user.county_id
    return (
        user.has_role(Role.COMMISSION_STAFF)
        and own is not None
        and scheme.district_id in (None, own)
        and into is not None
        and into.pk == own
    )


@transaction.atomic
def scheme_copy(*, scheme: Scheme, acting_user: User) -> Scheme:
    """The next version of a scheme, to be edited for a new period; the old one stays as it was. The
    copy belongs where the scheme does (a county's, or the default)."""
    require(can_copy_scheme(acting_user, scheme, scheme.district))  # staff: their county's own only
    latest = Scheme.objects.filter(name=scheme.name).latest("version")  # `scheme` at least
    copy = copy_of(scheme, exclude=SCHEME_COPY_EXCLUDES, version=latest.version + 1, based_on=scheme)
    return _scheme_with_parts(copy, scheme, acting_user)


@transaction.atomic
def scheme_copy_for_county(*, scheme: Scheme, district: District, acting_user: User) -> Scheme:
    """A county's own scheme (区县调整), copied from the default `scheme` with everything it holds, named
    for the county (“四清标准（黄岩区）”) and based on the default; the county then adjusts it (thresholds,
    indicators) before a period uses it. The default stays as it was for the other counties."""
    if scheme.district_id is not None:
        raise ValidationError(_("Only the default scheme is copied for a county."), code="not_default")
    require(can_copy_scheme(acting_user, scheme, district))
    name = f"{scheme.name}（{district.name}）"  # data, in the commission's own words whatever the page's language
    latest = Scheme.objects.filter(name=name).order_by("-version").first()
    copy = copy_of(
        scheme,
        exclude=SCHEME_COUNTY_COPY_EXCLUDES,
        name=name,
        district=district,
        version=latest.version + 1 if latest else 1,
        based_on=scheme,
    )
    return _scheme_with_parts(copy, scheme, acting_user)


def _scheme_with_parts(copy: Scheme, scheme: Scheme, acting_user: User) -> Scheme:
    """Save the copy (audited) and copy the scheme's categories, indicators, bonus and veto items into it."""
    audited_save(copy, acting_user, clean=False)
    categories: dict[int, Category] = {}
    for category in scheme.categories.all():
        categories[category.pk] = copy_of(category, exclude=SCHEME_PART_COPY_EXCLUDES, scheme=copy)
        audited_save(categories[category.pk], acting_user, clean=False)
    for indicator in scheme.indicators.all():
        category = categories[indicator.category_id]
        audited_save(
            copy_of(indicator, exclude=INDICATOR_COPY_EXCLUDES, scheme=copy, category=category),
            acting_user,
            clean=False,
        )
    for item in [*scheme.bonus_items.all(), *scheme.veto_items.all()]:
        audited_save(copy_of(item, exclude=SCHEME_PART_COPY_EXCLUDES, scheme=copy), acting_user, clean=False)
    return copy


def scheme_is_locked(scheme: Scheme) -> bool:
    """A scheme used by an approved or published round cannot change: past results depend on it."""
    return Round.objects.filter(
        period__scheme=scheme, status__in=[Round.Status.APPROVED, Round.Status.PUBLISHED]
    ).exists()


# --- Follow-up of a published round: 清廉问诊, 结对帮扶, C-village rectification ------------------------


def _county_staff(user: User, township: Township) -> bool:
    own = user.county_id
    return user.has_role(Role.COMMISSION_STAFF) and own is not None and own == township.district_id


def can_follow_up(user: User, township: Township) -> bool:
    """问诊, help visits and rectification goals: the county's staff in each of its townships, a secretary
    in the own township."""
    return _county_staff(user, township) or is_own_township_secretary(user, township.pk)


def can_confirm_pairing(user: User, township: Township) -> bool:
    """The county's staff confirm the partner village a C village of its township is paired with (结对)."""
    return _county_staff(user, township)


def _require_published(round_: Round) -> None:
    if round_.status != Round.Status.PUBLISHED:
        raise ValidationError(_("Follow-up starts once the round is published."))


@transaction.atomic
def diagnosis_record(*, round_: Round, village: Village, acting_user: User, **fields: object) -> Diagnosis:
    require(can_follow_up(acting_user, village.township))
    _require_published(round_)
    _require_village_of_the_round(round_, village)
    return audited_save(Diagnosis(round=round_, village=village, recorded_by=acting_user, **fields), acting_user)


@transaction.atomic
def pairing_confirm(*, round_: Round, helper: Village, helped: Village, acting_user: User) -> Pairing:
    """Staff confirm a top village as partner of a C village of the same township (结对帮扶)."""
    require(can_confirm_pairing(acting_user, helped.township))
    _require_published(round_)
    _require_village_of_the_round(round_, helped)
    grades = dict(
        VillageResult.objects.filter(round=round_, village__in=[helper, helped]).values_list("village", "grade")
    )
    if helper.township_id != helped.township_id:
        raise ValidationError(_("Partners come from the same township."))
    if grades.get(helped.pk) != Grade.C:
        raise ValidationError(_("Only a C village is helped by a partner."))
    if grades.get(helper.pk) not in (Grade.A, Grade.B):
        raise ValidationError(_("The partner must not be a C village itself."))
    return audited_save(Pairing(round=round_, helper=helper, helped=helped, confirmed_by=acting_user), acting_user)


@transaction.atomic
def help_visit_record(*, pairing: Pairing, acting_user: User, **fields: object) -> HelpVisit:
    require(can_follow_up(acting_user, pairing.helped.township))
    return audited_save(HelpVisit(pairing=pairing, recorded_by=acting_user, **fields), acting_user)


@transaction.atomic
def rectification_save(*, round_: Round, village: Village, acting_user: User, **fields: object) -> Rectification:
    """The goals and measures of a C village; saving again updates them (the history keeps each)."""
    require(can_follow_up(acting_user, village.township))
    _require_published(round_)
    _require_village_of_the_round(round_, village)
    if not VillageResult.objects.filter(round=round_, village=village, grade=Grade.C).exists():
        raise ValidationError(_("Rectification goals are set for C villages."))
    plan = Rectification.objects.filter(round=round_, village=village).first() or Rectification(
        round=round_, village=village
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.recorded_by = acting_user
    return audited_save(plan, acting_user)
