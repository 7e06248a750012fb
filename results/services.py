"""Writes of the use of results, each audited (core.services: the history row becomes a chained audit
row). Who may do what is said once here, by the predicates below, and used by the views and templates:

- a county's staff record its villages' assessment points and project funds (the basis — the stars and
  grade of the year — written here, never typed), edit the county's eligibility rule of a year (copied
  from the city-wide default on first edit), record what became of a 示范村 nomination (approval by the
  city or the province, the reward, its payment) and the departments' filings with the office's opinion;
- the county's leaders and the city's roles read; a township secretary reads the own township's
  villages' pages and eligibility list, and writes nothing here;
- stars tells this app (stars.signals.stars_settled) when a village's stars are decided or stripped: a
  village below four stars loses its 示范村 title (awards_revoke_below_four_stars)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from audit.models import EventType
from audit.services import record_event
from core.services import audited_save, require, versioned_change
from core.versioning import check_version
from stars.models import DEMONSTRATION_MIN_STARS, DemonstrationNomination, StarApplication, Subject
from stars.selectors import DECIDED, stars_by_village
from villages.models import District, Village

from . import selectors
from .models import AssessmentPoints, DemonstrationAward, EligibilityRule, Filing, MemberDepartment, ProjectFund
from .standard import DEFAULT_LOWEST_GRADE, DEFAULT_MIN_STARS, DEPARTMENTS

VILLAGE_OF_ANOTHER_COUNTY = _("The village must be one of the county's.")
AWARD_REVOKED = _("This demonstration village title was revoked: it can no longer be changed.")
AWARD_BELOW_FOUR_STARS = _(
    "The village has fewer than four stars now (%(stars)s): it cannot be approved as a demonstration village."
)
PAID_NEEDS_AMOUNT = _("Say the amount of the reward paid.")
PAID_NEEDS_APPROVAL = _("A reward is paid only to an approved demonstration village.")
DECIDED_NEEDS_DATE = _("Say when the city or the province decided.")
OPINION_NEEDS_TEXT = _("Write the office's opinion.")
REVOKE_REASON = _("%(year)s: the star level went down to %(stars)s, below the four stars of a demonstration village")
REVOKED_NOTICE = _("The demonstration village title of %(village)s (%(level)s, %(year)s) is revoked: %(reason)s")
STAR_WORDS = {
    0: _("no star"),
    1: _("one star"),  # 一星
    2: _("two stars"),
    3: _("three stars"),
}


# --- Who may (used by services, views and templates alike) --------------------------------------------


def records_for_county(user: User, district_id: int) -> bool:
    """The county's staff write its register; leaders, the city and secretaries read it."""
    return user.has_role(Role.COMMISSION_STAFF) and user.county_id is not None and user.county_id == district_id


def reads_register(user: User) -> bool:
    """The whole register of a county (points, funds, 示范村, filings, exports): not a secretary."""
    return user.has_role(*selectors.REGISTER_READERS)


# --- Reference data -----------------------------------------------------------------------------------


def departments_seed(acting_user: User | None = None) -> int:
    """The default member departments (results.standard), those missing added; returns how many."""
    made = 0
    for position, name in enumerate(DEPARTMENTS, start=1):
        if not MemberDepartment.objects.filter(name=name).exists():
            audited_save(MemberDepartment(name=name, position=position), acting_user)
            made += 1
    return made


def default_rule_seed(year: int, acting_user: User | None = None) -> EligibilityRule:
    """The city-wide default eligibility rule of the year (made once, from results.standard)."""
    rule = EligibilityRule.objects.filter(year=year, district__isnull=True).first()
    if rule is None:
        rule = audited_save(
            EligibilityRule(year=year, min_stars=DEFAULT_MIN_STARS, lowest_grade=DEFAULT_LOWEST_GRADE), acting_user
        )
    return rule


@transaction.atomic
def rule_save(
    *, district: District, year: int, min_stars: int, lowest_grade: str, unrated_eligible: bool, acting_user: User
) -> EligibilityRule:
    """The county's own rule of the year: a copy of the default on first edit, then changed."""
    require(records_for_county(acting_user, district.pk))
    rule = EligibilityRule.objects.select_for_update().filter(district=district, year=year).first()
    if rule is None:
        default = selectors.rule_for(district.pk, year)
        rule = EligibilityRule(
            district=district,
            year=year,
            min_stars=default.min_stars,
            lowest_grade=default.lowest_grade,
            unrated_eligible=default.unrated_eligible,
        )
    rule.min_stars, rule.lowest_grade, rule.unrated_eligible = min_stars, lowest_grade, unrated_eligible
    return audited_save(rule, acting_user)


# --- Assessment points and project funds ----------------------------------------------------------------


def basis_of(village: Village, year: int) -> str:
    """The stars and grade a use rests on, as the register writes it: "四星 · B档", "未评星 · 无清廉指数"."""
    villages = Village.objects.filter(pk=village.pk)
    stars = stars_by_village(year, [village.pk]).get(village.pk)
    grade = selectors.grades_by_village(year, villages).get(village.pk)
    with translation.override(settings.LANGUAGE_CODE):
        star_text = selectors.star_level_name(stars) if stars else str(selectors.NOT_RATED)
        grade_text = str(selectors.GRADE_NAME) % {"grade": grade} if grade else str(selectors.NO_INDEX)
    return f"{star_text} · {grade_text}"


def _check_village(village: Village, district_id: int) -> None:
    if village.township.district_id != district_id:
        raise ValidationError({"village": VILLAGE_OF_ANOTHER_COUNTY})


@dataclass(frozen=True)
class PointsText:
    village: Village
    assessment: str
    points: Decimal
    reason: str


@transaction.atomic
def points_record(*, district: District, year: int, text: PointsText, acting_user: User) -> AssessmentPoints:
    """考核加减分 of a village in an assessment of the year."""
    require(records_for_county(acting_user, district.pk))
    _check_village(text.village, district.pk)
    line = AssessmentPoints(
        village=text.village,
        year=year,
        assessment=text.assessment,
        points=text.points,
        reason=text.reason.strip(),
        basis=basis_of(text.village, year),
        recorded_by=acting_user,
    )
    return audited_save(line, acting_user)


def points_check_version(line: AssessmentPoints, version: int | None) -> None:
    check_version(
        line,
        version,
        what=str(_("assessment points")),
        state=lambda: f"{line.get_assessment_display()} {line.points:+}",
    )


@transaction.atomic
def points_update(
    *, line: AssessmentPoints, version: int | None, text: PointsText, acting_user: User
) -> AssessmentPoints:
    line = AssessmentPoints.objects.select_for_update().select_related("village__township").get(pk=line.pk)
    require(records_for_county(acting_user, line.village.township.district_id))
    points_check_version(line, version)
    _check_village(text.village, line.village.township.district_id)
    return versioned_change(
        line,
        acting_user,
        village=text.village,
        assessment=text.assessment,
        points=text.points,
        reason=text.reason.strip(),
        basis=basis_of(text.village, line.year),
    )


@dataclass(frozen=True)
class FundText:
    village: Village
    department: MemberDepartment
    project: str
    amount: Decimal
    decided_on: date
    conditions: str


@transaction.atomic
def fund_record(*, district: District, year: int, text: FundText, acting_user: User) -> ProjectFund:
    """项目资金 given to a village on its stars or grade."""
    require(records_for_county(acting_user, district.pk))
    _check_village(text.village, district.pk)
    fund = ProjectFund(
        village=text.village,
        year=year,
        department=text.department,
        project=text.project.strip(),
        amount=text.amount,
        decided_on=text.decided_on,
        conditions=text.conditions.strip(),
        basis=basis_of(text.village, year),
        recorded_by=acting_user,
    )
    return audited_save(fund, acting_user)


def fund_check_version(fund: ProjectFund, version: int | None) -> None:
    check_version(fund, version, what=str(_("project fund")), state=lambda: f"{fund.project} {fund.amount}")


@transaction.atomic
def fund_update(*, fund: ProjectFund, version: int | None, text: FundText, acting_user: User) -> ProjectFund:
    fund = ProjectFund.objects.select_for_update().select_related("village__township").get(pk=fund.pk)
    require(records_for_county(acting_user, fund.village.township.district_id))
    fund_check_version(fund, version)
    _check_village(text.village, fund.village.township.district_id)
    return versioned_change(
        fund,
        acting_user,
        village=text.village,
        department=text.department,
        project=text.project.strip(),
        amount=text.amount,
        decided_on=text.decided_on,
        conditions=text.conditions.strip(),
        basis=basis_of(text.village, fund.year),
    )


# --- 示范村: approval, reward, revocation ----------------------------------------------------------------


def county_of_nomination(nomination: DemonstrationNomination) -> int:
    return nomination.application.township.district_id


@dataclass(frozen=True)
class AwardText:
    status: str  # pending, approved or rejected: revocation is the stars' doing (or award_revoke)
    approved_by_body: str
    decided_on: date | None
    decision_reference: str
    reward_amount: Decimal | None
    reward_paid_on: date | None


def award_check_version(award: DemonstrationAward | None, version: int | None) -> None:
    if award is not None:
        check_version(
            award, version, what=str(_("demonstration village award")), state=lambda: selectors.award_state(award)
        )


def _check_award(nomination: DemonstrationNomination, text: AwardText) -> None:
    errors: dict[str, object] = {}
    if text.status != DemonstrationAward.Status.PENDING and text.decided_on is None:
        errors["decided_on"] = DECIDED_NEEDS_DATE
    if text.reward_paid_on is not None and text.reward_amount is None:
        errors["reward_amount"] = PAID_NEEDS_AMOUNT
    if text.reward_paid_on is not None and text.status != DemonstrationAward.Status.APPROVED:
        errors["reward_paid_on"] = PAID_NEEDS_APPROVAL
    if errors:
        raise ValidationError(errors)
    if text.status == DemonstrationAward.Status.APPROVED:
        stars = stars_now(cast(int, nomination.application.village_id))
        if stars < DEMONSTRATION_MIN_STARS:
            raise ValidationError(AWARD_BELOW_FOUR_STARS % {"stars": stars})


def stars_now(village_id: int) -> int:
    """The village's stars in its latest decided rating, as 摘星 left them (0: never rated)."""
    years = StarApplication.objects.filter(village_id=village_id, subject=Subject.VILLAGE, status__in=DECIDED)
    latest = years.aggregate(year=Max("criteria__year"))["year"]
    return stars_by_village(latest, [village_id]).get(village_id, 0) if latest else 0


@transaction.atomic
def award_save(
    *, nomination: DemonstrationNomination, text: AwardText, version: int | None, acting_user: User
) -> DemonstrationAward:
    """What became of a nomination: awaiting approval, approved (with the body, date and document number)
    or not; the reward and when it was paid. A revoked title is never changed again."""
    require(records_for_county(acting_user, county_of_nomination(nomination)))
    award = DemonstrationAward.objects.select_for_update().filter(nomination=nomination).first()
    award_check_version(award, version)
    if award is not None and award.status == DemonstrationAward.Status.REVOKED:
        raise ValidationError(AWARD_REVOKED)
    if text.status not in (
        DemonstrationAward.Status.PENDING,
        DemonstrationAward.Status.APPROVED,
        DemonstrationAward.Status.REJECTED,
    ):
        raise ValidationError({"status": _("Choose awaiting approval, approved or not approved.")})
    _check_award(nomination, text)
    fields = {
        "status": text.status,
        "approved_by_body": text.approved_by_body.strip(),
        "decided_on": text.decided_on,
        "decision_reference": text.decision_reference.strip(),
        "reward_amount": text.reward_amount,
        "reward_paid_on": text.reward_paid_on,
    }
    if award is None:
        return audited_save(DemonstrationAward(nomination=nomination, recorded_by=acting_user, **fields), acting_user)
    return versioned_change(award, acting_user, **fields)


def _revoke(award: DemonstrationAward, *, on: date, reason: str, acting_user: User | None) -> DemonstrationAward:
    """Revoked on `on` with the reason; an award still awaiting approval lapses the same way (its
    nomination rested on four stars the village no longer has), decided on that day."""
    return versioned_change(
        award,
        acting_user,
        status=DemonstrationAward.Status.REVOKED,
        decided_on=award.decided_on or on,
        revoked_on=on,
        revoke_reason=reason,
    )


def _revoke_reason(year: int, stars: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored and read by others: in the site's language
        return str(REVOKE_REASON) % {"year": year, "stars": STAR_WORDS.get(stars, stars)}


@transaction.atomic
def awards_revoke_below_four_stars(
    *, application: StarApplication, stars: int, on: date, acting_user: User | None
) -> list[DemonstrationAward]:
    """The village of a rating now below four stars (decided so, or stripped) loses every 示范村 title
    approved — or awaiting approval — on a nomination of that year or earlier: revoked on `on`, with the
    reason, audited as the acting user's change; the county's staff are told. A nomination not yet
    recorded here gets its award, revoked, so that it cannot be approved later. Townships and stations
    share the rating engine and have no 示范村: ignored."""
    if application.subject != Subject.VILLAGE or stars >= DEMONSTRATION_MIN_STARS:
        return []
    year = application.criteria.year
    nominations = (
        DemonstrationNomination.objects.filter(
            application__village_id=cast(int, application.village_id), application__criteria__year__lte=year
        )
        .select_related("application__criteria", "application__village")
        .order_by("pk")
    )
    awards = {
        award.nomination_id: award
        for award in DemonstrationAward.objects.select_for_update().filter(nomination__in=nominations)
    }
    reason = _revoke_reason(year, stars)
    revoked = []
    for nomination in nominations:
        award = awards.get(nomination.pk)
        if award is None:
            award = DemonstrationAward(nomination=nomination, recorded_by=acting_user or nomination.nominated_by)
            award = audited_save(award, acting_user)
        if award.status not in (DemonstrationAward.Status.APPROVED, DemonstrationAward.Status.PENDING):
            continue
        revoked.append(_revoke(award, on=on, reason=reason, acting_user=acting_user))
    if revoked:
        _notify_revoked(application, revoked, reason, acting_user)
    return revoked


def _notify_revoked(
    application: StarApplication, awards: list[DemonstrationAward], reason: str, acting_user: User | None
) -> None:
    village = cast(Village, application.village)  # a village's rating (awards_revoke_below_four_stars)
    for award in awards:
        nomination = award.nomination
        notices_send_on_commit(
            users=users_with_role(Role.COMMISSION_STAFF, district_id=application.township.district_id),
            message=REVOKED_NOTICE,
            params={
                "village": village.name,
                "level": nomination.get_level_display(),
                "year": nomination.application.criteria.year,
                "reason": reason,
            },
            link=reverse("results:village", args=[village.code]),
            key=f"demonstration-revoked-{award.pk}",
            acting_user=acting_user,
        )


def on_stars_settled(
    sender: object, *, application: StarApplication, stars: int, on: date, acting_user: User | None, **kwargs: object
) -> None:
    """stars.signals.stars_settled's receiver (connected in ResultsConfig.ready)."""
    awards_revoke_below_four_stars(application=application, stars=stars, on=on, acting_user=acting_user)


# --- 备案 (filings) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingText:
    department: MemberDepartment
    number: str
    year: int
    kind: str
    title: str
    content: str
    amount: Decimal | None
    filed_on: date
    villages: list[Village]

    def fields(self) -> dict[str, object]:
        return {
            "department": self.department,
            "number": self.number.strip(),
            "year": self.year,
            "kind": self.kind,
            "title": self.title.strip(),
            "content": self.content.strip(),
            "amount": self.amount,
            "filed_on": self.filed_on,
        }


def _village_names(villages: list[Village]) -> list[str]:
    return [f"{village.code} {village.name}" for village in sorted(villages, key=lambda village: village.code)]


def _set_villages(filing: Filing, villages: list[Village], acting_user: User) -> None:
    """The filing's villages; the history does not follow many-to-many links, so a change of them is
    written to the audit log here (as workplan does for a task's townships)."""
    if any(village.township.district_id != filing.district_id for village in villages):
        raise ValidationError({"villages": VILLAGE_OF_ANOTHER_COUNTY})
    before, after = _village_names(list(filing.villages.all())), _village_names(villages)
    if before == after:
        return
    filing.villages.set(villages)
    record_event(
        EventType.UPDATED,
        actor=acting_user,
        target=filing,
        data={"changes": {"villages": {"before": before, "after": after}}},
    )


@transaction.atomic
def filing_record(*, district: District, text: FilingText, acting_user: User) -> Filing:
    """备案: what a member department filed with the office."""
    require(records_for_county(acting_user, district.pk))
    filing = audited_save(Filing(district=district, recorded_by=acting_user, **text.fields()), acting_user)
    _set_villages(filing, text.villages, acting_user)
    return filing


def filing_check_version(filing: Filing, version: int | None) -> None:
    check_version(filing, version, what=str(_("filing")), state=lambda: f"{filing.number} {filing.title}")


@transaction.atomic
def filing_update(*, filing: Filing, version: int | None, text: FilingText, acting_user: User) -> Filing:
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    require(records_for_county(acting_user, filing.district_id))
    filing_check_version(filing, version)
    filing = versioned_change(filing, acting_user, **text.fields())
    _set_villages(filing, text.villages, acting_user)
    return filing


@transaction.atomic
def filing_opinion(
    *, filing: Filing, version: int | None, opinion: str, text: str, given_on: date, acting_user: User
) -> Filing:
    """The office's opinion: 同意, 修改后同意 or 不同意, with its words and date."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    require(records_for_county(acting_user, filing.district_id))
    filing_check_version(filing, version)
    if opinion not in Filing.Opinion.values:
        raise ValidationError({"opinion": _("Choose the office's opinion.")})
    if not text.strip():
        raise ValidationError({"opinion_text": OPINION_NEEDS_TEXT})
    return versioned_change(
        filing, acting_user, opinion=opinion, opinion_text=text.strip(), opinion_on=given_on, opinion_by=acting_user
    )
