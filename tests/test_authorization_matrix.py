"""Every URL the resolver knows × every role (and anonymous) × own / other township → expected status.

A new URL without a row here fails `test_every_url_has_a_row`. Admin URLs are one row: only the system
administrator passes the admin's own checks; everyone else is sent to sign in.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inspections import services
from inspections.models import InspectionRound
from petitions import services as petition_services
from petitions.models import ListedCaseEvidence
from scoring import star_services
from scoring.report_models import ReportBatch, ReportVersion
from scoring.star_models import StarAttachment

ROLES = ["anonymous", "secretary_a", "secretary_b", "staff", "leader", "petition", "sysadmin", "secadmin", "auditor"]
LOGIN = "login"  # a redirect to the sign-in page


def row(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES}


SIGNED_IN = row(200, anonymous=LOGIN)
ORGANISATION = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=200, staff=200, leader=200, sysadmin=200)
DISTRICT = row(403, anonymous=LOGIN, staff=200, leader=200)
INDEX = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=200, staff=200, leader=200)
# Recorded by staff and the own township's secretary (sample objects are in township A).
FOLLOW_UP = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404, staff=200)
# Cases are for the petition office, staff and leaders; a secretary gets 404 on every case URL.
PETITION_CASES = row(403, anonymous=LOGIN, secretary_a=404, secretary_b=404, staff=200, leader=200, petition=200)
ONLY = {role: row(403, anonymous=LOGIN, **{role: 200}) for role in ["secadmin", "auditor"]}

# GET of each named URL. Village URLs use village A, of secretary A's township: B is "other".
MATRIX = {
    "public:index": row(200),
    "public:period": row(200),
    "public:village": row(200),
    "public:notice": row(200),
    "public:open_data_csv": row(200),
    "public:open_data_json": row(200),
    "public:methodology": row(200),
    "public:stars_latest": row(200),
    "public:stars": row(200),
    "public:village_stars": row(200),
    "healthz": row(200),
    "workspace": SIGNED_IN,
    "accounts:login": row(302, anonymous=200),
    "accounts:logout": row(405),
    "accounts:password_change": SIGNED_IN,
    # Users with an authenticator verify; the others (who need none) are sent on to enrol.
    "accounts:otp_verify": row(200, anonymous=LOGIN, secretary_a=302, secretary_b=302, staff=302),
    "accounts:otp_setup": row(302, anonymous=LOGIN, secretary_a=200, secretary_b=200, staff=200),
    "accounts:role_list": ONLY["secadmin"],
    "accounts:role_edit": ONLY["secadmin"],
    "accounts:user_unlock": row(405),
    "accounts:otp_reset": row(405),
    "scoring:results": INDEX,
    "scoring:results_export": INDEX,
    "scoring:checkup": {**INDEX, "secretary_b": 404},
    "scoring:rounds": DISTRICT,
    "scoring:overview": DISTRICT,
    "scoring:follow_up": {**INDEX, "secretary_b": 404},
    "scoring:diagnosis_new": FOLLOW_UP,
    "scoring:rectification": FOLLOW_UP,
    "scoring:pairing_confirm": row(405),
    "scoring:help_visit_new": FOLLOW_UP,
    "scoring:round": DISTRICT,
    "scoring:round_transition": row(405),
    "scoring:round_export": DISTRICT,
    "scoring:round_import": row(403, anonymous=LOGIN, staff=200),
    "scoring:round_import_confirm": row(405),
    "scoring:entry": DISTRICT,
    "scoring:entry_cell": row(405),
    "scoring:reports": INDEX,
    "scoring:report_build": row(405),
    "scoring:report_progress": row(403, anonymous=LOGIN, staff=286),  # 286: htmx stops polling, all built
    "scoring:report_text": row(403, anonymous=LOGIN, staff=200),
    # The sample report is township A's: township B's secretary gets 404.
    "scoring:report_download": {**INDEX, "secretary_b": 404},
    "scoring:stars": INDEX,
    # Village A's rating is decided already: its secretary is sent on to the application's page.
    "scoring:star_apply": row(403, anonymous=LOGIN, secretary_a=302, secretary_b=404),
    "scoring:star_application": {**INDEX, "secretary_b": 404},
    "scoring:star_plan": FOLLOW_UP,
    "scoring:star_action": row(405),
    "scoring:star_objection_answer": row(405),
    "scoring:star_attachment": {**INDEX, "secretary_b": 404},
    "inspections:rounds": INDEX,
    "inspections:round": {**INDEX, "secretary_b": 404},
    "inspections:round_record": row(405),
    "inspections:candidates": row(403, anonymous=LOGIN, staff=200),
    "inspections:import": row(403, anonymous=LOGIN, staff=200),
    "inspections:import_confirm": row(405),
    "inspections:findings": INDEX,
    "inspections:finding": {**INDEX, "secretary_b": 404},
    "inspections:finding_action": row(405),
    "inspections:evidence": {**INDEX, "secretary_b": 404},
    "inspections:figures": INDEX,
    "petitions:list": PETITION_CASES,
    "petitions:new": row(403, anonymous=LOGIN, petition=200),
    "petitions:due": row(403, anonymous=LOGIN, staff=200, leader=200, petition=200),
    "petitions:board": row(403, anonymous=LOGIN, leader=200),
    "petitions:figures": {**INDEX, "petition": 200},
    "petitions:notices": SIGNED_IN,
    "petitions:petition": PETITION_CASES,
    "petitions:identity": {**PETITION_CASES, "staff": 403, "leader": 403},
    "petitions:action": row(405),
    "petitions:evidence": PETITION_CASES,
    "villages:list": ORGANISATION,
    "villages:export": ORGANISATION,
    "villages:detail": {**ORGANISATION, "secretary_b": 404},
    "audit:list": ONLY["auditor"],
    "audit:verify": ONLY["auditor"],
    "set_language": row(302),
    "admin:*": row(403, anonymous=LOGIN, sysadmin=200),
}


def all_url_names(resolver=None, namespace="") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += all_url_names(pattern, inner)
        else:
            found.append((f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<{pattern.pattern}>", pattern))
    return found


def matrix_key(name: str) -> str:
    return "admin:*" if name.startswith(("admin:", "<admin/")) else name


def test_every_url_has_a_row():
    missing = sorted({matrix_key(name) for name, _ in all_url_names()} - set(MATRIX))
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"


def sample_url(cast, name: str, pattern: URLPattern, index=None) -> str:
    regex = pattern.pattern.regex
    if regex.groups > len(regex.groupindex):  # unnamed groups (simple-history's admin views)
        return reverse(name, args=["1"] * regex.groups)
    return reverse(name, kwargs=sample_kwargs(cast, pattern, index, name))


def _inspection_pk(index, name: str) -> str:
    """The pk of the inspection object an inspections:* URL names (a round, a finding, a file)."""
    objects = {
        "inspections:finding": index.finding,
        "inspections:finding_action": index.finding,
        "inspections:evidence": index.finding_file,
    }
    return str(objects.get(name, index.inspection).pk)


def _star_pk(index, name: str) -> str:
    """The pk of the star object a scoring:star_* URL names (an application, an objection, a file)."""
    objects = {"scoring:star_objection_answer": index.star_objection, "scoring:star_attachment": index.star_file}
    return str(objects.get(name, index.star_application).pk)


def _sample_pk(index, name: str) -> str:
    if index is None:
        return "1"
    if name.startswith("scoring:star"):
        return _star_pk(index, name)
    if name == "scoring:report_progress":
        return str(index.report.batch.pk)
    if name == "scoring:report_download":
        return str(index.report.pk)
    if name.startswith("inspections:"):
        return _inspection_pk(index, name)
    if name.startswith("petitions:"):
        return str((index.petition_file if name == "petitions:evidence" else index.petition).pk)
    return str(index.pk)


def sample_kwargs(cast, pattern: URLPattern, index=None, name: str = "") -> dict:
    samples = {
        "action": "submit",
        "period": "2025",
        "township_code": cast.township_a.code,
        "village_code": cast.village_a.code,
        "indicator_code": "BZ1",
        "code": cast.village_a.code,
        "user_id": cast.users["staff"].pk,
        "object_id": "1",
        "history_id": "1",
        "app_label": "villages",
        "content_type_id": "1",
        "id": "1",
        "pk": _sample_pk(index, name),
        "what": "finding",
        "year": "2025",
        "pairing_id": str(index.pairing.pk if index else 1),
    }
    return {key: samples[key] for key in pattern.pattern.regex.groupindex}


def assert_status(client, url: str, key: str, expected) -> None:
    # Admin URLs are followed to where they end: the sign-in page, or a 403 for a signed-in user.
    response = client.get(url, follow=key == "admin:*" or expected == LOGIN)
    if expected == LOGIN:
        assert response.redirect_chain, "no redirect"
        assert response.request["PATH_INFO"] == reverse("accounts:login"), response.redirect_chain
    else:
        assert response.status_code == expected, f"{response.status_code} instead of {expected}"


@pytest.fixture
def published_index(cast):
    from scoring.models import Pairing, Round
    from scoring.services import round_compute_results

    from .factories import VillageFactory
    from .inspection_helpers import finding, inspection, pdf
    from .petition_helpers import register
    from .scoring_helpers import fill_scores, make_round
    from .star_helpers import decided

    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    weak = VillageFactory(township=cast.township_a, name="后进村")
    fill_scores(round_, cast.village_a, "91")
    fill_scores(round_, cast.village_b, "85")
    fill_scores(round_, weak, "75")
    round_compute_results(round_)
    round_.pairing = Pairing.objects.create(
        round=round_, helper=cast.village_a, helped=weak, confirmed_by=cast.users["staff"]
    )
    round_.star_application = decided(cast, 2, total="75")  # village A, in publicity
    round_.star_objection = star_services.objection_record(
        application=round_.star_application,
        acting_user=cast.users["staff"],
        received_on=date(2025, 12, 2),
        channel="phone",
        content="异议",
    )
    round_.star_file = StarAttachment.objects.create(
        application=round_.star_application,
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="台账.pdf",
        content_type="application/pdf",
        size=17,
        sha256="0" * 64,
        uploaded_by=cast.users["secretary_a"],
    )
    round_.inspection = inspection(cast, kind=InspectionRound.Kind.REVISIT, villages=[cast.village_a])
    round_.finding = finding(cast, round_.inspection)
    services.progress_record(
        finding=round_.finding, acting_user=cast.users["secretary_a"], note="进展", uploads=[pdf()]
    )
    round_.finding_file = round_.finding.evidence.get()
    round_.petition = register(cast, identity="某人")
    listing = petition_services.case_list(
        petition=round_.petition,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="约访",
        deadline=date(2025, 12, 31),
        on=date(2025, 6, 1),
    )
    batch = ReportBatch.objects.create(year=2025, total=1, requested_by=cast.users["staff"])
    round_.report = ReportVersion.objects.create(
        township=cast.township_a,
        year=2025,
        number=1,
        job_id="matrix",
        batch=batch,
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        size=15,
        round_label="2025 第1版",
        data_checksum="0" * 64,
        requested_by=cast.users["staff"],
        seconds=1,
    )
    round_.petition_file = ListedCaseEvidence.objects.create(
        listing=listing,
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="销号.pdf",
        content_type="application/pdf",
        size=17,
        sha256="2" * 64,
        uploaded_by=cast.users["staff"],
    )
    return round_


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(cast, published_index, client_for, role):
    client = client_for(role)
    checked = 0
    for name, pattern in all_url_names():
        key = matrix_key(name)
        if key == "admin:*" and role == "sysadmin":
            continue  # the admin's own per-model permissions: test_system_admin_reaches_the_organisation_admin
        if "<" in name:
            continue  # unnamed: reached only through the named ones
        url = sample_url(cast, name, pattern, published_index)
        try:
            assert_status(client, url, key, MATRIX[key][role])
        except AssertionError as error:
            raise AssertionError(f"{role} GET {url} ({name}): {error}") from None
        checked += 1
    assert checked >= len(MATRIX) - 1


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:index", 200),
        ("admin:villages_village_changelist", 200),
        ("admin:villages_township_changelist", 200),
        ("admin:villages_village_import", 200),
        ("admin:accounts_user_changelist", 200),
        ("admin:auth_group_changelist", 403),  # 三员分立: groups are roles, granted only by secadmin
        ("admin:django_celery_beat_periodictask_changelist", 403),
    ],
)
def test_system_admin_reaches_the_organisation_admin_but_not_the_roles(cast, client_for, url_name, expected):
    assert client_for("sysadmin").get(reverse(url_name)).status_code == expected


def test_the_system_admin_cannot_grant_roles_in_the_user_admin(cast, client_for):
    page = client_for("sysadmin").get(reverse("admin:accounts_user_change", args=[cast.users["staff"].pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "groups" not in form.fields and "is_superuser" not in form.fields and "user_permissions" not in form.fields
