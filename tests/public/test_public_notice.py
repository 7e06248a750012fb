"""The printable notice for the village notice board (村务公开栏) ends as a real notice does: the issuing
body, the commission of the village's district, and the date the round was published."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from scoring.models import Round, Scheme


def test_the_notice_carries_the_issuing_commission_and_the_publication_date(year_2025, cast, client):
    # Late in the evening in China, still the day before in UTC: the notice says the local date.
    Round.objects.filter(pk=year_2025.pk).update(published_at=datetime(2025, 3, 16, 21, 30, tzinfo=ZoneInfo("UTC")))
    html = client.get(reverse("public:notice", args=["2025", cast.village_a.code])).content.decode()
    foot = html[html.index('<footer class="notice-issuer">') : html.index("</footer>")]
    assert "<p>路桥区纪委监委</p>" in foot
    assert '<time datetime="2025-03-17">2025年3月17日</time>' in foot


def test_the_issuing_body_is_named_from_the_organisation_tree(year_2025, cast, client):
    district = cast.township_b.district
    district.name = "椒江区"
    district.save()
    html = client.get(reverse("public:notice", args=["2025", cast.village_b.code])).content.decode()
    assert "<p>椒江区纪委监委</p>" in html and "路桥区" not in html


@pytest.mark.parametrize(
    ("grade_a_min", "grade_b_min", "line"),
    [
        ("90", "80", "A类≥90分（绿），B类80–90分（黄），C类&lt;80分（红）。"),
        # A county that grades more strictly says so on its notice board.
        ("92.5", "82", "A类≥92.5分（绿），B类82–92.5分（黄），C类&lt;82分（红）。"),
    ],
)
def test_the_notice_states_the_grade_lines_of_the_round_s_own_scheme(
    year_2025, cast, client, grade_a_min, grade_b_min, line
):
    Scheme.objects.filter(pk=year_2025.period.scheme_id).update(grade_a_min=grade_a_min, grade_b_min=grade_b_min)
    html = client.get(reverse("public:notice", args=["2025", cast.village_a.code])).content.decode()
    assert line in html
