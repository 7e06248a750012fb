"""Building inspection rounds and findings for tests."""

from datetime import date, timedelta

from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services
from inspections.models import Finding, FindingCategory, InspectionRound
from inspections.standard import ensure_categories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def category(code: str = "sanzi") -> FindingCategory:
    ensure_categories(django_apps)  # a transactional test before this one may have flushed them
    return FindingCategory.objects.get(code=code)


def inspection(
    cast, *, kind=InspectionRound.Kind.DISTRICT, starts_on=date(2025, 3, 1), villages=(), by="staff", **extra
):
    """A round of the county of `by` (a staff member of the cast)."""
    fields = {"name": f"{starts_on.year}年巡察", "team": "第一巡察组", "team_leader": "周组长", "theme": ""}
    fields.update(extra)
    if kind == InspectionRound.Kind.THEMATIC and not fields["theme"]:
        fields["theme"] = "惠农资金"
    return services.round_create(
        acting_user=cast.users[by],
        villages=villages,
        kind=kind,
        starts_on=starts_on,
        ends_on=fields.pop("ends_on", starts_on + timedelta(days=20)),
        **fields,
    )


def finding(
    cast, round_=None, *, village=None, found_on=None, due_on=None, owner="secretary_a", by="staff", **extra
) -> Finding:
    """A finding recorded by `by` (a staff member of the round's county), of village A unless given."""
    round_ = round_ or inspection(cast, by=by)
    found_on = found_on or round_.starts_on
    fields = {"description": "集体资金坐收坐支", "measure": "纳入村账镇代理", "responsible_person": "王某"}
    fields.update(extra)
    return services.finding_record(
        round_=round_,
        acting_user=cast.users[by],
        village=village or cast.village_a,
        category=category(),
        owner=cast.users[owner],
        found_on=found_on,
        due_on=due_on or found_on + timedelta(days=60),
        **fields,
    )


def pdf(name: str = "整改照片.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def closed(cast, finding_: Finding, *, on: date, by="staff") -> Finding:
    """Progress with evidence by the owner, submitted, closed by `by` on `on`."""
    owner = finding_.owner
    services.progress_record(finding=finding_, acting_user=owner, note="已整改", uploads=[pdf()])
    services.closure_submit(finding=finding_, acting_user=owner)
    return services.finding_close(finding=finding_, acting_user=cast.users[by], verification="核查属实", today=on)
