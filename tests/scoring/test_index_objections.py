"""The index's publicity (公示) and the public's objections: publishing opens a window as long as the scheme
says; while it is open anyone objects without an account and keeps a receipt code that shows the stage and
the answer, never the contact; the contact is stored encrypted, read only by the county's staff who answer,
and never in the audit log; an upheld objection is answered by a correction that names it."""

import secrets
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from accounts.roles import Role
from audit.models import AuditEvent
from scoring import objections
from scoring.models import IndexObjection, Round

from ..factories import UserFactory
from ..scoring_helpers import published_now

CONTACT_NAME = "CANARY-王秀英"
CONTACT_PHONE = "13912345678"
CONTENT = "CANARY-异议 村里的工程没有公开招标，村务清爽不应满分。"
CLOSED = "公示期已于"  # the start of PUBLICITY_CLOSED in Chinese


@pytest.fixture(autouse=True)
def _unlimited(settings):
    """Every test's posts come from the test client's one address: only the rate test limits them."""
    settings.OBJECTION_RATE = "10000/h"


@pytest.fixture
def published(cast):
    return published_now(cast)


def submit(client, round_, village, address="127.0.0.1", **data):
    url = reverse("objection:new", args=[round_.period.code])
    body = {"village": village.code, "content": CONTENT, "name": CONTACT_NAME, "phone": CONTACT_PHONE, **data}
    return client.post(url, body, REMOTE_ADDR=address)


def test_publishing_opens_the_publicity_window_for_the_schemes_days(published):
    today = timezone.localdate()
    assert published.publicity_ends_on == today + timedelta(days=published.period.scheme.publicity_days - 1)
    assert published.period.scheme.publicity_days == 7
    assert published.in_publicity


def test_the_window_closes_after_its_days_with_the_refusal_text(client, cast, published, monkeypatch):
    ends = published.publicity_ends_on
    monkeypatch.setattr(timezone, "localdate", lambda *args: ends + timedelta(days=1))
    page = client.get(reverse("objection:new", args=["2025"]))
    assert page.status_code == 200
    assert f"公示期已于{ends:%Y-%m-%d}结束" in page.content.decode()
    response = submit(client, published, cast.village_a)
    assert f"公示期已于{ends:%Y-%m-%d}结束" in response.content.decode()
    assert not IndexObjection.objects.exists()


def test_a_resident_objects_and_reads_the_stage_by_the_receipt_code(client, cast, published):
    response = submit(client, published, cast.village_a)
    assert response.status_code == 302
    objection = IndexObjection.objects.get()
    assert objection.receipt_code in response["Location"]
    assert len(objection.receipt_code) == 16 and objection.number == 1
    page = client.get(response["Location"]).content.decode()
    assert objection.receipt_code in page and "已受理" in page
    assert CONTACT_NAME not in page and CONTACT_PHONE not in page and "CANARY-异议" not in page
    objections.objection_answer(
        objection=objection, upheld=False, answer="经核查评分无误", acting_user=cast.users["staff"]
    )
    page = client.get(reverse("objection:receipt"), {"code": objection.receipt_code.lower()}).content.decode()
    assert "经核查评分无误" in page and "异议不成立" in page
    assert CONTACT_NAME not in page and CONTACT_PHONE not in page


def test_an_unknown_receipt_code_finds_nothing(client, published):
    assert client.get(reverse("objection:receipt"), {"code": "ABCD"}).status_code == 404


def test_receipt_codes_are_not_guessable():
    codes = {objections.new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 16 and set(code) <= set(objections.RECEIPT_ALPHABET) for code in codes)


def test_the_contact_is_stored_encrypted_and_kept_out_of_the_audit_log(client, cast, published):
    submit(client, published, cast.village_a)
    objection = IndexObjection.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_ciphertext, content FROM scoring_indexobjection")
        stored, _content = cursor.fetchone()
    assert CONTACT_NAME not in stored and CONTACT_PHONE not in stored
    staff = cast.users["staff"]
    assert objections.objection_contact_read(objection=objection, acting_user=staff, request=None) == (
        f"{CONTACT_NAME} {CONTACT_PHONE}"
    )
    objections.objection_answer(objection=objection, upheld=True, answer="属实", acting_user=staff)
    log = " ".join(str(event.data) for event in AuditEvent.objects.all())
    assert CONTACT_NAME not in log and CONTACT_PHONE not in log and "CANARY-异议" not in log
    assert objection.receipt_code not in log
    assert "objector contact" in log  # the read itself is recorded


def test_only_the_countys_staff_see_the_contact(cast, second_county, client_for, published):
    objection = objections.objection_submit(
        round_=published, village=cast.village_a, content=CONTENT, contact=CONTACT_PHONE
    )
    url = reverse("scoring:objection", args=[objection.pk])
    assert CONTACT_PHONE in client_for("staff").get(url).content.decode()
    for role in ("leader", "secretary_a"):
        page = client_for(role).get(url)
        assert page.status_code == 200 and CONTACT_PHONE not in page.content.decode()
    for role in ("staff", "leader", "secretary_a", "city_staff"):
        assert CONTACT_PHONE not in client_for(role).get(reverse("scoring:objections")).content.decode()


def test_another_countys_staff_and_another_townships_secretary_get_404(cast, second_county, client_for, published):
    objection = objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    url = reverse("scoring:objection", args=[objection.pk])
    for role in ("staff_b", "leader_b", "secretary_b"):
        assert client_for(role).get(url).status_code == 404, role
    answer = reverse("scoring:objection_answer", args=[objection.pk])
    assert client_for("staff_b").post(answer, {"answer": "x", "upheld": "no"}).status_code == 404
    assert IndexObjection.objects.get().upheld is None


def test_the_city_reads_counts_only(cast, second_county, client_for, published):
    objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    page = client_for("city_staff").get(reverse("scoring:objections"))
    assert page.status_code == 200 and page.context["objections"] is None
    assert [(line.received, line.waiting) for line in page.context["counts"]] == [(1, 1)]
    assert "CANARY-异议" not in page.content.decode()


def test_a_secretary_reads_the_own_townships_objections_only(cast, client_for, published):
    mine = objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    objections.objection_submit(round_=published, village=cast.village_b, content=CONTENT, contact="")
    page = client_for("secretary_a").get(reverse("scoring:objections"))
    assert list(page.context["objections"]) == [mine]


def test_an_upheld_objection_is_answered_by_a_correction_that_names_it(client, cast, client_for, published):
    first = objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    second = objections.objection_submit(round_=published, village=cast.village_b, content=CONTENT, contact="")
    staff = client_for("staff")
    for objection in (first, second):
        staff.post(reverse("scoring:objection_answer", args=[objection.pk]), {"answer": "属实", "upheld": "yes"})
    response = staff.post(reverse("scoring:objection_correct", args=[first.pk]), {"reason": "更正村务清爽得分"})
    correction = Round.objects.get(corrects=published)
    assert response["Location"] == reverse("scoring:round", args=[correction.pk])
    staff.post(reverse("scoring:objection_correct", args=[second.pk]), {"reason": ""})  # joins the same correction
    correction.refresh_from_db()
    assert correction.correction_reason == "更正村务清爽得分（回应公示期异议：2025-1-01、2025-1-02）"
    assert list(correction.answered_objections.order_by("number")) == [first, second]
    assert IndexObjection.objects.get(pk=first.pk).stage == IndexObjection.Stage.UPHELD


def test_a_not_upheld_objection_opens_no_correction(cast, published):
    objection = objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    objections.objection_answer(objection=objection, upheld=False, answer="无误", acting_user=cast.users["staff"])
    with pytest.raises(objections.ValidationError):
        objections.objection_correction_open(objection=objection, reason="x", acting_user=cast.users["staff"])
    assert not Round.objects.filter(corrects=published).exists()


def test_the_form_is_rate_limited_per_address(client, cast, published, settings):
    settings.OBJECTION_RATE = "2/h"
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"  # counted afresh
    for _ in range(2):
        assert submit(client, published, cast.village_a, address).status_code == 302
    refused = submit(client, published, cast.village_a, address)
    assert refused.status_code == 429
    assert "提交的异议过多" in refused.content.decode()
    assert IndexObjection.objects.count() == 2
    assert submit(client, published, cast.village_a, "10.255.0.1").status_code == 302  # another address


def test_the_text_is_limited_in_size(client, cast, published):
    response = submit(client, published, cast.village_a, content="长" * 2001)
    assert response.status_code == 200 and not IndexObjection.objects.exists()


def test_the_staff_are_told_and_see_it_on_their_to_do_page(cast, client_for, published):
    objections.objection_submit(round_=published, village=cast.village_a, content=CONTENT, contact="")
    page = client_for("staff").get(reverse("workspace")).content.decode()
    assert "2025-1-01" in page


def test_the_countys_staff_get_an_in_app_notice_of_a_public_objection(cast, second_county, published):
    with TestCase.captureOnCommitCallbacks(execute=True):
        objection = objections.objection_submit(
            round_=published, village=cast.village_a, content=CONTENT, contact=CONTACT_PHONE
        )
    notice = Notice.objects.get(user=cast.users["staff"])
    assert notice.link == reverse("scoring:objection", args=[objection.pk])
    assert "2025" in notice.text and cast.village_a.name in notice.text
    assert not Notice.objects.filter(user__in=[cast.users["staff_b"], cast.users["leader"]]).exists()
    assert CONTACT_PHONE not in notice.text and "CANARY-异议" not in notice.text


def record(client, round_, village, **data):
    body = {
        "round": round_.pk,
        "channel": IndexObjection.Channel.LETTER,
        "village": village.code,
        "content": CONTENT,
        "name": CONTACT_NAME,
        "phone": CONTACT_PHONE,
        **data,
    }
    return client.post(reverse("scoring:objection_record"), body)


def test_staff_record_an_objection_received_by_letter_with_a_number_and_a_receipt_code(
    client, cast, client_for, published
):
    objections.objection_submit(round_=published, village=cast.village_b, content=CONTENT, contact="")
    staff = client_for("staff")
    assert staff.get(reverse("scoring:objection_record")).status_code == 200
    response = record(staff, published, cast.village_a)
    objection = IndexObjection.objects.get(channel=IndexObjection.Channel.LETTER)
    assert response["Location"] == reverse("scoring:objection", args=[objection.pk])
    assert (objection.number, objection.reference) == (2, "2025-1-02")
    page = staff.get(response["Location"]).content.decode()
    assert objection.receipt_code in page and "来信" in page and CONTACT_PHONE in page
    assert objection.receipt_code not in client_for("leader").get(response["Location"]).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_ciphertext FROM scoring_indexobjection WHERE id = %s", [objection.pk])
        (stored,) = cursor.fetchone()
    assert CONTACT_PHONE not in stored and CONTACT_NAME not in stored
    objections.objection_answer(objection=objection, upheld=False, answer="经核查无误", acting_user=cast.users["staff"])
    receipt = client.get(reverse("objection:receipt"), {"code": objection.receipt_code}).content.decode()
    assert "经核查无误" in receipt and CONTACT_PHONE not in receipt
    log = " ".join(f"{event.target_repr} {event.data}" for event in AuditEvent.objects.all())
    assert CONTACT_NAME not in log and CONTACT_PHONE not in log and "CANARY-异议" not in log
    assert objection.receipt_code not in log
    assert AuditEvent.objects.filter(actor=cast.users["staff"], target_type="scoring.IndexObjection").exists()


def test_a_recorded_objection_is_listed_on_the_to_do_page_and_told_to_the_other_staff(cast, client_for, published):
    other = UserFactory(role=Role.COMMISSION_STAFF, district=cast.users["staff"].district)
    with TestCase.captureOnCommitCallbacks(execute=True):
        objection = objections.objection_record(
            round_=published,
            village=cast.village_a,
            content=CONTENT,
            contact="",
            channel=IndexObjection.Channel.PHONE,
            acting_user=cast.users["staff"],
        )
    assert Notice.objects.filter(user=other, link=reverse("scoring:objection", args=[objection.pk])).exists()
    assert not Notice.objects.filter(user=cast.users["staff"]).exists()  # the one who recorded it knows
    assert objection.reference in client_for("staff").get(reverse("workspace")).content.decode()


def test_recording_is_refused_without_a_channel_or_for_another_countys_round(
    cast, second_county, client_for, published
):
    response = record(client_for("staff"), published, cast.village_a, channel=IndexObjection.Channel.ONLINE)
    assert response.status_code == 400 and not IndexObjection.objects.exists()
    assert record(client_for("staff_b"), published, cast.village_a).status_code == 404  # another county's round
    with pytest.raises(PermissionDenied):
        objections.objection_record(
            round_=published,
            village=cast.village_a,
            content=CONTENT,
            contact="",
            channel=IndexObjection.Channel.VISIT,
            acting_user=cast.users["staff_b"],
        )
    assert client_for("leader").get(reverse("scoring:objection_record")).status_code == 403
    assert not IndexObjection.objects.exists()


def test_staff_record_a_letter_after_the_window_closed(cast, client_for, published, monkeypatch):
    ends = published.publicity_ends_on
    monkeypatch.setattr(timezone, "localdate", lambda *args: ends + timedelta(days=3))
    assert record(client_for("staff"), published, cast.village_a).status_code == 302
    assert IndexObjection.objects.get().channel == IndexObjection.Channel.LETTER
