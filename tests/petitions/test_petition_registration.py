"""Registering a petition: each village is named with its township (names repeat across townships),
choosing the township narrows the villages (htmx) while the form without script lists them all grouped by
township, and a village of another township is refused with what was typed kept."""

import re

import pytest
from django.urls import reverse

from petitions.models import Petition

from ..factories import VillageFactory
from ..petition_helpers import intake

OPTION = re.compile(r'<option value="(\d*)"( selected)?>([^<]*)</option>')
GROUP = re.compile(r'<optgroup label="([^"]*)">')
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def namesakes(cast):
    """A 王家村 in each of the two townships."""
    return (
        VillageFactory(township=cast.township_a, code="331004001202", name="王家村"),
        VillageFactory(township=cast.township_b, code="331004002202", name="王家村"),
    )


def options(html: str) -> list[tuple[str, str]]:
    return [(value, label) for value, _selected, label in OPTION.findall(html)]


def selected(html: str) -> list[str]:
    return [label for _value, chosen, label in OPTION.findall(html) if chosen]


def test_choosing_a_township_lists_only_its_villages_each_named_with_the_township(cast, client_for, namesakes):
    own, _other = namesakes
    url = reverse("petitions:villages")
    answer = client_for("petition").get(url, {"township": cast.township_a.pk, "village": ""}, **HTMX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.startswith('<select name="village" id="id_village">')
    assert GROUP.findall(html) == ["路桥街道"]
    assert options(html) == [
        ("", "---------"),
        (str(cast.village_a.pk), "路桥街道 · 石曲村"),
        (str(own.pk), "路桥街道 · 王家村"),
    ]


def test_the_village_chosen_stays_chosen_when_it_is_in_the_new_township(cast, client_for, namesakes):
    own, other = namesakes
    officer, url = client_for("petition"), reverse("petitions:villages")
    kept = officer.get(url, {"township": cast.township_a.pk, "village": own.pk}, **HTMX).content.decode()
    assert selected(kept) == ["路桥街道 · 王家村"]
    dropped = officer.get(url, {"township": cast.township_a.pk, "village": other.pk}, **HTMX).content.decode()
    assert selected(dropped) == [] and str(other.pk) not in [value for value, _label in options(dropped)]


def test_no_township_chosen_lists_every_village_grouped_by_township(cast, client_for, namesakes):
    html = client_for("petition").get(reverse("petitions:villages"), {"township": ""}, **HTMX).content.decode()
    assert GROUP.findall(html) == ["路桥街道", "路南街道"]
    assert [label for _value, label in options(html)][1:] == [
        "路桥街道 · 石曲村",
        "路桥街道 · 王家村",
        "路南街道 · CANARY-金丝雀村",
        "路南街道 · 王家村",
    ]


def test_the_form_without_script_offers_every_village_grouped_and_asks_htmx_to_narrow(cast, client_for, namesakes):
    page = client_for("petition").get(reverse("petitions:new")).content.decode()
    assert GROUP.findall(page) == ["路桥街道", "路南街道"]
    assert "路南街道 · 王家村" in page and "路桥街道 · 王家村" in page
    township_select = re.search(r'<select name="township"[^>]*>', page).group(0)
    assert f'hx-get="{reverse("petitions:villages")}"' in township_select
    assert 'hx-target="#id_village"' in township_select and 'hx-include="#id_village"' in township_select


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("leader", 403), ("secretary_a", 403), ("auditor", 403)])
def test_only_the_petition_office_gets_the_village_list(cast, client_for, who, status):
    answer = client_for(who).get(reverse("petitions:villages"), {"township": cast.township_a.pk}, **HTMX)
    assert answer.status_code == status


def test_signed_out_the_village_list_sends_to_sign_in(cast, client_for):
    answer = client_for("anonymous").get(reverse("petitions:villages"), {"township": cast.township_a.pk})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("township", ["999999", "abc", "1 OR 1=1"])
def test_a_township_that_does_not_exist_is_a_bad_request(cast, client_for, township):
    answer = client_for("petition").get(reverse("petitions:villages"), {"township": township}, **HTMX)
    assert answer.status_code == 400


def test_a_village_of_another_township_is_refused_and_what_was_typed_is_kept(cast, client_for, namesakes):
    _own, other = namesakes
    page = client_for("petition").post(
        reverse("petitions:new"), intake(cast, village=other.pk, subject_name="钱某", summary="反映工程款去向不明")
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors == {"village": ["该村居不属于所选镇街。"]}
    assert (form["subject_name"].value(), form["summary"].value()) == ("钱某", "反映工程款去向不明")
    html = page.content.decode()
    village_select = re.search(r'<select name="village".*?</select>', html, re.DOTALL).group(0)
    assert selected(village_select) == ["路南街道 · 王家村"]  # the village chosen, shown with its error
    assert '<div class="error" role="alert">该村居不属于所选镇街。</div>' in html
    assert not Petition.objects.exists()


def test_a_village_of_the_chosen_township_registers(cast, client_for, namesakes):
    own, _other = namesakes
    response = client_for("petition").post(reverse("petitions:new"), intake(cast, village=own.pk))
    petition = Petition.objects.get()
    assert response["Location"] == reverse("petitions:petition", args=[petition.pk])
    assert (petition.township, petition.village) == (cast.township_a, own)
