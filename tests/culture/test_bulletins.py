"""典型案例通报: staff build an anonymised bulletin from the county's persons handled, issue it, the
townships record their 通报会; a person's name never reaches a page, the PDF, the sheet or the audit log."""

import subprocess
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from culture import bulletins
from culture.bulletin_selectors import anonymised_post
from culture.models import BulletinCase, BulletinMeeting, CaseBulletin
from inspections import services as inspection_services
from inspections.models import PersonHandled

from .. import inspection_helpers
from ..conftest import ARTIFACTS
from ..factories import VillageFactory

CANARY_NAME = "廉测金丝雀"
NAMED_ERROR = "此处含有本通报案例当事人的姓名：典型案例通报一律不点名，请改用职务称谓。"
FACTS = "在村级工程发包中收受施工方好处费，违规指定施工单位。"
LESSON = "村干部要守住底线，工程发包必须公开透明。"
TITLE = "2025年第一期典型案例通报"


def person(
    cast, name: str = CANARY_NAME, *, village=None, post: str = "村党支部书记", by: str = "staff", **extra
) -> PersonHandled:
    round_ = extra.pop("round_", None) or inspection_helpers.inspection(cast, by=by)
    fields = {
        "handling": PersonHandled.Handling.PARTY_SANCTION,
        "case_filed": True,
        "decided_on": date(2025, 6, 1),
        "village_cadre": True,
    } | extra
    return inspection_services.person_record(
        round_=round_, acting_user=cast.users[by], village=village or cast.village_a, name=name, post=post, **fields
    )


def draft(cast, title: str = TITLE, foreword: str = "为深化以案促改，现将典型案例通报如下。") -> CaseBulletin:
    staff = cast.users["staff"]
    return bulletins.bulletin_create(district=staff.district, title=title, foreword=foreword, acting_user=staff)


def add_case(cast, bulletin: CaseBulletin, someone: PersonHandled, **texts) -> BulletinCase:
    bulletin.refresh_from_db()
    fields = {"post": anonymised_post(someone), "facts": FACTS, "handling": "给予党内警告处分", "lesson": LESSON}
    return bulletins.case_add(
        bulletin=bulletin, version=bulletin.version, person=someone, acting_user=cast.users["staff"], **(fields | texts)
    )


def issued(cast, *persons: PersonHandled, on: date | None = None) -> CaseBulletin:
    bulletin = draft(cast)
    for someone in persons:
        add_case(cast, bulletin, someone)
    bulletin.refresh_from_db()
    return bulletins.bulletin_issue(
        bulletin=bulletin, version=bulletin.version, acting_user=cast.users["staff"], today=on or timezone.localdate()
    )


def case_form(**changes) -> dict:
    return {"post": "某镇某村党支部书记", "facts": FACTS, "handling": "给予党内警告处分", "lesson": LESSON} | changes


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


# --- Building a bulletin ----------------------------------------------------------------------------------


def test_staff_pick_a_person_handled_and_the_case_starts_with_the_anonymised_post_and_handling(cast, client_for):
    someone = person(cast)
    bulletin = draft(cast)
    client = client_for("staff")
    listing = client.get(reverse("culture:bulletin_case_new", args=[bulletin.pk]))
    assert f'id="person-{someone.pk}"' in listing.content.decode()
    form = client.get(reverse("culture:bulletin_case_new", args=[bulletin.pk]), {"person": someone.pk})
    assert form.context["form"].initial["post"] == "某街道某村党支部书记"
    assert form.context["form"].initial["handling"] == "给予党纪处分，并予立案审查"
    response = client.post(
        reverse("culture:bulletin_case_new", args=[bulletin.pk]) + f"?person={someone.pk}",
        case_form(version=bulletin.version),
    )
    assert response.status_code == 302
    case = BulletinCase.objects.get()
    assert (case.person, case.post, case.order) == (someone, "某镇某村党支部书记", 1)
    bulletin.refresh_from_db()
    assert bulletin.version == 2


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("村党支部书记", "某镇某村党支部书记"),
        ("村委会主任", "某镇某村村委会主任"),
        ("村报账员", "某镇某村报账员"),
        ("村监会主任", "某镇某村村监会主任"),
    ],
)
def test_the_anonymised_post_names_neither_township_nor_village(cast, post, expected):
    village = VillageFactory(township__name="金清镇", name="黄琅村")
    someone = PersonHandled(village=village, post=post)
    assert anonymised_post(someone) == expected


@pytest.mark.parametrize(
    "facts",
    [
        f"{CANARY_NAME}在村级工程发包中收受好处费。",
        "廉 测 金丝雀在村级工程发包中收受好处费。",  # the full name with spaces
        "测金丝雀在村级工程发包中收受好处费。",  # the given name alone (two characters or more)
    ],
)
def test_the_name_typed_into_the_facts_is_refused_with_nothing_saved_and_the_text_kept(cast, client_for, facts):
    someone = person(cast)
    bulletin = draft(cast)
    response = client_for("staff").post(
        reverse("culture:bulletin_case_new", args=[bulletin.pk]) + f"?person={someone.pk}",
        case_form(facts=facts, lesson="守住底线的警示", version=bulletin.version),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["facts"] == [NAMED_ERROR]
    assert "守住底线的警示" in response.content.decode()  # what was typed is kept
    assert BulletinCase.objects.count() == 0
    bulletin.refresh_from_db()
    assert bulletin.version == 1


def test_a_name_in_the_title_is_refused_once_the_person_is_a_case(cast, client_for):
    bulletin = draft(cast)
    add_case(cast, bulletin, person(cast))
    bulletin.refresh_from_db()
    response = client_for("staff").post(
        reverse("culture:bulletin_edit", args=[bulletin.pk]),
        {"title": f"关于{CANARY_NAME}案的通报", "foreword": "", "version": bulletin.version},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [NAMED_ERROR]
    assert CaseBulletin.objects.get().title == TITLE


def test_a_person_whose_name_the_foreword_holds_is_not_added(cast):
    bulletin = draft(cast, foreword="王建国等人的问题令人警醒。")
    with pytest.raises(ValidationError) as refused:
        add_case(cast, bulletin, person(cast, "王建国"))
    assert refused.value.messages == ["本通报的标题、前言或其他案例中含有该当事人的姓名，请先删去。"]
    assert BulletinCase.objects.count() == 0


def test_a_person_of_another_county_makes_no_case(cast, second_county):
    stranger = person(cast, "李某某", village=cast.village_c, by="staff_b")
    with pytest.raises(ValidationError) as refused:
        add_case(cast, draft(cast), stranger)
    assert refused.value.messages == ["通报案例只能取自本区县的处理人员。"]


def test_a_stale_form_is_refused_as_a_conflict(cast, client_for):
    bulletin = draft(cast)
    add_case(cast, bulletin, person(cast))  # version 2 now
    response = client_for("staff").post(
        reverse("culture:bulletin_edit", args=[bulletin.pk]), {"title": "新标题", "foreword": "", "version": 1}
    )
    assert response.status_code == 409
    assert CaseBulletin.objects.get().title == TITLE


# --- Issuing ----------------------------------------------------------------------------------------------


def test_issuing_dates_the_bulletin_and_makes_it_read_only(cast, client_for):
    bulletin = draft(cast)
    case = add_case(cast, bulletin, person(cast))
    bulletin.refresh_from_db()
    client = client_for("staff")
    response = client.post(reverse("culture:bulletin_issue", args=[bulletin.pk]), {"version": bulletin.version})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.issued_on) == (CaseBulletin.Status.ISSUED, timezone.localdate())
    assert client.get(reverse("culture:bulletin_case_edit", args=[case.pk])).status_code == 302
    with pytest.raises(ValidationError) as refused:
        bulletins.case_update(
            case=case, version=bulletin.version, acting_user=cast.users["staff"], **case_form(facts="改过的案情")
        )
    assert refused.value.messages == ["通报已印发，不能再修改。"]


def test_a_bulletin_without_cases_is_not_issued(cast, client_for):
    bulletin = draft(cast)
    response = client_for("staff").post(reverse("culture:bulletin_issue", args=[bulletin.pk]), {"version": 1})
    assert response.status_code == 400
    assert "通报至少要有一个案例才能印发。" in response.content.decode()
    assert CaseBulletin.objects.get().status == CaseBulletin.Status.DRAFT


# --- Scoping ----------------------------------------------------------------------------------------------


def test_a_secretary_reads_issued_bulletins_only_and_composes_none(cast, client_for):
    secretary = client_for("secretary_a")
    unissued = draft(cast, title="未印发的通报")
    bulletin = issued(cast, person(cast))
    assert secretary.get(reverse("culture:bulletin", args=[unissued.pk])).status_code == 404
    assert secretary.get(reverse("culture:bulletin", args=[bulletin.pk])).status_code == 200
    assert "未印发的通报" not in secretary.get(reverse("culture:bulletins")).content.decode()
    assert secretary.get(reverse("culture:bulletin_new")).status_code == 403
    assert secretary.post(reverse("culture:bulletin_new"), {"title": "镇里的通报"}).status_code == 403
    with pytest.raises(PermissionDenied):
        bulletins.bulletin_create(
            district=cast.township_a.district, title="镇里的通报", foreword="", acting_user=cast.users["secretary_a"]
        )
    assert CaseBulletin.objects.count() == 2


def test_another_countys_staff_get_404_on_a_bulletin_its_pdf_and_its_cases(cast, second_county, client_for):
    bulletin = draft(cast)
    case = add_case(cast, bulletin, person(cast))
    other = client_for("staff_b")
    for url in [
        reverse("culture:bulletin", args=[bulletin.pk]),
        reverse("culture:bulletin_pdf", args=[bulletin.pk]),
        reverse("culture:bulletin_edit", args=[bulletin.pk]),
        reverse("culture:bulletin_case_new", args=[bulletin.pk]),
        reverse("culture:bulletin_case_edit", args=[case.pk]),
    ]:
        assert other.get(url).status_code == 404, url
    assert TITLE not in other.get(reverse("culture:bulletins")).content.decode()


# --- Meetings ---------------------------------------------------------------------------------------------


def test_a_secretary_records_the_townships_meeting_and_staff_see_who_has_not(cast, client_for):
    bulletin = issued(cast, person(cast), on=date(2025, 7, 1))
    url = reverse("culture:bulletin_meeting_new", args=[bulletin.pk, cast.township_a.code])
    response = client_for("secretary_a").post(url, {"held_on": "2025-07-10", "attendance": "46"})
    assert response.status_code == 302
    meeting = BulletinMeeting.objects.get()
    assert (meeting.township, meeting.held_on, meeting.attendance) == (cast.township_a, date(2025, 7, 10), 46)
    page = client_for("staff").get(reverse("culture:bulletin", args=[bulletin.pk])).content.decode()
    assert "2 个镇街中已有 1 个召开通报会。" in page
    year = client_for("staff").get(reverse("culture:bulletin_meetings", args=[2025]))
    lines = {line.township.code: line.held for line in year.context["overview"].townships}
    assert lines == {cast.township_a.code: 1, cast.township_b.code: 0}
    again = client_for("secretary_a").post(url, {"held_on": "2025-07-11", "attendance": "9"})
    assert again.status_code == 400
    assert "本镇街已记录过该通报的通报会。" in again.content.decode()


def test_a_secretary_records_no_meeting_for_another_township(cast, client_for):
    bulletin = issued(cast, person(cast), on=date(2025, 7, 1))
    url = reverse("culture:bulletin_meeting_new", args=[bulletin.pk, cast.township_a.code])
    assert client_for("secretary_b").post(url, {"held_on": "2025-07-02", "attendance": "20"}).status_code == 404
    assert client_for("leader").post(url, {"held_on": "2025-07-02", "attendance": "20"}).status_code == 403
    assert BulletinMeeting.objects.count() == 0


def test_a_meeting_before_the_issue_is_refused(cast, client_for):
    bulletin = issued(cast, person(cast), on=date(2025, 7, 1))
    response = client_for("secretary_b").post(
        reverse("culture:bulletin_meeting_new", args=[bulletin.pk, cast.township_b.code]),
        {"held_on": "2025-06-30", "attendance": "20"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["held_on"] == ["通报会日期不能早于通报印发日期。"]
    assert BulletinMeeting.objects.count() == 0


def test_the_years_meetings_sheet_has_a_row_per_bulletin_and_township(cast, client_for):
    bulletin = issued(cast, person(cast), on=date(2025, 7, 1))
    bulletins.meeting_record(
        bulletin=bulletin,
        township=cast.township_b,
        held_on=date(2025, 7, 3),
        attendance=30,
        acting_user=cast.users["secretary_b"],
    )
    response = client_for("staff").get(reverse("culture:bulletin_meetings_export", args=[2025]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [
        (TITLE, "2025-07-01", "路桥街道", "否", None, None),
        (TITLE, "2025-07-01", "路南街道", "是", "2025-07-03", 30),
    ]


def test_the_list_and_the_years_meetings_take_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    for _number in range(3):
        bulletin = issued(cast, person(cast, "张某某"), on=date(2025, 7, 1))
        bulletins.meeting_record(
            bulletin=bulletin,
            township=cast.township_a,
            held_on=date(2025, 7, 2),
            attendance=10,
            acting_user=cast.users["secretary_a"],
        )
    client = client_for("staff")
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("culture:bulletins")).context["bulletins"]) == 3
    with django_assert_max_num_queries(12):
        assert client.get(reverse("culture:bulletin_meetings", args=[2025])).status_code == 200


# --- The canary: the name is nowhere ----------------------------------------------------------------------


def test_the_name_of_a_person_handled_appears_nowhere_the_bulletin_goes(cast, client_for):
    someone = person(cast)
    bulletin = draft(cast)
    case = add_case(cast, bulletin, someone)
    staff, secretary = client_for("staff"), client_for("secretary_a")
    pages = [
        staff.get(reverse("culture:bulletin", args=[bulletin.pk])),  # the draft, with the case's source
        staff.get(reverse("culture:bulletin_case_edit", args=[case.pk])),
        staff.get(reverse("culture:bulletin_case_new", args=[bulletin.pk])),
    ]
    other = person(cast, "另一金丝雀", post="村委会主任")
    pages.append(staff.get(reverse("culture:bulletin_case_new", args=[bulletin.pk]), {"person": other.pk}))
    bulletin.refresh_from_db()
    bulletins.bulletin_issue(bulletin=bulletin, version=bulletin.version, acting_user=cast.users["staff"])
    bulletins.meeting_record(
        bulletin=bulletin,
        township=cast.township_a,
        held_on=timezone.localdate(),
        attendance=40,
        acting_user=cast.users["secretary_a"],
    )
    year = timezone.localdate().year
    for client in (staff, client_for("leader"), secretary):
        pages += [
            client.get(reverse("culture:bulletins")),
            client.get(reverse("culture:bulletin", args=[bulletin.pk])),
        ]
    pages.append(staff.get(reverse("culture:bulletin_meetings", args=[year])))
    for response in pages:
        assert response.status_code == 200
        assert CANARY_NAME not in response.content.decode()
        assert "另一金丝雀" not in response.content.decode()

    for client in (staff, secretary):
        text = pdf_text(client.get(reverse("culture:bulletin_pdf", args=[bulletin.pk])).content)
        assert CANARY_NAME not in text and "另一金丝雀" not in text and "测金丝雀" not in text
        assert TITLE in text and "某街道某村党支部书记" in text and "内部资料" in text

    sheet = staff.get(reverse("culture:bulletin_meetings_export", args=[year])).content
    cells = [str(value) for row in load_workbook(BytesIO(sheet)).active.iter_rows(values_only=True) for value in row]
    assert TITLE in cells and not any(CANARY_NAME in cell or "另一金丝雀" in cell for cell in cells)

    names = (CANARY_NAME, "另一金丝雀", "测金丝雀")  # the given name alone too (the cast's canary village is no person)
    for event in AuditEvent.objects.all():
        assert not any(name in f"{event.target_repr} {event.data}" for name in names), event.seq
    for model in (CaseBulletin, BulletinCase, BulletinMeeting):
        for record in model.history.all().values():  # type: ignore[attr-defined]
            assert not any(name in str(record) for name in names), model


def test_the_pdf_is_a_chinese_a4_document_of_the_bulletin(cast, client_for):
    bulletin = issued(cast, person(cast), person(cast, "赵某某", post="村委会主任"))
    response = client_for("secretary_a").get(reverse("culture:bulletin_pdf", args=[bulletin.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert TITLE in text and LESSON in text
    assert "1. 某街道某村党支部书记" in text and "2. 某街道某村村委会主任" in text
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info
    (ARTIFACTS / "culture").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "culture" / "bulletin.pdf").write_bytes(response.content)  # to be looked at
    assert AuditEvent.objects.filter(event_type="downloaded", target_id=str(bulletin.pk)).count() == 1


def test_a_meeting_in_the_future_is_refused(cast):
    bulletin = issued(cast, person(cast))
    with pytest.raises(ValidationError) as refused:
        bulletins.meeting_record(
            bulletin=bulletin,
            township=cast.township_a,
            held_on=timezone.localdate() + timedelta(days=1),
            attendance=5,
            acting_user=cast.users["secretary_a"],
        )
    assert refused.value.messages == ["通报会召开后才能记录。"]


def test_the_demo_issues_one_bulletin_with_three_cases_and_meetings_in_half_the_townships_once(cast):
    from culture.demo import seed_bulletins

    round_ = inspection_helpers.inspection(cast)
    for name, handling in [("王建", "party_sanction"), ("李明", "gov_sanction"), ("张华", "talk"), ("刘军", "talk")]:
        person(cast, name, round_=round_, handling=handling)
    staff = cast.users["staff"]
    secretaries = {cast.township_a.pk: cast.users["secretary_a"], cast.township_b.pk: cast.users["secretary_b"]}
    today = date(2025, 11, 1)
    assert seed_bulletins(district=staff.district, staff=staff, secretaries=secretaries, today=today) == 3
    assert seed_bulletins(district=staff.district, staff=staff, secretaries=secretaries, today=today) == 0
    bulletin = CaseBulletin.objects.get()
    assert (bulletin.status, bulletin.issued_on) == (CaseBulletin.Status.ISSUED, date(2025, 10, 2))
    assert [case.person.handling for case in bulletin.cases.all()] == ["party_sanction", "gov_sanction", "talk"]
    assert [meeting.township for meeting in bulletin.meetings.all()] == [cast.township_a]
