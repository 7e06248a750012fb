"""An edit of the organisation tree in the admin goes through villages.services: audited, and the public
pages (which show places' names) are rebuilt."""

from django.urls import reverse

from audit.models import AuditEvent
from core import publication
from villages.models import Village


def test_renaming_a_village_in_the_admin_is_audited_and_rebuilds_the_public_pages(
    cast, client_for, django_capture_on_commit_callbacks
):
    village = cast.village_a
    before = publication.public_generation()
    form = {
        "code": village.code,
        "name": "石曲村（更名）",
        "kind": village.kind,
        "township": village.township_id,
        "active": "on",
        "merged_into": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("sysadmin").post(reverse("admin:villages_village_change", args=[village.pk]), form)
    assert response.status_code == 302
    assert Village.objects.get(pk=village.pk).name == "石曲村（更名）"
    publication._known = (None, 0.0)  # read the shared counter again, not this process's copy
    assert publication.public_generation() > before
    events = AuditEvent.objects.filter(target_type="villages.Village", target_id=str(village.pk))
    event = events.order_by("pk").last()
    assert event.event_type == "updated" and event.actor_id == cast.users["sysadmin"].pk


def test_a_confirmed_organisation_import_rebuilds_the_public_pages(cast, django_capture_on_commit_callbacks):
    from .test_organisation_import import import_villages

    before = publication.public_generation()
    with django_capture_on_commit_callbacks(execute=True):
        import_villages([(cast.village_a.code, "石曲村（更名）", "village", "331004001", "1", "")], dry_run=True)
    publication._known = (None, 0.0)
    assert publication.public_generation() == before  # a preview changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        import_villages([(cast.village_a.code, "石曲村（更名）", "village", "331004001", "1", "")])
    publication._known = (None, 0.0)
    assert publication.public_generation() > before
