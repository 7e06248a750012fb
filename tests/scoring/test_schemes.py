"""Schemes: copied to a new version for the next period; read-only once an approved round uses them;
a change never alters a past period's results."""

from decimal import Decimal

from django.urls import reverse

from scoring.models import Indicator, Round, Scheme
from scoring.services import scheme_copy, scheme_is_locked

from ..scoring_helpers import default_scheme, make_round


def test_a_copy_is_the_next_version_with_every_item(cast):
    copy = scheme_copy(scheme=default_scheme(), acting_user=cast.users["sysadmin"])
    assert (copy.name, copy.version, copy.based_on) == ("四清标准", 2, default_scheme())
    assert copy.indicators.count() == 23 and copy.categories.count() == 4
    assert sum(copy.indicators.values_list("max_points", flat=True)) == Decimal("100")
    Indicator.objects.filter(scheme=copy, code="BZ1").update(max_points=Decimal("6"))
    assert Indicator.objects.get(scheme=default_scheme(), code="BZ1").max_points == Decimal("5")


def test_a_scheme_used_by_an_approved_round_is_locked(cast, client_for):
    scheme = default_scheme()
    make_round("2025", status=Round.Status.DRAFT)
    assert not scheme_is_locked(scheme)
    make_round("2024", status=Round.Status.APPROVED)
    assert scheme_is_locked(scheme)
    client = client_for("sysadmin")
    page = client.get(reverse("admin:scoring_scheme_change", args=[scheme.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    client.post(reverse("admin:scoring_scheme_change", args=[scheme.pk]), {"name": "改过的名字"})
    assert Scheme.objects.get(pk=scheme.pk).name == "四清标准"


def test_the_system_admin_copies_a_scheme_from_the_admin(cast, client_for):
    client = client_for("sysadmin")
    client.post(
        reverse("admin:scoring_scheme_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [default_scheme().pk]},
    )
    assert Scheme.objects.filter(name="四清标准", version=2).exists()
