"""Scoping: another township's findings, evidence and rounds are 404 for a secretary; names of persons
handled are for the commission only and never reach a public page or the open data."""

from datetime import date

from django.urls import reverse

from inspections import services
from inspections.models import PersonHandled
from scoring.models import Round
from scoring.services import round_compute_results

from ..inspection_helpers import finding, inspection, pdf
from ..scoring_helpers import fill_scores, make_round

NAME = "甄有名"


def test_another_townships_finding_and_evidence_are_404(cast, client_for):
    item = finding(cast)
    services.progress_record(finding=item, acting_user=cast.users["secretary_a"], note="进展", uploads=[pdf()])
    evidence = item.evidence.get()
    other = client_for("secretary_b")
    assert other.get(reverse("inspections:finding", args=[item.pk])).status_code == 404
    assert other.get(reverse("inspections:evidence", args=[evidence.pk])).status_code == 404
    assert (
        other.post(reverse("inspections:finding_action", args=[item.pk, "progress"]), {"note": "x"}).status_code == 404
    )
    assert other.get(reverse("inspections:round", args=[item.round_id])).status_code == 404
    own = client_for("secretary_a")
    assert own.get(reverse("inspections:evidence", args=[evidence.pk])).status_code == 200
    assert cast.village_a.name not in other.get(reverse("inspections:findings")).content.decode()


def test_person_names_are_for_the_commission_only(cast, client_for):
    round_ = inspection(cast, starts_on=date(2025, 3, 1), villages=[cast.village_a])
    services.person_record(
        round_=round_,
        acting_user=cast.users["staff"],
        village=cast.village_a,
        name=NAME,
        post="村委会主任",
        handling=PersonHandled.Handling.PARTY_SANCTION,
        decided_on=date(2025, 4, 1),
    )
    url = reverse("inspections:round", args=[round_.pk])
    assert NAME in client_for("staff").get(url).content.decode()
    assert NAME in client_for("leader").get(url).content.decode()
    assert NAME not in client_for("secretary_a").get(url).content.decode()

    # The sanction vetoes the village's 2025 index: the public sees the reason, never the name.
    index = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(index, cast.village_a, "95")
    fill_scores(index, cast.village_b, "90")
    round_compute_results(index)
    public = client_for("anonymous")
    for page in (
        reverse("public:index"),
        reverse("public:village", args=["2025", cast.village_a.code]),
        reverse("public:open_data_csv", args=["2025"]),
        reverse("public:open_data_json", args=["2025"]),
    ):
        assert NAME not in public.get(page).content.decode()
