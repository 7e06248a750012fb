"""Writes of the pilot (试点先行): a year's star criteria switched on for chosen townships of a county
first (沙溪镇, then two more), then for the whole county (全县推开), each stage recorded with its day
and who decided it. Kept beside stars.services, whose application_save refuses a township not taking part."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notices_send_on_commit
from core.publication import bump_public_generation
from core.services import audited_save, require
from villages.models import District, Township

from . import selectors
from .models import StarCriteria, StarPilotStage, StarPilotTownship
from .services import acts_in_county

PILOT_ROLLED_OUT = gettext_lazy("The whole county takes part already.")
PILOT_NEEDS_TOWNSHIPS = gettext_lazy("Choose the townships that join the pilot, or the whole county, not both.")
PILOT_JOINED_NOTICE = gettext_lazy(
    "From %(day)s your township takes part in the %(year)s star rating: its villages may apply."
)


def can_manage_pilot(user: User, district: District) -> bool:
    """The county's staff bring townships into the pilot of the criteria their county is rated on."""
    return acts_in_county(user, Role.COMMISSION_STAFF, district.pk)


@transaction.atomic
def pilot_stage_record(
    *,
    criteria: StarCriteria,
    district: District,
    acting_user: User,
    starts_on: date,
    townships: list[Township],
    whole_county: bool,
    note: str = "",
) -> StarPilotStage:
    """A stage of the county's pilot: from `starts_on`, `townships` take part too, or the whole county
    (全县推开, the end of the pilot). The first stage starts the pilot. Stages only add: a township whose
    villages applied keeps taking part. The secretaries of the townships that join are told."""
    require(can_manage_pilot(acting_user, district))
    criteria = StarCriteria.objects.select_for_update().get(pk=criteria.pk)  # one stage at a time
    if criteria != selectors.criteria_applying(district.pk, criteria.year):
        raise PermissionDenied
    if bool(townships) == whole_county:
        raise ValidationError(PILOT_NEEDS_TOWNSHIPS, code="townships")
    if any(township.district_id != district.pk for township in townships):
        raise PermissionDenied
    stages = StarPilotStage.objects.filter(criteria=criteria, district=district)
    if stages.filter(whole_county=True).exists():
        raise ValidationError(PILOT_ROLLED_OUT, code="rolled_out")
    last = stages.order_by("-starts_on").first()
    if last and starts_on < last.starts_on:
        raise ValidationError(
            _("A stage starts on or after the last one (%(day)s).") % {"day": last.starts_on}, code="starts_on"
        )
    pilot = selectors.pilot_townships(criteria, district.pk)
    joined = [township for township in townships if township in pilot]
    if joined:
        raise ValidationError(
            _("Already in the pilot: %(townships)s") % {"townships": "、".join(map(str, joined))}, code="townships"
        )
    left_out = Township.objects.filter(district=district, villages__star_applications__criteria=criteria).exclude(
        pk__in=[township.pk for township in pilot + townships]
    )
    if not whole_county and left_out.exists():
        raise ValidationError(
            _("Villages of %(townships)s applied already: their townships stay in the pilot.")
            % {"townships": "、".join(str(township) for township in left_out.distinct())},
            code="applied",
        )
    stage = StarPilotStage(
        criteria=criteria,
        district=district,
        starts_on=starts_on,
        whole_county=whole_county,
        note=note,
        recorded_by=acting_user,
    )
    audited_save(stage, acting_user)
    for township in townships:
        audited_save(StarPilotTownship(criteria=criteria, township=township, stage=stage), acting_user)
    # Who may apply from now on: the townships added, or on the roll-out those the pilot had left out.
    joining: Iterable[Township] = townships
    if whole_county:
        joining = district.townships.exclude(pk__in=[township.pk for township in pilot]) if pilot else []
    notices_send_on_commit(
        users=users_with_role(Role.TOWNSHIP_SECRETARY).filter(township__in=joining),
        message=PILOT_JOINED_NOTICE,
        params={"year": criteria.year, "day": starts_on},
        link=reverse("stars:list") + f"?year={criteria.year}",
        key=f"star-pilot-{stage.pk}",
        acting_user=acting_user,
    )
    transaction.on_commit(bump_public_generation)
    return stage
