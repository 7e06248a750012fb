"""A published period keeps its code and dates (issue 15, item 3): renaming the published 2024 to 2019 in
the admin used to move /index/2024/ to /index/2019/."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring.models import Period, Round

from ..scoring_helpers import make_round


def period_form(period: Period, **changes) -> dict:
    return {
        "district": period.district_id,
        "code": period.code,
        "year": period.year,
        "half": period.half or "",
        "scheme": period.scheme_id,
    } | changes


def test_the_admin_cannot_rename_a_published_period(cast, client_for, year_2025):
    period = year_2025.period
    client = client_for("sysadmin")
    url = reverse("admin:scoring_period_change", args=[period.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, period_form(period, code="2019", year="2019"))
    assert response.status_code == 403
    period.refresh_from_db()
    assert (period.code, period.year) == ("2025", 2025)
    assert client_for("anonymous").get("/index/2025/").status_code == 200


def test_no_code_path_changes_a_published_periods_code_or_dates(year_2025):
    period = Period.objects.get(pk=year_2025.period.pk)
    period.code, period.year = "2019", 2019
    with pytest.raises(ValidationError, match="2025"):
        period.save()
    assert Period.objects.get(pk=period.pk).code == "2025"


def test_an_approved_period_is_fixed_too(cast, client_for):
    period = make_round("2026", status=Round.Status.APPROVED).period
    response = client_for("sysadmin").post(
        reverse("admin:scoring_period_change", args=[period.pk]), period_form(period, code="2027", year="2027")
    )
    assert response.status_code == 403
    assert Period.objects.get(pk=period.pk).code == "2026"


def test_a_period_not_yet_approved_can_still_be_corrected_in_the_admin(cast, client_for):
    period = make_round("2026", status=Round.Status.SUBMITTED).period
    response = client_for("sysadmin").post(
        reverse("admin:scoring_period_change", args=[period.pk]), period_form(period, code="2027", year="2027")
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.code, period.year) == ("2027", 2027)


def test_a_period_code_that_does_not_say_its_year_is_refused_in_the_admin(cast, client_for):
    period = make_round("2026").period
    response = client_for("sysadmin").post(
        reverse("admin:scoring_period_change", args=[period.pk]), period_form(period, code="2019")
    )
    assert response.status_code == 200
    assert "考评期代码须与年度和半年一致：2026" in str(response.context["adminform"].form.errors["code"])
    assert Period.objects.get(pk=period.pk).code == "2026"
