"""Writes of the star rating (评星晋级): applications, review routed by level, publicity and
objections, 摘星, demonstration nominations and improvement plans (the criteria: stars.criteria_services).

Who may act is checked here, whatever the view: the township secretary files for the own township's
villages and decides levels 1–3; levels 4–5 are decided by the leader of the village's county after the
township's opinion; staff act on their own county's villages only, and the city's roles on none. Every
change goes through the model's history into the audit log.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from core.publication import bump_public_generation
from core.services import audited_save, is_own_township_secretary, require, require_own_township, versioned_change
from core.states import take
from core.uploads import store_evidence
from core.versioning import check_version
from villages.models import Station, Township, Village

from . import selectors
from .models import (
    DemonstrationNomination,
    ImprovementPlan,
    SelfAssessment,
    StarApplication,
    StarAttachment,
    StarCriteria,
    StarItem,
    StarObjection,
    StarReviewStep,
    StarStrip,
    StarVetoHit,
    StarVetoItem,
    StarVetoRecord,
    Subject,
)
from .selectors import veto_hits
from .signals import stars_settled

HIT_ANSWERED = gettext_lazy("This veto hit has been answered already.")
NOT_IN_PILOT = gettext_lazy(
    "%(township)s is not in the pilot of the %(year)s star rating yet: its villages cannot apply."
)
DISMISS_NEEDS_REASON = gettext_lazy("Say why the stars stand despite the veto item.")

# --- Who may do what (each rule once: the services check them, the application page offers them) ----------


def county_of(application: StarApplication) -> int:
    return application.township.district_id


def acts_in_county(user: User, role: Role, district_id: int) -> bool:
    """The user holds `role` in that county (county staff and leaders act in their own county only)."""
    return user.has_role(role) and user.county_id == district_id


def keeps_the_stars(user: User, application: StarApplication) -> bool:
    """The county's staff strip stars, answer veto hits, record veto events and nominate 示范村."""
    return acts_in_county(user, Role.COMMISSION_STAFF, county_of(application))


def can_prepare(user: User, application: StarApplication) -> bool:
    """The self-assessment is prepared and filed by the township's own secretary (for a village or station
    in the township, or for the township itself)."""
    return is_own_township_secretary(user, application.township_id)


def can_review(user: User, application: StarApplication) -> bool:
    """The township's review (its own secretary, of a filed application) or the district's (a leader of
    the village's county, of one forwarded)."""
    if application.status == StarApplication.Status.SUBMITTED:
        return is_own_township_secretary(user, application.township_id)
    forwarded = application.status == StarApplication.Status.FORWARDED
    return forwarded and acts_in_county(user, Role.COMMISSION_LEADER, county_of(application))


def can_handle_objections(user: User, application: StarApplication) -> bool:
    """The county's staff, and the reviewing authority: the township for 1–3 stars, the county's leader
    for 4–5."""
    if keeps_the_stars(user, application):
        return True
    if application.decided_by_district:
        return acts_in_county(user, Role.COMMISSION_LEADER, county_of(application))
    return is_own_township_secretary(user, application.township_id)


def can_plan(user: User, application: StarApplication) -> bool:
    """改进提升计划: the county's staff, or the village's own township secretary."""
    return keeps_the_stars(user, application) or is_own_township_secretary(user, application.township_id)


IMPROVEMENT_MAX_STARS = 2


def allowed_actions(user: User, application: StarApplication, stars: int | None) -> dict[str, bool]:
    """What the application page offers the user now, by the rules above and the application's state."""
    stars = stars or 0  # the current level, as the page already read it (application.current_stars())
    decided = application.is_decided
    village = application.subject == Subject.VILLAGE  # veto items, 示范村 and plans are the villages' own
    return {
        "review": can_review(user, application),
        "return": can_review(user, application),
        "objection": application.in_publicity and can_handle_objections(user, application),
        "strip": decided and keeps_the_stars(user, application) and stars > 0,
        "nominate": village and decided and keeps_the_stars(user, application) and stars >= 4,
        "veto": village and keeps_the_stars(user, application),
        "plan": village and decided and stars <= IMPROVEMENT_MAX_STARS and can_plan(user, application),
        "edit": application.is_editable and can_prepare(user, application),
        "satisfaction": can_record_satisfaction(user, application),
    }


def can_record_satisfaction(user: User, application: StarApplication) -> bool:
    """群众满意度: the county's staff enter the villagers' survey result of a rating whose criteria ask for
    one, until it is decided."""
    return (
        application.criteria.min_satisfaction is not None
        and not application.is_decided
        and keeps_the_stars(user, application)
    )


@transaction.atomic
def veto_record(
    *, application: StarApplication, acting_user: User, item: StarVetoItem, occurred_on: date, reason: str
) -> StarVetoRecord:
    """Staff record a veto event found outside the index (e.g. a village cadre sanctioned that year)."""
    require(keeps_the_stars(acting_user, application) and application.subject == Subject.VILLAGE)
    if item.criteria_id != application.criteria_id or occurred_on.year != application.criteria.year:
        raise ValidationError(_("The veto item and the date must belong to the application's year."))
    record = StarVetoRecord(
        item=item, village=application.village, occurred_on=occurred_on, reason=reason, recorded_by=acting_user
    )
    audited_save(record, acting_user)
    return record


# --- The application (评星申报) -------------------------------------------------------------------------


def application_check_version(application: StarApplication, version: int | None) -> None:
    """A form filled in against an older version of the application is refused before anything else."""
    check_version(application, version, what=_("application"), state=lambda: selectors.application_state(application))


def _locked(application: StarApplication, *expected: str, version: int | None = None) -> StarApplication:
    locked = (
        # Only the application's row is locked: the village and station are on the nullable side of a join.
        StarApplication.objects.select_for_update(of=("self",))
        .select_related("criteria", "township", "village", "station")
        .get(pk=application.pk)
    )
    application_check_version(locked, version)
    if locked.status not in expected:
        raise ValidationError(
            _("The application is %(status)s; this step is not possible now.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    return locked


# The notice a review step sends to whoever must act next (site language, see accounts' notice_text).
STEP_NOTICES = {
    StarReviewStep.Action.SUBMIT: gettext_lazy(
        "%(by)s filed the star application of %(village)s (%(level)s stars); it awaits your review."
    ),
    StarReviewStep.Action.FORWARD: gettext_lazy(
        "%(by)s sent the star application of %(village)s (%(level)s stars) to the district with the township's "
        "opinion: %(reason)s"
    ),
    StarReviewStep.Action.RETURN: gettext_lazy(
        "%(by)s returned the star application of %(village)s for more evidence: %(reason)s"
    ),
    StarReviewStep.Action.DECIDE: gettext_lazy(
        "%(by)s decided %(level)s stars for %(village)s, in publicity until %(until)s: %(reason)s"
    ),
    StarReviewStep.Action.REOPEN: gettext_lazy(
        "An objection to the stars of %(village)s was upheld (%(reason)s): review the application again."
    ),
}


# …and for a pass mark (勤廉双优示范乡镇, 群众满意基层站所), which has no stars: %(level)s is its title.
PASS_MARK_NOTICES = {
    StarReviewStep.Action.SUBMIT: gettext_lazy("%(by)s filed %(village)s for %(level)s; it awaits your review."),
    StarReviewStep.Action.RETURN: gettext_lazy(
        "%(by)s returned the application of %(village)s for more evidence: %(reason)s"
    ),
    StarReviewStep.Action.DECIDE: gettext_lazy(
        "%(by)s rated %(village)s %(level)s, in publicity until %(until)s: %(reason)s"
    ),
    StarReviewStep.Action.REOPEN: gettext_lazy(
        "An objection to the rating of %(village)s was upheld (%(reason)s): review the application again."
    ),
}


def _next_to_act(application: StarApplication) -> QuerySet[User]:
    """The township's secretaries review a filed application, the county's leaders one forwarded; the
    secretary who filed it completes a returned one and learns the decision."""
    if application.status == StarApplication.Status.SUBMITTED:
        return users_with_role(Role.TOWNSHIP_SECRETARY, township_id=application.township_id)
    if application.status == StarApplication.Status.FORWARDED:
        return users_with_role(Role.COMMISSION_LEADER, district_id=county_of(application))
    return User.objects.filter(pk=application.filed_by_id, is_active=True)


OBJECTION_RECORDED_NOTICE = gettext_lazy(
    "%(by)s recorded an objection to the stars of %(village)s, received on %(received)s: answer it."
)
VETO_HITS_NOTICE = gettext_lazy(
    "Veto items now hit the fixed stars of %(villages)s: strip the stars or say why they stand."
)


def _answer_objections(application: StarApplication) -> QuerySet[User]:
    """Who answers an objection (besides staff, who may): the authority that decided the level, the
    township's secretaries for 1–3 stars, the county's leaders for 4–5 (can_handle_objections)."""
    if application.decided_by_district:
        return users_with_role(Role.COMMISSION_LEADER, district_id=county_of(application))
    return users_with_role(Role.TOWNSHIP_SECRETARY, township_id=application.township_id)


def _step(
    application: StarApplication,
    action: StarReviewStep.Action,
    acting_user: User | None,
    opinion: str = "",
    points: Decimal | None = None,
    level: int | None = None,
) -> None:
    step = StarReviewStep.objects.create(
        application=application, action=action, actor=acting_user, opinion=opinion, points=points, level=level
    )
    criteria = application.criteria
    notices = PASS_MARK_NOTICES if criteria.is_pass_mark else STEP_NOTICES
    if action in notices:
        notices_send_on_commit(
            users=_next_to_act(application),
            message=notices[action],
            params={
                "by": acting_user,
                "village": str(application.rated),
                "level": criteria.level_name(level or application.level_applied) if criteria.is_pass_mark else level,
                "reason": opinion,
                "until": application.publicity_ends_on,
            },
            link=reverse("stars:application", args=[application.pk]),
            key=f"star-step-{step.pk}",
            acting_user=acting_user,
        )


def _check_veto(application: StarApplication, level: int) -> None:
    if application.subject == Subject.VILLAGE and level > application.criteria.veto_max_level:
        hits = veto_hits(cast(Village, application.village), application.criteria)
        if hits:
            raise ValidationError(
                _("%(village)s is hit by a veto item and cannot be rated above %(max)s stars: %(hits)s")
                % {"village": application.village, "max": application.criteria.veto_max_level, "hits": "；".join(hits)},
                code="veto",
            )


def _check_points(criteria: StarCriteria, points: Decimal, level: int) -> None:
    if level > criteria.top_level:
        raise ValidationError(
            _("These criteria have %(top)s level(s); %(level)s is not one of them.")
            % {"top": criteria.top_level, "level": level},
            code="level",
        )
    reached = criteria.level_for(points)
    if level > reached and criteria.is_pass_mark:
        raise ValidationError(
            _("%(points)s points are below the pass mark of %(needed)s.")
            % {"points": points, "needed": criteria.min_points_1},
            code="points",
        )
    if level > reached:
        raise ValidationError(
            _("%(points)s points reach %(reached)s stars, not %(level)s (%(level)s stars need %(needed)s).")
            % {"points": points, "reached": reached, "level": level, "needed": criteria.thresholds()[level]},
            code="points",
        )


@transaction.atomic
def _check_satisfaction(application: StarApplication, level: int) -> None:
    """A rating whose criteria ask for the villagers' satisfaction passes only with the figure entered and
    at least the lowest allowed."""
    lowest = application.criteria.min_satisfaction
    if lowest is None or level < 1:
        return
    if application.satisfaction is None:
        raise ValidationError(
            _("Enter the villagers' satisfaction figure (survey result) before deciding."), code="satisfaction"
        )
    if application.satisfaction < lowest:
        raise ValidationError(
            _("The villagers' satisfaction of %(figure)s%% is below the %(lowest)s%% the criteria ask for.")
            % {"figure": application.satisfaction, "lowest": lowest},
            code="satisfaction",
        )


@transaction.atomic
def application_save(
    *,
    criteria: StarCriteria,
    rated: Village | Township | Station,
    level_applied: int,
    scores: dict[int, tuple[Decimal, str]],
    summary: str,
    acting_user: User,
    version: int | None = None,
) -> StarApplication:
    """Create or edit the application of the year of a village, a township or a station (`rated`) while it
    is being prepared or was returned. `scores` maps item id → (points, what was done). `version` guards
    against a concurrent edit: 0 for an application the user saw none of."""
    subject, township, lookup = selectors.rated_subject(rated)
    require_own_township(acting_user, township.pk)
    if criteria != selectors.criteria_applying(township.district_id, criteria.year, subject):
        raise ValidationError(
            _("%(village)s is not rated on these criteria in %(year)s.") % {"village": rated, "year": criteria.year}
        )
    if not selectors.takes_part(criteria, township):
        raise ValidationError(NOT_IN_PILOT % {"township": township, "year": criteria.year}, code="pilot")
    application = StarApplication.objects.select_for_update(of=("self",)).filter(criteria=criteria, **lookup).first()
    if application is not None:
        application_check_version(application, version)
    items = {item.pk: item for item in StarItem.objects.filter(dimension__criteria=criteria)}
    errors = []
    for item_id, (points, _note) in scores.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError(_("Unknown item."))
        if points > item.max_points:
            errors.append(
                _("%(item)s: %(points)s is more than its %(max)s points.")
                % {"item": item, "points": points, "max": item.max_points}
            )
    if errors:
        raise ValidationError(errors)
    if application is None:
        application = StarApplication(
            criteria=criteria, filed_by=acting_user, version=0, **{"subject": subject, "township": township, **lookup}
        )
    elif not application.is_editable:
        raise ValidationError(
            _("The application is %(status)s and can no longer be edited.")
            % {"status": application.get_status_display()}
        )
    total = sum((points for points, _note in scores.values()), Decimal("0"))
    _check_points(criteria, total, level_applied)
    _check_veto(application, level_applied)
    versioned_change(application, acting_user, level_applied=level_applied, self_points=total, summary=summary)
    # Row by row, so that each item's change reaches the history and the audit log.
    earlier = {row.item_id: row for row in application.self_scores.all()}
    for item_id, (points, note) in scores.items():
        row = earlier.pop(item_id, None) or SelfAssessment(application=application, item_id=item_id)
        if row.pk is None or (row.points, row.note) != (points, note):
            row.points, row.note = points, note
            row._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
            row.save()
    for row in earlier.values():
        row._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
        row.delete()
    return application


@transaction.atomic
def satisfaction_record(
    *,
    application: StarApplication,
    acting_user: User,
    satisfaction: Decimal,
    satisfaction_responses: int,
    satisfaction_source: str,
    version: int | None = None,
) -> StarApplication:
    """群众满意度: the county's staff enter the villagers' survey result a rating rests on, before it is
    decided (a station passes only at the criteria's lowest satisfaction or above)."""
    application = _locked(
        application,
        StarApplication.Status.DRAFT,
        StarApplication.Status.SUBMITTED,
        StarApplication.Status.RETURNED,
        StarApplication.Status.FORWARDED,
        version=version,
    )
    require(can_record_satisfaction(acting_user, application))
    versioned_change(
        application,
        acting_user,
        satisfaction=satisfaction,
        satisfaction_responses=satisfaction_responses,
        satisfaction_source=satisfaction_source,
    )
    return application


@transaction.atomic
def attachment_add(*, application: StarApplication, upload: "UploadedFile[bytes]", acting_user: User) -> StarAttachment:
    require(can_prepare(acting_user, application))
    if not application.is_editable:
        raise ValidationError(_("Evidence is added while the application is being prepared or was returned."))
    attachment = StarAttachment(application=application)
    store_evidence(attachment, upload, uploaded_by=acting_user)
    return attachment


@transaction.atomic
def application_submit(
    *, application: StarApplication, acting_user: User, version: int | None = None
) -> StarApplication:
    require(can_prepare(acting_user, application))
    application = _locked(application, StarApplication.Status.DRAFT, StarApplication.Status.RETURNED, version=version)
    missing = StarItem.objects.filter(dimension__criteria=application.criteria).exclude(
        pk__in=application.self_scores.values("item")
    )
    if missing.exists():
        raise ValidationError(
            _("Assess every item first; missing: %(items)s") % {"items": "、".join(str(item) for item in missing[:5])}
        )
    _check_veto(application, application.level_applied)
    take(application.submit)
    versioned_change(application, acting_user)
    _step(
        application,
        StarReviewStep.Action.SUBMIT,
        acting_user,
        application.summary,
        application.self_points,
        application.level_applied,
    )
    return application


# --- Review routed by level ----------------------------------------------------------------------------


def _reviewer_of(user: User, application: StarApplication) -> str:
    """Which review the user may do now: the township's (its own secretary, on a filed application) or
    the district's (the commission leader, on one forwarded). PermissionDenied otherwise."""
    require(can_review(user, application))
    return "township" if application.status == StarApplication.Status.SUBMITTED else "district"


@transaction.atomic
def application_return(
    *, application: StarApplication, acting_user: User, opinion: str, version: int | None = None
) -> StarApplication:
    """Back to the township secretary for more evidence (补充材料), from either review."""
    application = _locked(
        application, StarApplication.Status.SUBMITTED, StarApplication.Status.FORWARDED, version=version
    )
    _reviewer_of(acting_user, application)
    if not opinion.strip():
        raise ValidationError(_("Say what evidence is missing."))
    take(application.return_for_evidence)
    versioned_change(application, acting_user)
    _step(application, StarReviewStep.Action.RETURN, acting_user, opinion)
    return application


@transaction.atomic
def application_forward(
    *,
    application: StarApplication,
    acting_user: User,
    opinion: str,
    points: Decimal,
    level: int,
    version: int | None = None,
) -> StarApplication:
    """The township's opinion on a level 4–5 application, sent on to the district commission."""
    application = _locked(application, StarApplication.Status.SUBMITTED, version=version)
    if _reviewer_of(acting_user, application) != "township" or not application.decided_by_district:
        raise PermissionDenied
    if not opinion.strip():
        raise ValidationError(_("The township's opinion is required."))
    take(application.forward)
    versioned_change(application, acting_user)
    _step(application, StarReviewStep.Action.FORWARD, acting_user, opinion, points, level)
    return application


@transaction.atomic
def application_decide(
    *,
    application: StarApplication,
    acting_user: User,
    opinion: str,
    points: Decimal,
    level: int,
    today: date | None = None,
    version: int | None = None,
) -> StarApplication:
    """Decide the level and start the publicity period (公示). The township decides applications for 1–3
    stars (at most 3); the commission leader decides 4–5 after the township's opinion."""
    application = _locked(
        application, StarApplication.Status.SUBMITTED, StarApplication.Status.FORWARDED, version=version
    )
    reviewer = _reviewer_of(acting_user, application)
    if reviewer == "township" and (
        application.decided_by_district or level > application.criteria.township_decides_up_to
    ):
        raise ValidationError(
            _("Levels 4 and 5 are decided by the district commission; give the township's opinion and send it on."),
            code="routing",
        )
    if level > application.level_applied:
        raise ValidationError(_("The decided level cannot be above the level applied for."))
    _check_points(application.criteria, points, level)
    _check_veto(application, level)
    _check_satisfaction(application, level)
    today = today or timezone.localdate()
    take(application.decide)
    versioned_change(
        application,
        acting_user,
        decided_level=level,
        decided_points=points,
        decided_at=timezone.now(),
        publicity_ends_on=today + timedelta(days=application.criteria.publicity_days),
    )
    _step(application, StarReviewStep.Action.DECIDE, acting_user, opinion, points, level)
    stars_settled.send(StarApplication, application=application, stars=level, on=today, acting_user=acting_user)
    transaction.on_commit(bump_public_generation)
    return application


# --- Publicity (公示) and objections -------------------------------------------------------------------


@transaction.atomic
def objection_record(
    *, application: StarApplication, acting_user: User, received_on: date, channel: str, content: str
) -> StarObjection:
    application = _locked(application, StarApplication.Status.PUBLICITY)
    require(can_handle_objections(acting_user, application))
    objection = StarObjection(
        application=application, received_on=received_on, channel=channel, content=content, recorded_by=acting_user
    )
    audited_save(objection, acting_user)
    notices_send_on_commit(
        users=_answer_objections(application),
        message=OBJECTION_RECORDED_NOTICE,
        params={"by": acting_user, "village": str(application.rated), "received": received_on},
        link=reverse("stars:application", args=[application.pk]),
        key=f"star-objection-{objection.pk}",
        acting_user=acting_user,
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: StarObjection, acting_user: User, answer: str, upheld: bool) -> StarObjection:
    """Answer an objection. An upheld one re-opens the review: the level is withdrawn from publicity and
    the application goes back to the township (1–3) or the district (4–5)."""
    application = _locked(objection.application, StarApplication.Status.PUBLICITY)
    require(can_handle_objections(acting_user, application))
    objection = StarObjection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_open:
        raise ValidationError(_("This objection has been answered already."))
    if not answer.strip():
        raise ValidationError(_("Write the answer given to the objection."))
    objection.answer, objection.upheld = answer, upheld
    objection.answered_by, objection.answered_at = acting_user, timezone.now()
    audited_save(objection, acting_user)
    if upheld:
        take(application.reopen)
        versioned_change(
            application,
            acting_user,
            decided_level=None,
            decided_points=None,
            decided_at=None,
            publicity_ends_on=None,
        )
        _step(application, StarReviewStep.Action.REOPEN, acting_user, answer)
        transaction.on_commit(bump_public_generation)
    return objection


@transaction.atomic
def star_levels_fix(today: date | None = None) -> int:
    """Fix every level whose publicity period has ended without an open objection (run daily)."""
    today = today or timezone.localdate()
    open_objections = StarObjection.objects.filter(upheld__isnull=True).values("application")
    due = (
        StarApplication.objects.select_for_update(of=("self",))
        .filter(status=StarApplication.Status.PUBLICITY, publicity_ends_on__lt=today)
        .exclude(pk__in=open_objections)
    )
    fixed = 0
    for application in due:
        take(application.fix)
        versioned_change(application, None, fixed_at=timezone.now())  # the daily job: nobody
        _step(application, StarReviewStep.Action.FIX, None, level=application.decided_level)
        fixed += 1
    if fixed:
        transaction.on_commit(bump_public_generation)
    return fixed


# --- Dynamic management: 摘星, 示范村, 改进提升计划 ------------------------------------------------------


@transaction.atomic
def stars_strip(
    *, application: StarApplication, acting_user: User, stars_after: int, trigger: str, reason: str, stripped_on: date
) -> StarStrip:
    """摘星: the county's staff take stars away during the year after a case, a veto event or a C grade."""
    require(keeps_the_stars(acting_user, application))
    application = _locked(application, StarApplication.Status.PUBLICITY, StarApplication.Status.FIXED)
    before = cast(int, application.current_stars())  # decided: never None (star_decided_level_iff_decided)
    if stars_after >= before:
        raise ValidationError(_("Stripping leaves fewer stars than the %(stars)s the village has.") % {"stars": before})
    strip = StarStrip(
        application=application,
        stars_before=before,
        stars_after=stars_after,
        trigger=trigger,
        reason=reason,
        stripped_on=stripped_on,
        recorded_by=acting_user,
    )
    audited_save(strip, acting_user)
    stars_settled.send(
        StarApplication, application=application, stars=stars_after, on=stripped_on, acting_user=acting_user
    )
    transaction.on_commit(bump_public_generation)
    return strip


@transaction.atomic
def veto_hits_find() -> int:
    """Daily: lists for staff every veto event now hitting a village whose stars were fixed above what a
    veto item allows (a cadre sanctioned, a veto record, a C grade published after the stars were fixed),
    each event once, and tells staff. Nothing is stripped: staff strip (摘星) or dismiss each hit. Returns
    how many are new."""
    new = selectors.veto_hits_not_listed()
    by_county: dict[int, list[StarVetoHit]] = {}
    for application, event in new:
        hit = StarVetoHit(application=application, item=event.item, event_key=event.key, event=event.text)
        by_county.setdefault(county_of(application), []).append(audited_save(hit, None))
    for district_id, hits in by_county.items():  # each county's staff are told once a run, of its villages
        notices_send_on_commit(
            users=users_with_role(Role.COMMISSION_STAFF, district_id=district_id),
            message=VETO_HITS_NOTICE,
            params={"villages": "、".join(sorted({str(hit.application.rated) for hit in hits}))},
            link=reverse("stars:veto_hits"),
            key=f"star-veto-hits-{hits[0].pk}",
            acting_user=None,
        )
    return len(new)


def _open_hit(hit: StarVetoHit, acting_user: User) -> StarVetoHit:
    hit = (
        StarVetoHit.objects.select_for_update(of=("self",))
        .select_related("application__village__township")
        .get(pk=hit.pk)
    )
    require(keeps_the_stars(acting_user, hit.application))
    if hit.outcome != StarVetoHit.Outcome.OPEN:
        raise ValidationError(HIT_ANSWERED, code="answered")
    return hit


def _answer(hit: StarVetoHit, acting_user: User, **fields: object) -> None:
    for name, value in fields.items():
        setattr(hit, name, value)
    hit.answered_by, hit.answered_at = acting_user, timezone.now()
    audited_save(hit, acting_user)


@transaction.atomic
def veto_hit_strip(
    *, hit: StarVetoHit, acting_user: User, stars_after: int, trigger: str, reason: str, stripped_on: date
) -> StarStrip:
    """摘星 from the list of veto hits: `stars_strip`, the hit answered by the strip."""
    hit = _open_hit(hit, acting_user)
    made = stars_strip(
        application=hit.application,
        acting_user=acting_user,
        stars_after=stars_after,
        trigger=trigger,
        reason=reason,
        stripped_on=stripped_on,
    )
    _answer(hit, acting_user, outcome=StarVetoHit.Outcome.STRIPPED, strip=made)
    return made


@transaction.atomic
def veto_hit_dismiss(*, hit: StarVetoHit, acting_user: User, reason: str) -> StarVetoHit:
    """The stars stand despite the hit (e.g. the sanction was annulled); the reason is kept with it."""
    hit = _open_hit(hit, acting_user)
    if not reason.strip():
        raise ValidationError(DISMISS_NEEDS_REASON, code="reason")
    _answer(hit, acting_user, outcome=StarVetoHit.Outcome.DISMISSED, dismiss_reason=reason.strip())
    return hit


@transaction.atomic
def demonstration_nominate(*, application: StarApplication, level: str, acting_user: User) -> DemonstrationNomination:
    """示范村 nominations come only from 4–5 star villages; the model refuses any other."""
    require(keeps_the_stars(acting_user, application))
    nomination = DemonstrationNomination(application=application, level=level, nominated_by=acting_user)
    nomination.save()
    return nomination


@transaction.atomic
def improvement_plan_save(*, application: StarApplication, acting_user: User, **fields: object) -> ImprovementPlan:
    """The improvement plan (改进提升计划) of a village at one or two stars; saving again updates it."""
    require(can_plan(acting_user, application))
    stars = application.current_stars()
    if stars is None or stars > IMPROVEMENT_MAX_STARS:
        raise ValidationError(_("An improvement plan is made for a village rated one or two stars."))
    plan = ImprovementPlan.objects.filter(application=application).first() or ImprovementPlan(application=application)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.recorded_by = acting_user
    audited_save(plan, acting_user)
    return plan
