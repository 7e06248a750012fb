"""Writes of the star criteria (评定标准) of the three subjects: the year's city-wide default made from
stars/standard.py, next year's copy of a year's criteria, and a county's own copy of the default (with its
pilot so far). Kept beside stars.services, whose applications are filed against these criteria."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.copying import copy_of
from core.services import audited_save
from villages.models import District

from . import standard
from .models import (
    StarApplication,
    StarCriteria,
    StarDimension,
    StarItem,
    StarPilotStage,
    StarPilotTownship,
    StarVetoItem,
    Subject,
)


@transaction.atomic
def star_criteria_default(year: int, subject: str = Subject.VILLAGE) -> StarCriteria:
    """The year's city-wide criteria of the subject; created from the default standard when the year has
    none. Idempotent."""
    default = standard.SUBJECTS[Subject(subject)]
    criteria, created = StarCriteria.objects.get_or_create(
        year=year, district=None, subject=subject, defaults=default.settings
    )
    if not created:
        return criteria
    for position, (code, name, items) in enumerate(default.dimensions):
        dimension = StarDimension.objects.create(criteria=criteria, code=code, name=name, position=position)
        StarItem.objects.bulk_create(
            StarItem(dimension=dimension, code=item_code, name=item_name, max_points=Decimal(points), position=index)
            for index, (item_code, item_name, points) in enumerate(items)
        )
    StarVetoItem.objects.bulk_create(
        StarVetoItem(criteria=criteria, code=code, name=name, rule=rule) for code, name, rule in default.veto_items
    )
    return criteria


# The fields next year's criteria do not copy (core.copying): they stay the same county's.
STAR_CRITERIA_COPY_EXCLUDES = {"year"}  # the year copied to
# …nor a county's copy of the city-wide default: the same year, the county's.
COUNTY_CRITERIA_COPY_EXCLUDES = {"district"}
# …nor of their dimensions, items and veto items.
STAR_PART_COPY_EXCLUDES = {"criteria"}  # re-pointed to next year's criteria
STAR_ITEM_COPY_EXCLUDES = {"dimension"}  # re-pointed to next year's dimension


def _copy_parts(source: StarCriteria, copy: StarCriteria, acting_user: User) -> None:
    # Row by row, not in bulk, so that the history (and the audit log) holds every copied part.
    for dimension in source.dimensions.prefetch_related("items"):
        new = copy_of(dimension, exclude=STAR_PART_COPY_EXCLUDES, criteria=copy)
        audited_save(new, acting_user)
        for item in dimension.items.all():
            audited_save(copy_of(item, exclude=STAR_ITEM_COPY_EXCLUDES, dimension=new), acting_user)
    for veto_item in source.veto_items.all():
        audited_save(copy_of(veto_item, exclude=STAR_PART_COPY_EXCLUDES, criteria=copy), acting_user)


@transaction.atomic
def star_criteria_copy(*, source: StarCriteria, year: int, acting_user: User) -> StarCriteria:
    """Next year's criteria of the same county (or the next default) as a copy of `source` (dimensions,
    items, thresholds, veto items), to edit."""
    if StarCriteria.objects.filter(year=year, district=source.district_id, subject=source.subject).exists():
        raise ValidationError(_("Star criteria for %(year)s exist already.") % {"year": year})
    copy = copy_of(source, exclude=STAR_CRITERIA_COPY_EXCLUDES, year=year)
    audited_save(copy, acting_user)
    _copy_parts(source, copy, acting_user)
    return copy


@transaction.atomic
def criteria_copy_for_county(*, criteria: StarCriteria, district: District, acting_user: User) -> StarCriteria:
    """The county's own criteria of the year as a copy of the city-wide default, to adjust (thresholds,
    items, veto items). The county's pilot so far moves over with it; refused once the county's villages
    have applied on the default (their points were given on it)."""
    if criteria.district_id is not None:
        raise ValidationError(_("A county copies the city-wide criteria, not another county's."))
    if StarCriteria.objects.filter(year=criteria.year, district=district, subject=criteria.subject).exists():
        raise ValidationError(
            _("%(county)s has its star criteria of %(year)s already.") % {"county": district, "year": criteria.year}
        )
    if criteria.applications.filter(township__district=district).exists():
        raise ValidationError(
            _("Villages of %(county)s have applied on the city-wide criteria of %(year)s already.")
            % {"county": district, "year": criteria.year}
        )
    copy = copy_of(criteria, exclude=COUNTY_CRITERIA_COPY_EXCLUDES, district=district)
    audited_save(copy, acting_user)
    _copy_parts(criteria, copy, acting_user)
    for stage in StarPilotStage.objects.filter(criteria=criteria, district=district):
        stage.criteria = copy
        audited_save(stage, acting_user)
    for row in StarPilotTownship.objects.filter(criteria=criteria, township__district=district):
        row.criteria = copy
        audited_save(row, acting_user)
    return copy


def star_criteria_is_locked(criteria: StarCriteria) -> bool:
    """Criteria that an application was filed against no longer change (its points were given on them)."""
    return criteria.applications.exclude(status=StarApplication.Status.DRAFT).exists()
