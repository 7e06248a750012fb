"""The printable notice for the village notice board (村务公开栏) ends as a real notice does: the issuing
body, the commission of the village's district, and the date the round was published."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from scoring.models import Round


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
