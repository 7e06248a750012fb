"""Star criteria are data: seven dimensions worth 100 points by default, thresholds per level, veto
items; copied to the next year by the system administrator and read-only once an application was filed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse

from stars.criteria_services import star_criteria_copy
from stars.models import StarCriteria, StarItem

from ..star_helpers import criteria, filed


def test_the_default_criteria_have_seven_dimensions_worth_100(db):
    criteria_ = criteria(2025)
    assert [dimension.name for dimension in criteria_.dimensions.all()] == [
        "制度建设",
        "村务公开",
        "三资管理",
        "工程项目招投标",
        "村级组织建设",
        "经济社会发展",
        "党员干部廉洁",
    ]
    assert StarItem.objects.filter(dimension__criteria=criteria_).aggregate(total=Sum("max_points"))["total"] == 100
    assert criteria_.level_for(Decimal("87.99")) == 3 and criteria_.level_for(Decimal("95")) == 5
    assert criteria_.level_for(Decimal("59")) == 0


def test_copying_to_the_next_year_keeps_every_item_and_threshold(cast):
    source = criteria(2025)
    source.min_points_5 = Decimal("96")
    source.save()
    copy = star_criteria_copy(source=source, year=2026, acting_user=cast.users["sysadmin"])
    assert copy.min_points_5 == Decimal("96")
    assert (
        StarItem.objects.filter(dimension__criteria=copy).count()
        == StarItem.objects.filter(dimension__criteria=source).count()
    )
    assert copy.veto_items.count() == source.veto_items.count() == 4
    with pytest.raises(ValidationError, match="2026年评星标准已存在。"):
        star_criteria_copy(source=source, year=2026, acting_user=cast.users["sysadmin"])


def test_thresholds_must_increase(db):
    with pytest.raises(ValidationError) as refused:
        StarCriteria(year=2030, min_points_3=Decimal("90"), min_points_4=Decimal("85")).full_clean()
    # The model's own rule, and the database constraint behind it.
    assert refused.value.message_dict == {
        "__all__": ["每个星级所需分数不得低于下一星级。", "约束 “star_thresholds_increase” 是无效的"]
    }


def test_the_system_administrator_copies_in_the_admin_and_filed_criteria_are_read_only(cast, client_for):
    source = criteria(2025)
    admin = client_for("sysadmin")
    change_url = reverse("admin:stars_starcriteria_change", args=[source.pk])
    assert "_save" in admin.get(change_url).content.decode()
    admin.post(
        reverse("admin:stars_starcriteria_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [source.pk]},
    )
    assert StarCriteria.objects.filter(year=2026).exists()
    filed(cast, 2, total="75")
    assert "_save" not in admin.get(change_url).content.decode()  # shown, no longer editable
