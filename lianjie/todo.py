"""The to-do page (今日待办): what waits for each role today, read from the apps' selectors, each thing a
link to the page where it is done. Every kind of thing is listed, with its count, even when nothing waits:
a zero says that nothing was forgotten."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from cities import selectors as cities
from decisions import selectors as decisions
from inspections import selectors as inspections
from petitions import selectors as petitions
from petitions.models import Petition
from reports import selectors as reports
from scoring import objection_selectors as index_objections
from scoring import todo_selectors as scoring
from scoring.models import Round
from stars import selectors as stars
from workplan import selectors as workplan

# Findings and improvement plans count as due this many days ahead; publicity as ending this many.
DUE_WITHIN_DAYS = 7
PUBLICITY_ENDING_WITHIN_DAYS = 3
# A kind that has a list page of its own shows its first lines here and links to the rest.
LINES_SHOWN = 10


@dataclass(frozen=True)
class Line:
    """One thing to do: what, a note (when it is due, why), and the page where it is done."""

    text: str
    url: str
    note: str = ""
    late: bool = False  # past its date
    done: bool = False  # a part already complete (a township's scores all entered)


@dataclass(frozen=True)
class Item:
    """One kind of thing to do, with its count."""

    key: str
    label: str
    lines: list[Line]
    url: str = ""  # the list page of every one of them, if there is one
    counted: int | None = None  # when the count is not one per line (rounds, shown by township)
    lines_shown: int | None = LINES_SHOWN  # None: every line, though a list page exists

    @property
    def count(self) -> int:
        return len(self.lines) if self.counted is None else self.counted

    @property
    def shown(self) -> list[Line]:
        return self.lines[: self.lines_shown] if self.url and self.lines_shown else self.lines

    @property
    def more(self) -> int:
        return len(self.lines) - len(self.shown)


def _due(day: date, today: date) -> tuple[str, bool]:
    """The note of a due date and whether it has passed."""
    if day < today:
        return _("due %(date)s, overdue") % {"date": day}, True
    return _("due %(date)s") % {"date": day}, False


def _stars(level: int) -> str:
    return "★" * level


def _round(round_: Round) -> str:
    return _("%(period)s round (revision %(revision)s)") % {"period": round_.period, "revision": round_.revision}


def _case(petition: Petition) -> str:
    """A case as lists name it: its number, township and subject (never the petitioner)."""
    return _("Case %(number)s · %(township)s · %(subject)s") % {
        "number": petition.pk,
        "township": petition.township.name,
        "subject": petition.get_category_display(),
    }


def _secretary(user: User, today: date) -> list[Item]:
    soon = today + timedelta(days=DUE_WITHIN_DAYS)
    gaps = scoring.follow_up_gaps(user)
    follow_up = reverse("scoring:follow_up", args=[user.township.code]) if user.township else ""
    return [
        Item(
            "findings",
            _("Findings due within %(days)s days or overdue") % {"days": DUE_WITHIN_DAYS},
            [
                Line(
                    f"{finding.village.name} · {Truncator(finding.description).chars(30)}",
                    reverse("inspections:finding", args=[finding.pk]),
                    *_due(finding.due_on, today),
                )
                for finding in inspections.findings_due(user, soon)
            ],
            url=reverse("inspections:findings"),
        ),
        Item(
            "plans",
            _("Improvement plans due within %(days)s days or overdue") % {"days": DUE_WITHIN_DAYS},
            [
                Line(
                    plan.application.village.name,
                    reverse("stars:plan", args=[plan.application_id]),
                    *_due(plan.due_on, today),
                )
                for plan in stars.plans_due(user, soon)
            ],
        ),
        Item(
            "diagnoses",
            _("Bottom-three villages without a diagnosis (问诊)"),
            [
                Line(
                    result.village.name,
                    reverse("scoring:diagnosis_new", args=[result.village.code]),
                    _("rank %(rank)s in the township, %(total)s points")
                    % {"rank": result.township_rank, "total": result.total},
                )
                for result in gaps.undiagnosed
            ],
            url=follow_up,
            lines_shown=None,
        ),
        Item(
            "rectification",
            _("C villages without rectification goals"),
            [
                Line(
                    result.village.name,
                    reverse("scoring:rectification", args=[result.village.code]),
                    _("%(total)s points") % {"total": result.total},
                )
                for result in gaps.without_goals
            ],
            url=follow_up,
            lines_shown=None,
        ),
        Item(
            "applications",
            _("Star applications waiting for the township"),
            [
                Line(
                    f"{application.rated.name} {application.criteria.level_name(application.level_applied)}",
                    application.apply_url()
                    if application.is_returned
                    else reverse("stars:application", args=[application.pk]),
                    application.get_status_display(),
                )
                for application in stars.applications_awaiting_township(user)
            ],
            url=reverse("stars:list"),
        ),
        _objections(user),
        Item(
            "publicity",
            _("Publicity ending within %(days)s days") % {"days": PUBLICITY_ENDING_WITHIN_DAYS},
            [
                Line(
                    f"{application.rated.name} {application.criteria.level_name(application.decided_level)}",
                    reverse("stars:application", args=[application.pk]),
                    _("publicity ends %(date)s") % {"date": application.publicity_ends_on},
                )
                for application in stars.publicity_ending(user, today + timedelta(days=PUBLICITY_ENDING_WITHIN_DAYS))
            ],
            url=reverse("stars:list") + "?status=publicity",
        ),
        Item(
            "decisions_returned",
            _("Major decision reports returned to be completed"),
            [
                Line(
                    f"{decision.year}-{decision.number} · {Truncator(decision.subject).chars(30)}",
                    reverse("decisions:decision", args=[decision.pk]),
                    Truncator(decision.review_opinion).chars(40),
                )
                for decision in decisions.returned_to(user)
            ],
            url=reverse("decisions:home"),
        ),
    ]


def _objections(user: User) -> Item:
    return Item(
        "objections",
        _("Star objections to answer"),
        [
            Line(
                f"{objection.application.rated.name} "
                f"{objection.application.criteria.level_name(objection.application.decided_level)}",
                reverse("stars:application", args=[objection.application_id]),
                _("received %(date)s") % {"date": objection.received_on},
            )
            for objection in stars.objections_to_answer(user)
        ],
    )


def _entered(entered: int, expected: int) -> str:
    return _("%(entered)s of %(expected)s scores entered") % {"entered": entered, "expected": expected}


def _entry_lines(in_entry: scoring.RoundInEntry) -> list[Line]:
    """The round (submitted from its page once every score is in), then each township's grid."""
    round_ = in_entry.round
    return [
        Line(
            _round(round_),
            reverse("scoring:round", args=[round_.pk]),
            _("every score entered: submit it") if in_entry.done else _entered(in_entry.entered, in_entry.expected),
        ),
        *(
            Line(
                f"{_round(round_)} · {entry.township.name}",
                reverse("scoring:entry", args=[round_.pk, entry.township.code]),
                _entered(entry.entered, entry.expected),
                done=entry.done,
            )
            for entry in in_entry.townships
        ),
    ]


def _staff(user: User, today: date) -> list[Item]:
    in_entry = scoring.rounds_in_entry(user)
    return [
        Item(
            "entry",
            _("Rounds in entry"),
            [line for round_ in in_entry for line in _entry_lines(round_)],
            counted=len(in_entry),
        ),
        Item(
            "closure",
            _("Findings submitted for closure"),
            [
                Line(
                    f"{finding.village.name} · {Truncator(finding.description).chars(30)}",
                    reverse("inspections:finding", args=[finding.pk]),
                    _("followed by %(owner)s") % {"owner": finding.owner},
                )
                for finding in inspections.findings_to_close(user)
            ],
            url=reverse("inspections:findings") + "?status=submitted",
        ),
        Item(
            "returned",
            _("Rounds returned by the leader"),
            [
                Line(
                    _round(returned.round),
                    reverse("scoring:round", args=[returned.round.pk]),
                    _("%(by)s: %(reason)s") % {"by": returned.by, "reason": returned.reason},
                )
                for returned in scoring.rounds_returned(user)
            ],
        ),
        Item(
            "index_objections",
            _("Objections to the index to answer"),
            [
                Line(
                    f"{objection.reference} · {objection.village.name}",
                    reverse("scoring:objection", args=[objection.pk]),
                    _("received %(date)s") % {"date": timezone.localdate(objection.received_at)},
                )
                for objection in index_objections.objections_to_answer(user)
            ],
            url=reverse("scoring:objections"),
        ),
        Item(
            "veto_hits",
            _("Veto items hitting starred villages"),
            [
                Line(
                    f"{hit.application.village.name} {_stars(hit.stars or 0)} · {hit.item.name}",
                    reverse("stars:veto_hit_strip", args=[hit.pk]),
                    hit.event,
                )
                for hit in stars.open_veto_hits(user)
            ],
            url=reverse("stars:veto_hits"),
        ),
        Item(
            "reports",
            _("Reports to build"),
            [
                Line(
                    _("%(year)s analysis reports") % {"year": year.year},
                    reverse("reports:list") + f"?year={year.year}",
                    _("failed: %(reports)s") % {"reports": "、".join(year.failed)}
                    if year.failed
                    else _("stopped before the end: build them again")
                    if year.stalled
                    else _("not built yet"),
                    late=bool(year.failed) or year.stalled,
                )
                for year in reports.years_to_report(user.district_id)
            ],
        ),
        _work_plan(user, today),
        Item(
            "decisions_to_review",
            _("Major decision reports to review"),
            [
                Line(
                    f"{decision.township.name} · {Truncator(decision.subject).chars(30)}",
                    reverse("decisions:decision", args=[decision.pk]),
                    _("reported late, due %(date)s") % {"date": decision.due_on}
                    if decision.late
                    else _("reported %(date)s") % {"date": timezone.localdate(decision.reported_at)},
                    late=decision.late,
                )
                for decision in decisions.awaiting_review(user)
            ],
            url=reverse("decisions:home"),
        ),
    ]


def _work_plan(user: User, today: date) -> Item:
    """The county's work plan tasks not done, due within a week or overdue (staff and leaders)."""
    return Item(
        "work_plan",
        _("Work plan tasks due within %(days)s days or overdue") % {"days": workplan.DUE_WITHIN_DAYS},
        [
            Line(
                f"{task.number}. {Truncator(task.title).chars(30)}",
                reverse("workplan:task", args=[task.pk]),
                *_due(task.due_on, today),
            )
            for task in workplan.tasks_due(user, today)
        ],
        url=reverse("workplan:home"),
    )


def _leader(user: User, today: date) -> list[Item]:
    soon = petitions.due_soon(today).by
    return [
        Item(
            "rounds",
            _("Rounds to approve or publish"),
            [
                Line(
                    _round(round_),
                    reverse("scoring:round", args=[round_.pk]),
                    _("submitted: approve or return it")
                    if round_.status == Round.Status.SUBMITTED
                    else _("approved: publish it"),
                )
                for round_ in scoring.rounds_awaiting_leader(user)
            ],
        ),
        Item(
            "district_stars",
            _("Ratings awaiting the county commission's decision"),
            [
                Line(
                    f"{application.rated.name} {application.criteria.level_name(application.level_applied)}",
                    reverse("stars:application", args=[application.pk]),
                    application.township.name,
                )
                for application in stars.applications_awaiting_district(user)
            ],
            url=reverse("stars:list") + "?status=forwarded",
        ),
        _objections(user),
        Item(
            "extensions",
            _("Cases near their time to conclude, not extended"),
            [
                Line(
                    _case(petition),
                    reverse("petitions:petition", args=[petition.pk]),
                    *_due(petition.conclude_due, today),
                )
                for petition in petitions.cases_to_extend(user, soon=soon)
            ],
        ),
        Item(
            "listed",
            _("Listed cases (包案) near their deadline"),
            [
                Line(
                    _case(listing.petition),
                    reverse("petitions:petition", args=[listing.petition_id]),
                    *_due(listing.deadline, today),
                )
                for listing in petitions.listed_cases_due(user, soon=soon)
            ],
            url=reverse("petitions:board"),
        ),
        _work_plan(user, today),
    ]


def _petition_office(user: User, today: date) -> list[Item]:
    soon = petitions.due_soon(today)
    clocks = petitions.cases_by_clock(user, today=today, soon=soon.by)

    def by_clock(petition: Petition) -> Line:
        due = petition.next_legal_due
        note, late = _due(due, today) if due else ("", False)
        return Line(
            _case(petition),
            reverse("petitions:petition", args=[petition.pk]),
            f"{petition.get_status_display()} · {note}",
            late,
        )

    return [
        Item(
            "overdue",
            _("Cases past their time limit"),
            [by_clock(petition) for petition in clocks.overdue],
            url=reverse("petitions:due"),
        ),
        Item(
            "due_soon",
            _("Cases due within %(days)s working days") % {"days": soon.working_days},
            [by_clock(petition) for petition in clocks.due_soon],
            url=reverse("petitions:due"),
        ),
        Item(
            "tell",
            _("Named petitioners to tell"),
            [
                Line(
                    _case(petition),
                    reverse("petitions:petition", args=[petition.pk]),
                    (
                        _("of the result, by %(date)s")
                        if petition.status == Petition.Status.CONCLUDED
                        else _("of the acceptance, by %(date)s")
                    )
                    % {"date": petition.tell_by},
                    late=bool(petition.tell_by and petition.tell_by < today),
                )
                for petition in petitions.petitioners_to_tell(user)
            ],
        ),
    ]


def _city(user: User, today: date) -> list[Item]:
    """The city's staff and leader: the counties' 五个一 steps past their due date."""
    return [
        Item(
            "five_steps",
            _("五个一 steps overdue"),
            [
                Line(
                    f"{step.district.name} · {step.get_step_display()}",
                    reverse("cities:step", args=[step.pk]),
                    *_due(step.due_on, today),
                )
                for step in cities.overdue_steps(user, today)
            ],
            url=reverse("cities:schedule_current"),
        ),
    ]


TODO: dict[Role, Callable[[User, date], list[Item]]] = {
    Role.TOWNSHIP_SECRETARY: _secretary,
    Role.COMMISSION_STAFF: _staff,
    Role.COMMISSION_LEADER: _leader,
    Role.PETITION_OFFICER: _petition_office,
    Role.CITY_STAFF: _city,
    Role.CITY_LEADER: _city,
}


def todo_for(user: User, today: date) -> list[Item] | None:
    """The user's to-do, by role; None for the roles that have none (the administrators)."""
    build = TODO.get(user.role) if user.role else None
    return build(user, today) if build else None
