"""What waits for each user in the integrity index (the to-do page, lianjie/todo.py): reads, scoped as
scoring.selectors are; a module of its own to keep selectors.py readable."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from accounts.models import User
from villages.models import Township, Village

from .models import Diagnosis, Grade, Rectification, Round, Score, VillageResult
from .selectors import bottom_three, latest_published_round, results_for, rounds_for

# --- What waits for the user (the to-do page) -----------------------------------------------------------


@dataclass(frozen=True)
class FollowUpGaps:
    """The villages of a published round still waiting for their follow-up (清廉问诊, 整改)."""

    round: Round | None
    undiagnosed: list[VillageResult]  # bottom three of their township, without a diagnosis
    without_goals: list[VillageResult]  # C villages without rectification goals


def follow_up_gaps(user: User) -> FollowUpGaps:
    """In the latest published round of the user's county (the one the follow-up page shows), in the
    user's scope: the bottom three of each township without a diagnosis, worst first, and the C villages
    without rectification goals."""
    round_ = latest_published_round(user.county_id)
    if round_ is None:
        return FollowUpGaps(None, [], [])
    results = list(results_for(user, round_).order_by("township_rank", "village__code"))
    by_township: defaultdict[int, list[VillageResult]] = defaultdict(list)
    for result in results:
        by_township[result.village.township_id].append(result)
    bottom = [result for township_results in by_township.values() for result in bottom_three(township_results)]
    c_villages = [result for result in results if result.grade == Grade.C]
    diagnosed = Diagnosis.objects.filter(round=round_, village__in=[result.village_id for result in bottom])
    with_goals = Rectification.objects.filter(round=round_, village__in=[result.village_id for result in c_villages])
    diagnosed_ids = set(diagnosed.values_list("village", flat=True))
    with_goals_ids = set(with_goals.values_list("village", flat=True))
    return FollowUpGaps(
        round_,
        [result for result in bottom if result.village_id not in diagnosed_ids],
        [result for result in c_villages if result.village_id not in with_goals_ids],
    )


@dataclass(frozen=True)
class TownshipEntry:
    township: Township
    entered: int  # scores entered
    expected: int  # the township's villages in the round × the scheme's indicators

    @property
    def done(self) -> bool:
        """Every expected score entered; a township with nothing to enter (no village, no indicator) is
        not "done": its round has nothing to submit."""
        return self.expected > 0 and self.entered >= self.expected


@dataclass(frozen=True)
class RoundInEntry:
    round: Round
    townships: list[TownshipEntry]

    @property
    def entered(self) -> int:
        return sum(township.entered for township in self.townships)

    @property
    def expected(self) -> int:
        return sum(township.expected for township in self.townships)

    @property
    def done(self) -> bool:
        """Every score entered: the round can be submitted."""
        return bool(self.townships) and all(township.done for township in self.townships)


def rounds_in_entry(user: User) -> list[RoundInEntry]:
    """Draft rounds of the user's county (rounds_for) never submitted (one a leader returned has been:
    rounds_returned), each with the scores entered against those expected per township; five queries,
    however many rounds."""
    rounds = list(
        rounds_for(user)
        .filter(status=Round.Status.DRAFT, submitted_at__isnull=True)
        .select_related("period")
        .annotate(indicator_count=Count("period__scheme__indicators"))
        .order_by("-period__year", "-period__half", "-revision")
    )
    if not rounds:
        return []
    # A round's villages, as round_villages() says of a draft: a correction's are those of the round it
    # corrects (published, so its stored results), a fresh draft's the active villages.
    corrected = [round_.corrects_id for round_ in rounds if round_.corrects_id]
    correction_villages = {
        (row["round"], row["village__township"]): row["n"]
        for row in VillageResult.objects.filter(round__in=corrected)
        .values("round", "village__township")
        .annotate(n=Count("id"))
    }
    # A fresh draft's villages: the active villages of its county, per township.
    active_villages: dict[int, int] = {}
    if len(corrected) < len(rounds):
        counties = {round_.period.district_id for round_ in rounds if not round_.corrects_id}
        active_villages = dict(
            Village.objects.filter(active=True, township__district__in=counties)
            .values("township")
            .annotate(n=Count("id"))
            .values_list("township", "n")
        )
    in_its_round = Q(
        round__corrects__isnull=True,
        village__active=True,
        village__township__district_id=F("round__period__district_id"),
    ) | Q(Exists(VillageResult.objects.filter(round=OuterRef("round__corrects"), village=OuterRef("village"))))
    entered = {
        (row["round"], row["village__township"]): row["n"]
        for row in Score.objects.filter(in_its_round, round__in=rounds)
        .values("round", "village__township")
        .annotate(n=Count("id"))
    }
    townships = list(Township.objects.filter(district__in={r.period.district_id for r in rounds}).order_by("code"))
    lines = []
    for round_ in rounds:
        villages = (
            {township: n for (of, township), n in correction_villages.items() if of == round_.corrects_id}
            if round_.corrects_id
            else {
                township.pk: active_villages[township.pk]
                for township in townships
                if township.district_id == round_.period.district_id and township.pk in active_villages
            }
        )
        lines.append(
            RoundInEntry(
                round_,
                [
                    TownshipEntry(
                        township,
                        entered.get((round_.pk, township.pk), 0),
                        villages[township.pk] * round_.indicator_count,
                    )
                    for township in townships
                    if township.pk in villages
                ],
            )
        )
    return lines


@dataclass(frozen=True)
class ReturnedRound:
    round: Round
    by: str  # the leader who returned it
    at: datetime
    reason: str


def rounds_returned(user: User) -> list[ReturnedRound]:
    """Draft rounds of the user's county a leader returned to staff (a draft that was once submitted),
    each with who returned it, when and why: the last move from submitted back to draft in its history
    (as round_steps reads it)."""
    rounds = {
        round_.pk: round_ for round_ in rounds_for(user).filter(status=Round.Status.DRAFT, submitted_at__isnull=False)
    }
    returned: dict[int, ReturnedRound] = {}
    before: dict[int, str] = {}
    records = Round.history.filter(id__in=rounds).select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if before.get(record.id) == Round.Status.SUBMITTED and record.status == Round.Status.DRAFT:
            by = str(record.history_user) if record.history_user else "—"
            returned[record.id] = ReturnedRound(
                rounds[record.id], by, record.history_date, record.history_change_reason or ""
            )
        before[record.id] = record.status
    return [returned[pk] for pk in rounds if pk in returned]


def rounds_awaiting_leader(user: User) -> QuerySet[Round]:
    """Rounds of the user's county a leader acts on: submitted ones to approve (or return), approved ones
    to publish."""
    return rounds_for(user).filter(status__in=[Round.Status.SUBMITTED, Round.Status.APPROVED])


# --- The city's comparison of its counties (cities.selectors.county_comparison) --------------------------
