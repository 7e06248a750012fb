"""Writes of the index's publicity (公示): the objections residents file while a published round is in its
publicity period, their answer by the county's staff, and the correction that answers upheld ones.

A resident files without an account: the optional contact is encrypted before it is written (core.crypto,
the record's random id bound in), the text and the receipt code are kept out of the audit log
(IndexObjection.AUDIT_CONFIDENTIAL). Only the county's staff, who must reply, read the contact, and each
read is an audit row, as the petition office's reads of a petitioner's identity are.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from audit.models import EventType
from audit.services import record_event
from core import crypto
from core.services import audited_save, require
from villages.models import Village

from .models import IndexObjection, Round, VillageResult, of_own_county
from .services import round_correct

PUBLICITY_CLOSED = gettext_lazy(
    "The publicity period of the %(period)s index ended on %(date)s: objections are no longer received online. "
    "Write to or call the district commission (12388)."
)
NOT_IN_THE_ROUND = gettext_lazy("%(village)s is not in the %(period)s index.")
ALREADY_ANSWERED = gettext_lazy("This objection has been answered already.")
NOT_UPHELD = gettext_lazy("Only an upheld objection is answered by a correction.")
ALREADY_CORRECTED = gettext_lazy("This objection is answered by the correction %(round)s already.")
CORRECTION_NEEDS_REASON = gettext_lazy("A correction needs a reason.")
OBJECTION_RECEIVED = gettext_lazy("A resident objected to the %(period)s index (%(village)s): answer it.")
OBJECTION_RECORDED = gettext_lazy(
    "An objection to the %(period)s index (%(village)s) was received by %(channel)s: answer it."
)
NOT_A_CHANNEL = gettext_lazy("Say how the objection was received: letter, telephone or visit.")
NOT_PUBLISHED = gettext_lazy("The %(period)s index is not published: there is nothing to object to yet.")
# The correction's public note names the objections it answers; stored with the reason, in the commission's
# own words whatever the page's language (as a county's scheme is named).
ANSWERS_MARK = "（回应公示期异议："
ANSWERS_OBJECTIONS = ANSWERS_MARK + "%s）"

# 4 groups of 4 from 32 letters and digits that cannot be misread (no 0/O, 1/I/L): 80 bits, not guessable.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_GROUPS = 4


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4 * RECEIPT_GROUPS))


def _context(objection: IndexObjection) -> str:
    return f"index-objection:{objection.uid}:contact"


@transaction.atomic
def objection_submit(*, round_: Round, village: Village, content: str, contact: str = "") -> IndexObjection:
    """A resident's objection to a village's result in a published round, while its publicity period is open.
    The county's staff are told; the resident keeps the receipt code."""
    round_ = Round.objects.select_for_update().select_related("period").get(pk=round_.pk)  # numbers in order
    if not round_.is_published or not round_.in_publicity:
        raise ValidationError(
            PUBLICITY_CLOSED % {"period": round_.period, "date": round_.publicity_ends_on or "—"}, code="closed"
        )
    if not VillageResult.objects.filter(round=round_, village=village).exists():
        raise ValidationError(NOT_IN_THE_ROUND % {"village": village, "period": round_.period}, code="village")
    objection = objection_submitted(round_=round_, village=village, content=content, contact=contact)
    notices_send_on_commit(
        users=users_with_role(Role.COMMISSION_STAFF, district_id=round_.period.district_id),
        message=OBJECTION_RECEIVED,
        params={"period": round_.period, "village": village.name},
        link=reverse("scoring:objection", args=[objection.pk]),
        key=f"index-objection-{objection.pk}",
        acting_user=None,
    )
    return objection


def objection_submitted(
    *,
    round_: Round,
    village: Village,
    content: str,
    contact: str,
    channel: str = IndexObjection.Channel.ONLINE,
    acting_user: User | None = None,
) -> IndexObjection:
    """Write an objection as received: numbered in its round, with a new receipt code and the contact
    encrypted. The form's checks (window, village) are objection_submit's; the demo writes past ones here."""
    last = IndexObjection.objects.filter(round=round_).aggregate(last=Max("number"))["last"] or 0
    objection = IndexObjection(round=round_, village=village, number=last + 1, content=content.strip(), channel=channel)
    objection.receipt_code = new_receipt_code()
    objection.contact_ciphertext = crypto.encrypt(contact.strip(), context=_context(objection))
    return audited_save(objection, acting_user)


def can_record(user: User, round_: Round) -> bool:
    """The county's staff record the objections that reach them by letter, telephone or visit."""
    return user.has_role(Role.COMMISSION_STAFF) and of_own_county(round_, user)


@transaction.atomic
def objection_record(
    *, round_: Round, village: Village, content: str, contact: str, channel: str, acting_user: User
) -> IndexObjection:
    """An objection received by letter, telephone or visit, written by the county's staff as the public
    form would have written it (numbered, a receipt code for the staff to pass on, the contact encrypted)
    and answered the same way. The round must be published; the window is not checked, since after it the
    public form sends residents to write or call."""
    round_ = Round.objects.select_for_update().select_related("period").get(pk=round_.pk)  # numbers in order
    require(can_record(acting_user, round_))
    if channel not in IndexObjection.Channel.values or channel == IndexObjection.Channel.ONLINE:
        raise ValidationError({"channel": NOT_A_CHANNEL})
    if not round_.is_published:
        raise ValidationError(NOT_PUBLISHED % {"period": round_.period}, code="not_published")
    if not VillageResult.objects.filter(round=round_, village=village).exists():
        raise ValidationError(NOT_IN_THE_ROUND % {"village": village, "period": round_.period}, code="village")
    objection = objection_submitted(
        round_=round_, village=village, content=content, contact=contact, channel=channel, acting_user=acting_user
    )
    notices_send_on_commit(
        users=users_with_role(Role.COMMISSION_STAFF, district_id=round_.period.district_id),
        message=OBJECTION_RECORDED,
        params={"period": round_.period, "village": village.name, "channel": objection.get_channel_display()},
        link=reverse("scoring:objection", args=[objection.pk]),
        key=f"index-objection-{objection.pk}",
        acting_user=acting_user,
    )
    return objection


def can_answer(user: User, objection: IndexObjection) -> bool:
    """The county's staff answer the objections to its index (and so read the contact, to reply)."""
    return user.has_role(Role.COMMISSION_STAFF) and of_own_county(objection.round, user)


def objection_contact_read(*, objection: IndexObjection, acting_user: User, request: HttpRequest | None) -> str:
    """The resident's contact, for the county's staff only; every read is an audit row (never the value)."""
    require(can_answer(acting_user, objection))
    if not objection.contact_ciphertext:
        return ""
    record_event(
        EventType.DOWNLOADED, actor=acting_user, request=request, target=objection, data={"what": "objector contact"}
    )
    return crypto.decrypt(objection.contact_ciphertext, context=_context(objection))


@transaction.atomic
def objection_answer(*, objection: IndexObjection, upheld: bool, answer: str, acting_user: User) -> IndexObjection:
    """答复: upheld or not, with the answer the resident reads by the receipt code. Answered once: an
    upheld objection then leads to a correction (objection_correction_open)."""
    require(can_answer(acting_user, objection))
    objection = IndexObjection.objects.select_for_update().select_related("round__period").get(pk=objection.pk)
    if objection.upheld is not None:
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    objection.upheld, objection.answer = upheld, answer.strip()
    objection.answered_by, objection.answered_at = acting_user, timezone.now()
    return audited_save(objection, acting_user)


@transaction.atomic
def objection_correction_open(*, objection: IndexObjection, reason: str, acting_user: User) -> Round:
    """An upheld objection is answered by a correction revision of its round (scoring.services.round_correct):
    a new one with `reason`, or the draft correction already being prepared. The correction records the
    objections it answers, and its reason, which the public pages show, names them."""
    require(can_answer(acting_user, objection))
    objection = IndexObjection.objects.select_for_update().select_related("round__period").get(pk=objection.pk)
    if not objection.upheld:
        raise ValidationError(NOT_UPHELD, code="not_upheld")
    if objection.correction_id is not None:
        raise ValidationError(ALREADY_CORRECTED % {"round": objection.correction}, code="corrected")
    correction = Round.objects.filter(corrects=objection.round, status=Round.Status.DRAFT).first()
    answered = [*(correction.answered_objections.all() if correction else []), objection]
    note = ANSWERS_OBJECTIONS % "、".join(sorted(answered_one.reference for answered_one in answered))
    if correction is None:
        if not reason.strip():
            raise ValidationError({"reason": CORRECTION_NEEDS_REASON})
        correction = round_correct(round_=objection.round, acting_user=acting_user, reason=reason.strip() + note)
    else:
        correction.correction_reason = correction.correction_reason.partition(ANSWERS_MARK)[0] + note
        audited_save(correction, acting_user, reason=correction.correction_reason, clean=False)
    objection.correction = correction
    audited_save(objection, acting_user, clean=False)
    return correction
