"""Writes of the integrity index: scores, results (totals, grades, ranks) and the round's workflow.

Every write runs in a transaction with the acting user and leaves an audit row; results are computed
here and only here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from inspections.sanctions import cadre_sanctions
from villages.models import Village

from .models import (
    BonusScore,
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
)
from .public_cache import bump_public_generation

TWO_PLACES = Decimal("0.01")

STALE_SCORE = gettext_lazy("Someone else changed this score meanwhile (now %(points)s). Check it and save again.")
ROUND_NOT_EDITABLE = gettext_lazy("Round %(round)s is %(status)s: its scores can no longer change.")
DEDUCTION_NEEDS_REASON = gettext_lazy("A deduction needs a reason.")
ABOVE_MAXIMUM = gettext_lazy("%(points)s is above the maximum of %(max)s for %(indicator)s.")


def grade_for(total: Decimal, scheme: Scheme, *, vetoed: bool = False) -> str:
    """A ≥ grade_a_min, B ≥ grade_b_min, otherwise C, on the unrounded total; a veto caps at C."""
    if vetoed or total < scheme.grade_b_min:
        return Grade.C
    return Grade.A if total >= scheme.grade_a_min else Grade.B


def competition_ranks(values: dict) -> dict:
    """Standard competition ranking, highest first: 1, 2, 2, 4."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def round_villages(round_: Round) -> list[Village]:
    """The villages a round covers: those active now (a merged village's history stays with old rounds)."""
    return list(Village.objects.filter(active=True).select_related("township__district").order_by("code"))


def _per_village(queryset, aggregate) -> dict:
    return dict(queryset.values("village").annotate(value=aggregate).values_list("village", "value"))


def villages_lacking_scores(round_: Round) -> list[Village]:
    indicator_count = round_.period.scheme.indicators.count()
    counts = _per_village(Score.objects.filter(round=round_), Count("id"))
    return [village for village in round_villages(round_) if counts.get(village.pk, 0) < indicator_count]


@transaction.atomic
def round_compute_results(round_: Round) -> list[VillageResult]:
    """Totals, grades and ranks of every village of the round, stored with it (replacing earlier ones)."""
    scheme = round_.period.scheme
    base = _per_village(Score.objects.filter(round=round_), Sum("points"))
    bonus = _per_village(BonusScore.objects.filter(round=round_), Sum("points"))
    vetoes: dict[int, list[str]] = defaultdict(list)
    for village_id, item_name, reason in VetoEvent.objects.filter(round=round_).values_list(
        "village", "item__name", "reason"
    ):
        vetoes[village_id].append(f"{item_name}：{reason}")
    for item in scheme.veto_items.filter(from_sanctions=True):
        for village_id, sanctions in cadre_sanctions(*round_.period.date_range()).items():
            vetoes[village_id] += [f"{item.name}：{sanction}" for sanction in sanctions]
    villages = round_villages(round_)
    totals = {}
    for village in villages:
        base_points = base.get(village.pk) or Decimal("0")
        bonus_points = min(bonus.get(village.pk) or Decimal("0"), scheme.bonus_cap)
        totals[village.pk] = (base_points, bonus_points, min(base_points + bonus_points, 100 + scheme.bonus_cap))
    by_township, by_district = defaultdict(dict), defaultdict(dict)
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


def _require(user, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied


def _require_editable(round_: Round) -> None:
    if not round_.is_editable:
        raise ValidationError(ROUND_NOT_EDITABLE % {"round": round_, "status": round_.get_status_display()})


@dataclass(frozen=True)
class ScoreInput:
    points: Decimal
    reason: str = ""
    evidence: str = ""
    source: str = Score.Source.TOWNSHIP_CHECK
    scoring_unit_id: int | None = None
    finding_id: int | None = None
    petition_id: int | None = None


def clean_score_input(indicator: Indicator, data: ScoreInput) -> ScoreInput:
    points = data.points.quantize(TWO_PLACES)
    if points < 0:
        raise ValidationError({"points": _("Points cannot be negative.")})
    if points > indicator.max_points:
        raise ValidationError(
            {"points": ABOVE_MAXIMUM % {"points": points, "max": indicator.max_points, "indicator": indicator.code}}
        )
    if points < indicator.max_points and not data.reason.strip():
        raise ValidationError({"reason": DEDUCTION_NEEDS_REASON})
    return ScoreInput(
        points,
        data.reason.strip(),
        data.evidence.strip(),
        data.source,
        data.scoring_unit_id,
        data.finding_id,
        data.petition_id,
    )


@transaction.atomic
def score_save(
    *,
    round_: Round,
    village: Village,
    indicator: Indicator,
    data: ScoreInput,
    expected_version: int | None,
    acting_user,
) -> Score:
    """Record one indicator's points. `expected_version` is the version the editor saw (None for a new
    score); if someone saved in between, nothing is written and the editor is told (optimistic lock)."""
    _require(acting_user, Role.COMMISSION_STAFF)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_editable(round_)
    data = clean_score_input(indicator, data)
    fields = {
        "points": data.points,
        "reason": data.reason,
        "evidence": data.evidence,
        "source": data.source,
        "scoring_unit_id": data.scoring_unit_id or village.township_id,
        "finding_id": data.finding_id,
        "petition_id": data.petition_id,
        "updated_by": acting_user,
    }
    current = Score.objects.filter(round=round_, village=village, indicator=indicator).first()
    if current is None:
        if expected_version not in (None, 0):
            raise ValidationError(STALE_SCORE % {"points": "—"}, code="stale")
        score = Score(round=round_, village=village, indicator=indicator, **fields)
        score._change_reason = data.reason or _("score entered")
        score._history_user = acting_user
        score.save()
        return score
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(STALE_SCORE % {"points": current.points}, code="stale")
    updated = Score.objects.filter(pk=current.pk, version=current.version).update(version=current.version + 1)
    if updated != 1:
        raise ValidationError(STALE_SCORE % {"points": current.points}, code="stale")
    current.refresh_from_db(fields=["version"])
    for name, value in fields.items():
        setattr(current, name, value)
    current._change_reason = data.reason or _("score changed")
    current._history_user = acting_user
    current.save()
    return current


def deduction_cite(
    *, round_: Round, village: Village, indicator: Indicator, points, reason: str, evidence: str, acting_user, **source
) -> Score:
    """A deduction resting on a record the system holds: `source` is finding_id= or petition_id=."""
    data = ScoreInput(points=points, reason=reason, evidence=evidence, **source)
    return score_save(
        round_=round_, village=village, indicator=indicator, data=data, expected_version=None, acting_user=acting_user
    )


@transaction.atomic
def round_create(*, period: Period, acting_user) -> Round:
    _require(acting_user, Role.COMMISSION_STAFF)
    if period.rounds.exists():
        raise ValidationError(_("Period %(period)s already has a round.") % {"period": period})
    round_ = Round.objects.create(period=period)
    record_event(EventType.CREATED, actor=acting_user, target=round_)
    return round_


def _transition(round_: Round, *, to: str, acting_user, stamp: str | None = None, data: dict | None = None) -> Round:
    before = round_.status
    round_.status = to
    fields = ["status"]
    if stamp:
        setattr(round_, f"{stamp}_at", timezone.now())
        setattr(round_, f"{stamp}_by", acting_user)
        fields += [f"{stamp}_at", f"{stamp}_by"]
    round_.save(update_fields=fields)
    record_event(
        EventType.UPDATED,
        actor=acting_user,
        target=round_,
        data={"changes": {"status": {"before": before, "after": to}}, **(data or {})},
    )
    return round_


def _locked(round_: Round, expected: str) -> Round:
    round_ = Round.objects.select_for_update().select_related("period__scheme").get(pk=round_.pk)
    if round_.status != expected:
        raise ValidationError(
            _("Round %(round)s is %(status)s, not %(expected)s.")
            % {"round": round_, "status": round_.get_status_display(), "expected": Round.Status(expected).label}
        )
    return round_


@transaction.atomic
def round_submit(*, round_: Round, acting_user) -> Round:
    _require(acting_user, Role.COMMISSION_STAFF)
    round_ = _locked(round_, Round.Status.DRAFT)
    lacking = villages_lacking_scores(round_)
    if lacking:
        names = "、".join(village.name for village in lacking[:10])
        raise ValidationError(
            _("%(count)s villages still lack scores, among them %(names)s.") % {"count": len(lacking), "names": names},
            code="lacking_scores",
        )
    round_compute_results(round_)
    return _transition(round_, to=Round.Status.SUBMITTED, acting_user=acting_user, stamp="submitted")


@transaction.atomic
def round_return(*, round_: Round, acting_user, reason: str) -> Round:
    """The leader sends a submitted round back to staff for changes."""
    _require(acting_user, Role.COMMISSION_LEADER)
    round_ = _locked(round_, Round.Status.SUBMITTED)
    return _transition(round_, to=Round.Status.DRAFT, acting_user=acting_user, data={"reason": reason})


@transaction.atomic
def round_approve(*, round_: Round, acting_user) -> Round:
    _require(acting_user, Role.COMMISSION_LEADER)
    round_ = _locked(round_, Round.Status.SUBMITTED)
    return _transition(round_, to=Round.Status.APPROVED, acting_user=acting_user, stamp="approved")


@transaction.atomic
def round_publish(*, round_: Round, acting_user) -> Round:
    """Publishing is atomic and freezes the round: its results are recomputed from the frozen scores."""
    _require(acting_user, Role.COMMISSION_LEADER)
    round_ = _locked(round_, Round.Status.APPROVED)
    round_compute_results(round_)
    transaction.on_commit(bump_public_generation)
    return _transition(round_, to=Round.Status.PUBLISHED, acting_user=acting_user, stamp="published")


@transaction.atomic
def round_correct(*, round_: Round, acting_user, reason: str) -> Round:
    """A correction after publication: a new draft revision with every score copied, kept beside the old."""
    _require(acting_user, Role.COMMISSION_STAFF)
    round_ = _locked(round_, Round.Status.PUBLISHED)
    if not reason.strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    if Round.objects.filter(period=round_.period, revision__gt=round_.revision).exists():
        raise ValidationError(_("A later revision of this period already exists."))
    correction = Round.objects.create(
        period=round_.period, revision=round_.revision + 1, corrects=round_, correction_reason=reason.strip()
    )
    _copy_rows(
        Score,
        round_,
        correction,
        ["village_id", "indicator_id", "points", "reason", "evidence", "source", "scoring_unit_id"],
    )
    _copy_rows(BonusScore, round_, correction, ["village_id", "item_id", "points", "reason"])
    _copy_rows(VetoEvent, round_, correction, ["village_id", "item_id", "reason"])
    record_event(
        EventType.CREATED, actor=acting_user, target=correction, data={"reason": reason, "corrects": round_.pk}
    )
    return correction


def _copy_rows(model, source: Round, target: Round, fields: Iterable[str]) -> None:
    rows = model.objects.filter(round=source).values(*fields)
    model.objects.bulk_create([model(round=target, **row) for row in rows], batch_size=1000)


@transaction.atomic
def scheme_copy(*, scheme: Scheme, acting_user) -> Scheme:
    """The next version of a scheme, to be edited for a new period; the old one stays as it was."""
    _require(acting_user, Role.COMMISSION_STAFF, Role.SYSTEM_ADMIN)
    latest = Scheme.objects.filter(name=scheme.name).order_by("-version").first()
    copy = Scheme.objects.create(
        name=scheme.name,
        version=latest.version + 1,
        based_on=scheme,
        grade_a_min=scheme.grade_a_min,
        grade_b_min=scheme.grade_b_min,
        bonus_cap=scheme.bonus_cap,
    )
    categories = {}
    for category in scheme.categories.all():
        categories[category.pk] = category.__class__.objects.create(
            scheme=copy, code=category.code, name=category.name, position=category.position
        )
    for indicator in scheme.indicators.all():
        Indicator.objects.create(
            scheme=copy,
            category=categories[indicator.category_id],
            code=indicator.code,
            name=indicator.name,
            max_points=indicator.max_points,
            guidance=indicator.guidance,
            position=indicator.position,
        )
    for item in scheme.bonus_items.all():
        copy.bonus_items.create(code=item.code, name=item.name, max_points=item.max_points)
    for item in scheme.veto_items.all():
        copy.veto_items.create(code=item.code, name=item.name)
    record_event(EventType.CREATED, actor=acting_user, target=copy, data={"copied_from": scheme.pk})
    return copy


def scheme_is_locked(scheme: Scheme) -> bool:
    """A scheme used by an approved or published round cannot change: past results depend on it."""
    return Round.objects.filter(
        period__scheme=scheme, status__in=[Round.Status.APPROVED, Round.Status.PUBLISHED]
    ).exists()


# --- Follow-up of a published round: 清廉问诊, 结对帮扶, C-village rectification ------------------------


def _require_village_in_scope(user, village: Village) -> None:
    """Staff act everywhere; a secretary only for the own township's villages."""
    if user.has_role(Role.COMMISSION_STAFF):
        return
    if not (user.has_role(Role.TOWNSHIP_SECRETARY) and village.township_id == user.township_id):
        raise PermissionDenied


def _require_published(round_: Round) -> None:
    if round_.status != Round.Status.PUBLISHED:
        raise ValidationError(_("Follow-up starts once the round is published."))


@transaction.atomic
def diagnosis_record(*, round_: Round, village: Village, acting_user, **fields) -> Diagnosis:
    _require_village_in_scope(acting_user, village)
    _require_published(round_)
    diagnosis = Diagnosis(round=round_, village=village, recorded_by=acting_user, **fields)
    diagnosis.full_clean()
    diagnosis._history_user = acting_user
    diagnosis.save()
    return diagnosis


@transaction.atomic
def pairing_confirm(*, round_: Round, helper: Village, helped: Village, acting_user) -> Pairing:
    """Staff confirm a top village as partner of a C village of the same township (结对帮扶)."""
    _require(acting_user, Role.COMMISSION_STAFF)
    _require_published(round_)
    grades = dict(
        VillageResult.objects.filter(round=round_, village__in=[helper, helped]).values_list("village", "grade")
    )
    if helper.township_id != helped.township_id:
        raise ValidationError(_("Partners come from the same township."))
    if grades.get(helped.pk) != Grade.C:
        raise ValidationError(_("Only a C village is helped by a partner."))
    if grades.get(helper.pk) not in (Grade.A, Grade.B):
        raise ValidationError(_("The partner must not be a C village itself."))
    pairing = Pairing(round=round_, helper=helper, helped=helped, confirmed_by=acting_user)
    pairing.full_clean()
    pairing._history_user = acting_user
    pairing.save()
    return pairing


@transaction.atomic
def help_visit_record(*, pairing: Pairing, acting_user, **fields) -> HelpVisit:
    _require_village_in_scope(acting_user, pairing.helped)
    visit = HelpVisit(pairing=pairing, recorded_by=acting_user, **fields)
    visit.full_clean()
    visit._history_user = acting_user
    visit.save()
    return visit


@transaction.atomic
def rectification_save(*, round_: Round, village: Village, acting_user, **fields) -> Rectification:
    """The goals and measures of a C village; saving again updates them (the history keeps each)."""
    _require_village_in_scope(acting_user, village)
    _require_published(round_)
    if not VillageResult.objects.filter(round=round_, village=village, grade=Grade.C).exists():
        raise ValidationError(_("Rectification goals are set for C villages."))
    plan = Rectification.objects.filter(round=round_, village=village).first() or Rectification(
        round=round_, village=village
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.recorded_by = acting_user
    plan.full_clean()
    plan._history_user = acting_user
    plan.save()
    return plan
