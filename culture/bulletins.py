"""Writes of the 典型案例通报 (DESIGN.md section 11), each audited (core.services.audited_save).

A county's staff compose a bulletin (title, foreword) from the sanctions the county recorded in its
inspections (`inspections.PersonHandled`), one anonymised case per person: the post, what was done, the
handling and the lesson. A bulletin never names anyone: every text of the bulletin is checked against the
names of all the persons its cases are built from, and a text holding one is refused with nothing saved.
Issuing (草稿 → 已印发, with the day) makes it read-only. The townships of the county then hold their
通报会 (警示教育) and record it: the day and the attendance.

Every change to a bulletin or to one of its cases moves the bulletin's version on: a form filled in against
an older version is refused (core.versioning)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.services import audited_save, require, versioned_change
from core.versioning import check_version
from inspections.models import PersonHandled
from villages.models import District, Township

from .models import BulletinCase, BulletinMeeting, CaseBulletin, records_for_township

# The error messages, asserted word for word by the tests. None of them repeats the name it found: the
# page that shows the error must not show the name either.
NAMED = _(
    "This text holds the name of a person of the bulletin's cases: a bulletin never names anyone. "
    "Call the person by the post instead."
)
NAMED_ELSEWHERE = _(
    "The bulletin's title, foreword or another of its cases holds the name of this person: take it out there first."
)
ISSUED = _("The bulletin is issued: it can no longer be changed.")
NO_CASES = _("A bulletin is issued with at least one case.")
PERSON_OF_ANOTHER_COUNTY = _("A bulletin's cases come from the persons handled of its own county.")
ALREADY_A_CASE = _("This person's case is in the bulletin already.")
NOT_ISSUED = _("A meeting is recorded on an issued bulletin.")
MEETING_BEFORE_ISSUE = _("The meeting cannot be held before the bulletin was issued.")
MEETING_IN_THE_FUTURE = _("A meeting is recorded once it was held.")
MEETING_RECORDED = _("The township's meeting on this bulletin is recorded already.")
TOWNSHIP_OF_ANOTHER_COUNTY = _("Only the bulletin's county's townships hold its meetings.")

# 复姓: the surname of these names is two characters; otherwise the first character is the surname.
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "公孙",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "端木",
    "南宫",
    "西门",
)
# What is ignored when looking for a name: spaces of any width and the separators of a transcribed name,
# so that "王 建 国" or "阿卜杜·热合曼" are caught as well as "王建国".
_IGNORED = re.compile(r"[\s·•・.。\-_]+")


def _plain(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).casefold()


def name_forms(name: str) -> frozenset[str]:
    """The forms of a person's name a bulletin must not hold: the full name (spaces and separators taken
    out), and the given name alone when it has two characters or more (a one-character given name alone is
    an ordinary word, as is a surname). A form of one character is never looked for."""
    full = _plain(name)
    surname = next((compound for compound in COMPOUND_SURNAMES if full.startswith(compound)), full[:1])
    given = full[len(surname) :]
    return frozenset(form for form in (full, given) if len(form) >= 2)


def holds_a_name(text: str, forms: Iterable[str]) -> bool:
    plain = _plain(text)
    return any(form in plain for form in forms)


def composes_bulletins(user: User, district_id: int) -> bool:
    """A county's staff compose, change and issue its bulletins."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


def records_meeting(user: User, bulletin: CaseBulletin, township: Township) -> bool:
    """A township's own secretary (or its county's staff) records the township's 通报会 on an issued
    bulletin of the township's county."""
    return township.district_id == bulletin.district_id and records_for_township(user, township)


def _forms_of(persons: Iterable[PersonHandled]) -> frozenset[str]:
    return frozenset(form for person in persons for form in name_forms(person.name))


def _persons_of(bulletin: CaseBulletin) -> list[PersonHandled]:
    """The persons the bulletin's cases are built from (their names are read here, and only here)."""
    return list(PersonHandled.objects.filter(pk__in=bulletin.cases.values("person_id")).only("pk", "name"))


def _case_texts(case: BulletinCase) -> list[str]:
    return [case.post, case.facts, case.handling, case.lesson]


def _refuse_names(*, edited: Mapping[str, str], others: Iterable[str], persons: Iterable[PersonHandled]) -> None:
    """The texts being saved (`edited`, field → text) and the rest of the bulletin (`others`) hold no form
    of the name of any of `persons`: a field error for each edited text that does, else one error for the
    bulletin's other texts."""
    forms = _forms_of(persons)
    named = {field: NAMED for field, text in edited.items() if holds_a_name(text, forms)}
    if named:
        raise ValidationError(named, code="named")
    if any(holds_a_name(text, forms) for text in others):
        raise ValidationError(NAMED_ELSEWHERE, code="named")


def bulletin_state(bulletin: CaseBulletin) -> str:
    return str(bulletin.get_status_display())


def bulletin_check_version(bulletin: CaseBulletin, version: int | None) -> None:
    """A form filled in against an older version of the bulletin is refused before anything else."""
    check_version(bulletin, version, what=str(_("bulletin")), state=lambda: bulletin_state(bulletin))


def _locked(bulletin: CaseBulletin, version: int | None, acting_user: User) -> CaseBulletin:
    """The bulletin locked for the change, if the user composes its county's bulletins, it is the version the
    form was filled in against, and it is still a draft."""
    locked = CaseBulletin.objects.select_for_update().get(pk=bulletin.pk)
    require(composes_bulletins(acting_user, locked.district_id))
    bulletin_check_version(locked, version)
    if locked.status != CaseBulletin.Status.DRAFT:
        raise ValidationError(ISSUED, code="wrong_status")
    return locked


@transaction.atomic
def bulletin_create(*, district: District, title: str, foreword: str, acting_user: User) -> CaseBulletin:
    """A draft bulletin of the county (it has no case yet, so no name to refuse)."""
    require(composes_bulletins(acting_user, district.pk))
    bulletin = CaseBulletin(district=district, title=title.strip(), foreword=foreword.strip(), recorded_by=acting_user)
    return audited_save(bulletin, acting_user)


@transaction.atomic
def bulletin_update(
    *, bulletin: CaseBulletin, version: int | None, title: str, foreword: str, acting_user: User
) -> CaseBulletin:
    """A draft's title and foreword change; neither may hold the name of a person of its cases."""
    bulletin = _locked(bulletin, version, acting_user)
    title, foreword = title.strip(), foreword.strip()
    _refuse_names(edited={"title": title, "foreword": foreword}, others=(), persons=_persons_of(bulletin))
    return versioned_change(bulletin, acting_user, title=title, foreword=foreword)


@transaction.atomic
def case_add(
    *,
    bulletin: CaseBulletin,
    version: int | None,
    person: PersonHandled,
    post: str,
    facts: str,
    handling: str,
    lesson: str,
    acting_user: User,
) -> BulletinCase:
    """A case of the draft, built from a person handled of its county; no text of the bulletin may hold the
    name of this person or of the persons of its other cases."""
    bulletin = _locked(bulletin, version, acting_user)
    person = PersonHandled.objects.select_related("round").get(pk=person.pk)
    if person.round.district_id != bulletin.district_id:
        raise ValidationError(PERSON_OF_ANOTHER_COUNTY)
    if bulletin.cases.filter(person=person).exists():
        raise ValidationError(ALREADY_A_CASE)
    case = BulletinCase(
        bulletin=bulletin,
        person=person,
        post=post.strip(),
        facts=facts.strip(),
        handling=handling.strip(),
        lesson=lesson.strip(),
        order=(bulletin.cases.aggregate(last=Max("order"))["last"] or 0) + 1,
    )
    others = [
        bulletin.title,
        bulletin.foreword,
        *(text for other in bulletin.cases.all() for text in _case_texts(other)),
    ]
    edited = {"post": case.post, "facts": case.facts, "handling": case.handling, "lesson": case.lesson}
    _refuse_names(edited=edited, others=others, persons=[*_persons_of(bulletin), person])
    audited_save(case, acting_user)
    versioned_change(bulletin, acting_user)
    return case


@transaction.atomic
def case_update(
    *, case: BulletinCase, version: int | None, post: str, facts: str, handling: str, lesson: str, acting_user: User
) -> BulletinCase:
    """A case's texts change; none may hold the name of a person of the bulletin's cases."""
    bulletin = _locked(case.bulletin, version, acting_user)
    case = BulletinCase.objects.get(pk=case.pk, bulletin=bulletin)
    edited = {"post": post.strip(), "facts": facts.strip(), "handling": handling.strip(), "lesson": lesson.strip()}
    _refuse_names(edited=edited, others=(), persons=_persons_of(bulletin))
    for field, text in edited.items():
        setattr(case, field, text)
    audited_save(case, acting_user)
    versioned_change(bulletin, acting_user)
    return case


@transaction.atomic
def case_remove(*, case: BulletinCase, version: int | None, acting_user: User) -> CaseBulletin:
    """A case leaves the draft (its deletion is audited)."""
    bulletin = _locked(case.bulletin, version, acting_user)
    case = BulletinCase.objects.get(pk=case.pk, bulletin=bulletin)
    case._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    case.delete()
    return versioned_change(bulletin, acting_user)


@transaction.atomic
def bulletin_issue(
    *, bulletin: CaseBulletin, version: int | None, acting_user: User, today: date | None = None
) -> CaseBulletin:
    """草稿 → 已印发 on the day: from now on it is read-only, its county's secretaries read it and their
    townships record their meetings. Its texts are checked once more against every name."""
    bulletin = _locked(bulletin, version, acting_user)
    cases = list(bulletin.cases.all())
    if not cases:
        raise ValidationError(NO_CASES, code="wrong_status")
    texts = [bulletin.title, bulletin.foreword, *(text for case in cases for text in _case_texts(case))]
    _refuse_names(edited={}, others=texts, persons=_persons_of(bulletin))
    return versioned_change(
        bulletin, acting_user, status=CaseBulletin.Status.ISSUED, issued_on=today or timezone.localdate()
    )


@transaction.atomic
def meeting_record(
    *,
    bulletin: CaseBulletin,
    township: Township,
    held_on: date,
    attendance: int,
    acting_user: User,
    today: date | None = None,
) -> BulletinMeeting:
    """The township held its 通报会 on the bulletin: the day (from the issue to today) and the attendance.
    Recorded once per township."""
    bulletin = CaseBulletin.objects.select_for_update().get(pk=bulletin.pk)
    if township.district_id != bulletin.district_id:
        raise ValidationError(TOWNSHIP_OF_ANOTHER_COUNTY)
    require(records_meeting(acting_user, bulletin, township))
    if bulletin.status != CaseBulletin.Status.ISSUED or bulletin.issued_on is None:
        raise ValidationError(NOT_ISSUED, code="wrong_status")
    if held_on < bulletin.issued_on:
        raise ValidationError({"held_on": MEETING_BEFORE_ISSUE})
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": MEETING_IN_THE_FUTURE})
    if BulletinMeeting.objects.filter(bulletin=bulletin, township=township).exists():
        raise ValidationError(MEETING_RECORDED)
    meeting = BulletinMeeting(
        bulletin=bulletin, township=township, held_on=held_on, attendance=attendance, recorded_by=acting_user
    )
    return audited_save(meeting, acting_user)
