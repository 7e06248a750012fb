"""Every URL the resolver knows × every role (and anonymous) × own / other township → expected status.

A new URL without a row here fails `test_every_url_has_a_row`. Admin URLs are one row: only the system
administrator passes the admin's own checks; everyone else is sent to sign in.

The POST side: POST_MATRIX lists, for every URL that writes on POST, the roles that may act; every other
role is refused (403/404, anonymous sent to sign in) and no row of any table changes. Every other URL is in
READS, so a new URL without a row fails `test_every_post_url_has_a_row`.
"""

import inspect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from cities import services as city_services
from cities import views as city_views
from cities.models import CountyStep, Step, StepEvidence
from core.spreadsheets import xlsx_bytes
from culture import award_views
from culture import awards as culture_awards
from culture import bulletins as bulletin_services
from culture import services as culture_services
from culture import venues as venue_services
from culture import views as culture_views
from culture.demo import venue_photo_png
from culture.models import Audience, AwardCategory, CultureVenue, NominationPhoto, SessionPhoto
from decisions import services as decision_services
from decisions.models import MajorDecision
from inspections import services
from inspections import views as inspection_views
from inspections.models import Finding, InspectionRound
from petitions import services as petition_services
from petitions import views as petition_views
from petitions import visits as petition_visits
from petitions.models import ListedCaseEvidence, Petition, PetitionRules, Visit, WorkingDayOverride
from reports.models import CityReportVersion, ReportBatch, ReportVersion
from results import services as results_services
from results.models import MemberDepartment
from scoring import round_views
from scoring import selectors as scoring_selectors
from scoring import services as scoring_services
from scoring.exporter import score_sheet
from scoring.models import Indicator, OpenDataLicence, Pairing, Round, Score
from scoring.objections import objection_answer, objection_submitted
from stars import services as star_services
from stars import views as star_views
from stars.criteria_services import star_criteria_default
from stars.models import StarApplication, StarAttachment, StarCriteria, StarVetoHit, StarVetoItem
from villages.models import StationKind, Village
from villages.services import station_kinds_ensure, station_save
from workplan import services as plan_services
from workplan.models import ProgressEvidence

from .. import inspection_helpers, petition_helpers, star_helpers
from ..factories import VillageFactory
from ..scoring_helpers import confirmed, fill_scores, make_round

ROLES = [
    "anonymous",
    "secretary_a",
    "secretary_b",
    "staff",
    "leader",
    "petition",
    "sysadmin",
    "secadmin",
    "auditor",
    # The second county (黄岩区) and the city (台州市): tests/conftest.py second_county.
    "staff_b",
    "leader_b",
    "petition_b",
    "city_staff",
    "city_leader",
    # Village A's cadres (tests/conftest.py village_cadres).
    "village_a",
    "supervisor_a",
]
LOGIN = "login"  # a redirect to the sign-in page
# A real one-pixel PNG: a nomination's photo is checked by its content.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5c1e2b60000000049454e44ae426082"
)
# The second county's roles get what the first county's get on a page of their own county (a list, a
# form): the sample objects are the first county's, so an object's row says 404 for them (OTHER_COUNTY).
SAME_AS = {"staff_b": "staff", "leader_b": "leader", "petition_b": "petition"}
OTHER_COUNTY = {"staff_b": 404, "leader_b": 404, "petition_b": 404}


def row(default, **overrides):
    values = {role: overrides.get(role, default) for role in ROLES}
    return values | {role: overrides.get(role, values[like]) for role, like in SAME_AS.items()}


SIGNED_IN = row(200, anonymous=LOGIN)
# The roles that need no second factor by default (they may enrol one): sent on from the verification page.
NO_SECOND_FACTOR = {"secretary_a": 302, "secretary_b": 302, "village_a": 302, "supervisor_a": 302}
CITY_READS = {"city_staff": 200, "city_leader": 200}  # the city's roles read every county of the city
ORGANISATION = row(
    403, anonymous=LOGIN, secretary_a=200, secretary_b=200, staff=200, leader=200, sysadmin=200, **CITY_READS
)
DISTRICT = row(403, anonymous=LOGIN, staff=200, leader=200)
INDEX = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=200, staff=200, leader=200)
# Recorded by staff and the own township's secretary (sample objects are in township A).
FOLLOW_UP = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404, staff=200)
# Cases are for the petition office, staff and leaders; a secretary gets 404 on every case URL.
PETITION_CASES = row(403, anonymous=LOGIN, secretary_a=404, secretary_b=404, staff=200, leader=200, petition=200)
ONLY = {role: row(403, anonymous=LOGIN, **{role: 200}) for role in ["secadmin", "auditor"]}
SCORING_OTHER_COUNTY = {"staff_b": 404, "leader_b": 404}  # the petition office is refused by its role (403)
# 清廉文化: read in scope (the sample session, photo and coverage are township A's: B's secretary and the
# second county get 404), recorded by township A's secretary and the county's staff, read by the city.
CULTURE = {**INDEX, **CITY_READS}
CULTURE_A = {**CULTURE, "secretary_b": 404, "staff_b": 404, "leader_b": 404}
CULTURE_RECORD = row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404, staff=200, staff_b=404)

# GET of each named URL. Village URLs use village A, of secretary A's township: B is "other".
MATRIX = {
    "public:index": row(200),
    "public:period": row(200),
    "public:village": row(200),
    "public:notice": row(200),
    "public:open_data_csv": row(200),
    "public:open_data_json": row(200),
    "public:open_data_all_csv": row(200),
    "public:open_data_all_json": row(200),
    "public:methodology": row(200),
    "public:stars_latest": row(200),
    "public:stars": row(200),
    "public:village_stars": row(200),
    # 清廉文化阵地: every registered venue is public, with its photos.
    "public:township_venues": row(200),
    "public:venue_photo": row(200),
    # The index's objection form (a period in publicity or not: the page says which) and the receipt look-up.
    "objection:new": row(200),
    "objection:receipt": row(200),
    "healthz": row(200),
    "workspace": SIGNED_IN,
    "accounts:login": row(302, anonymous=200),
    "accounts:logout": row(405),
    "accounts:password_change": SIGNED_IN,
    # Users with an authenticator verify; the others (who need none) are sent on to enrol.
    "accounts:otp_verify": row(200, anonymous=LOGIN, **NO_SECOND_FACTOR),
    "accounts:otp_setup": row(302, anonymous=LOGIN, **dict.fromkeys(NO_SECOND_FACTOR, 200)),
    "accounts:role_list": ONLY["secadmin"],
    "accounts:role_edit": ONLY["secadmin"],
    "accounts:user_unlock": row(405),
    "accounts:otp_reset": row(405),
    "accounts:notices": SIGNED_IN,  # each user's own inbox (tests/accounts/test_notices.py: never another's)
    # The index: the city's roles read every county's results, rounds and grids, and write nothing; the
    # second county's staff and leader get 404 on the first county's rounds, villages and townships, and
    # on their own county's results and overview, which has published no index (as a fresh installation).
    "scoring:results": {**INDEX, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:results_export": {**INDEX, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:checkup": {**INDEX, "secretary_b": 404, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:rounds": {**DISTRICT, **CITY_READS},
    "scoring:overview": {**DISTRICT, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:follow_up": {**INDEX, "secretary_b": 404, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:diagnosis_new": {**FOLLOW_UP, "staff_b": 404},
    "scoring:rectification": {**FOLLOW_UP, "staff_b": 404},
    "scoring:pairing_confirm": row(405),
    "scoring:help_visit_new": {**FOLLOW_UP, "staff_b": 404},
    "scoring:round": {**DISTRICT, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:round_transition": row(405),
    "scoring:round_export": {**DISTRICT, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:round_import": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "scoring:round_import_confirm": row(405),
    "scoring:entry": {**DISTRICT, **CITY_READS, **SCORING_OTHER_COUNTY},
    "scoring:entry_cell": row(405),
    # Objections to the index: the county's staff and leaders, a secretary the own township's (the sample is
    # village A's); the city's roles read the counts on the list only.
    "scoring:objections": {**INDEX, **CITY_READS},
    "scoring:objection": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404},
    "scoring:objection_answer": row(405),
    # Staff record objections received by letter, telephone or visit (each county's staff for their own).
    "scoring:objection_record": row(403, anonymous=LOGIN, staff=200, staff_b=200),
    "scoring:objection_correct": row(405),
    # The city's roles read every county's reports (a county filter) and build none; the sample report,
    # batch and text are township A's, of the first county: the second county's staff and leader get 404.
    "reports:list": {**INDEX, **CITY_READS},
    "reports:build": row(405),
    "reports:progress": row(403, anonymous=LOGIN, staff=286, staff_b=404),  # 286: htmx stops polling, all built
    "reports:text": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "reports:download": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404, **CITY_READS},
    # The city's yearly comparison of its counties: the city's roles only (another city's: 404).
    "reports:city": row(403, anonymous=LOGIN, **CITY_READS),
    "reports:city_build": row(405),
    "reports:city_download": row(403, anonymous=LOGIN, **CITY_READS),
    "stars:list": {**INDEX, **CITY_READS},
    # Village A's rating is decided already: its secretary is sent on to the application's page.
    "stars:apply": row(403, anonymous=LOGIN, secretary_a=302, secretary_b=404),
    "stars:application": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "stars:plan": {**FOLLOW_UP, "staff_b": 404},
    "stars:action": row(405),
    "stars:objection_answer": row(405),
    "stars:attachment": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "stars:veto_hits": {**DISTRICT, **CITY_READS},
    "stars:veto_hit_strip": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "stars:veto_hit_dismiss": row(405),
    "stars:pilot": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},  # the first county's pilot
    # 勤廉双优示范乡镇 and 群众满意基层站所: each county's list; township A's own self-assessments.
    "stars:townships": {**INDEX, **CITY_READS},
    "stars:stations": {**INDEX, **CITY_READS},
    "stars:apply_township": row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404),
    "stars:apply_station": row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404),
    "public:subject_ratings": row(200),
    # The city reads every county's rounds, ledger and figures, never a round's or a finding's own page.
    "inspections:rounds": {**INDEX, **CITY_READS},
    "inspections:round": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404},
    "inspections:round_record": row(405),
    "inspections:candidates": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "inspections:import": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "inspections:import_confirm": row(405),
    "inspections:findings": {**INDEX, **CITY_READS},
    "inspections:finding": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404},
    "inspections:finding_action": row(405),
    "inspections:evidence": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404},
    "inspections:figures": {**INDEX, **CITY_READS},
    # A case is its county's: the second county's office, staff and leader get 404 on it, the city 403 (the
    # city reads the figures only).
    "petitions:list": PETITION_CASES,
    "petitions:new": row(403, anonymous=LOGIN, petition=200),
    "petitions:villages": row(403, anonymous=LOGIN, petition=200),  # the registration form's village select
    "petitions:due": row(403, anonymous=LOGIN, staff=200, leader=200, petition=200),
    "petitions:board": row(403, anonymous=LOGIN, leader=200),
    "petitions:figures": {**INDEX, "petition": 200, "petition_b": 200, **CITY_READS},
    "petitions:petition": {**PETITION_CASES, **OTHER_COUNTY},
    "petitions:identity": {**PETITION_CASES, "staff": 403, "leader": 403, **OTHER_COUNTY},
    "petitions:action": row(405),
    "petitions:evidence": {**PETITION_CASES, **OTHER_COUNTY},
    # 主动下访: the county's petition office, staff and leaders; secretaries and the city read figures only.
    "petitions:visits": row(403, anonymous=LOGIN, staff=200, leader=200, petition=200),
    "petitions:visits_export": row(403, anonymous=LOGIN, staff=200, leader=200, petition=200),
    "petitions:visit_new": row(403, anonymous=LOGIN, staff=200, leader=200, petition=200),
    "petitions:visit": {**row(403, anonymous=LOGIN, staff=200, leader=200, petition=200), **OTHER_COUNTY},
    "petitions:visit_edit": {**row(403, anonymous=LOGIN, staff=200, leader=200, petition=200), **OTHER_COUNTY},
    "petitions:visit_issue_register": {**row(403, anonymous=LOGIN, petition=200), **OTHER_COUNTY},
    # The city's comparison and 五个一 schedule are the city's roles'; a county's staff and leaders read their
    # own county's 五个一 (the samples are the first county's: 404 for the second county's).
    "cities:home": row(403, anonymous=LOGIN, city_staff=302, city_leader=302),
    "cities:comparison": row(403, anonymous=LOGIN, **CITY_READS),
    "cities:comparison_export": row(403, anonymous=LOGIN, **CITY_READS),
    "cities:schedule_current": row(403, anonymous=LOGIN, city_staff=302, city_leader=302),
    "cities:schedule": row(403, anonymous=LOGIN, **CITY_READS),
    "cities:schedule_export": row(403, anonymous=LOGIN, **CITY_READS),
    "cities:programme_create": row(405),
    "cities:mine": row(403, anonymous=LOGIN, staff=302, leader=302, city_staff=302, city_leader=302),
    "cities:county": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "cities:visit_new": row(405),
    "cities:step": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "cities:step_due": row(405),
    "cities:step_action": row(405),
    "cities:problem_rectified": row(405),
    "cities:evidence": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "culture:sessions": CULTURE,
    "culture:sessions_export": CULTURE,
    "culture:session_new": CULTURE_RECORD,
    "culture:session": CULTURE_A,
    "culture:session_edit": CULTURE_RECORD,
    "culture:session_action": row(405),
    "culture:photo": CULTURE_A,
    "culture:rosters": CULTURE,
    "culture:lecturer_new": row(405),
    # The sample member is of the cast's county: its staff change it, another county's staff get 404.
    "culture:lecturer_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "culture:lecturer_end": row(405),
    "culture:coverage": CULTURE_A,
    "culture:coverage_export": CULTURE_A,
    "culture:figures": CULTURE,
    # 典型案例通报: the sample bulletin is the first county's, issued (its forms send the staff back to it: 302);
    # township A's meeting on it is not recorded yet.
    "culture:bulletins": INDEX,
    "culture:bulletin_new": row(403, anonymous=LOGIN, staff=200),
    "culture:bulletin": {**INDEX, "staff_b": 404, "leader_b": 404},
    "culture:bulletin_edit": row(403, anonymous=LOGIN, staff=302, staff_b=404),
    "culture:bulletin_issue": row(405),
    "culture:bulletin_case_new": row(403, anonymous=LOGIN, staff=302, staff_b=404),
    "culture:bulletin_case_edit": row(403, anonymous=LOGIN, staff=302, staff_b=404),
    "culture:bulletin_case_remove": row(405),
    "culture:bulletin_meeting_new": CULTURE_RECORD,
    "culture:bulletin_pdf": {**INDEX, "staff_b": 404, "leader_b": 404},
    "culture:bulletin_meetings": DISTRICT,
    "culture:bulletin_meetings_export": DISTRICT,
    # 十大评选: the samples are the first county's; a contest is read by its county's secretaries too, a
    # nomination (township A's) by its own township's. Township A's secretary and the county's staff nominate.
    "awards:contests": CULTURE,
    "awards:contest_new": row(405),
    "awards:contest": {**CULTURE, "staff_b": 404, "leader_b": 404},
    "awards:nominate": CULTURE_RECORD,
    "awards:contest_action": row(405),
    "awards:nomination": CULTURE_A,
    "awards:nomination_action": row(405),
    # The public vote and the published ten: anyone, without an account (the sample contest is voting).
    "awards_public:index": row(200),
    "awards_public:contest": row(200),
    "awards_public:vote": row(405),
    "awards_public:photo": row(200),
    # 清廉文化阵地: the sample venue and photo are township A's.
    "culture:venues": CULTURE,
    "culture:venues_export": CULTURE,
    "culture:venue_new": CULTURE_RECORD,
    "culture:venue": CULTURE_A,
    "culture:venue_edit": CULTURE_RECORD,
    "culture:venue_photos": row(405),
    "culture:venue_remove": row(405),
    "culture:venue_photo": CULTURE_A,
    "culture:venue_photo_remove": row(405),
    # The work plan: a county's staff, leaders and secretaries read their own county's, the city's roles every
    # county's of the city; the samples are the first county's (404 for the second county's people).
    "workplan:home": row(
        403, anonymous=LOGIN, secretary_a=302, secretary_b=302, staff=302, leader=302, city_staff=302, city_leader=302
    ),
    "workplan:plan": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "workplan:plan_create": row(405),
    "workplan:plan_print": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "workplan:plan_export": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "workplan:task_new": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "workplan:task": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "workplan:task_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "workplan:task_progress": row(405),
    "workplan:evidence": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    # 结果运用: the county's staff record, its leaders and the city read the register; a secretary reads the
    # eligibility list and the village pages of the own township (the samples are township A's).
    "results:home": row(
        403, anonymous=LOGIN, secretary_a=302, secretary_b=302, staff=302, leader=302, city_staff=302, city_leader=302
    ),
    "results:register": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:points": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:funds": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:awards": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:filings": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:filing": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:department_export": {**DISTRICT, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:eligibility": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:eligibility_export": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:village": {**INDEX, "secretary_b": 404, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "results:points_new": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:points_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:fund_new": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:fund_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:rule_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:award_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:filing_new": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:filing_edit": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "results:filing_opinion": row(405),
    # 五有一化: township A's secretary reports its decisions, the county's staff review them, leaders and the
    # city read; the sample report (with its minutes) is township A's; the public summary is anyone's.
    # A village's cadres read their own village only: the page takes no code, it shows the cadre's village.
    "villagers:mine": row(403, anonymous=LOGIN, village_a=200, supervisor_a=200),
    "decisions:home": row(
        403, anonymous=LOGIN, secretary_a=302, secretary_b=302, staff=302, leader=302, city_staff=302, city_leader=302
    ),
    "decisions:list": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "decisions:figures": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "decisions:export": {**INDEX, "staff_b": 404, "leader_b": 404, **CITY_READS},
    "decisions:new": row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404),
    "decisions:decision": CULTURE_A,
    "decisions:edit": row(403, anonymous=LOGIN, secretary_a=200, secretary_b=404),
    "decisions:evaluate": row(405),
    "decisions:review": row(405),
    "decisions:minutes": CULTURE_A,
    "decisions:rule": row(403, anonymous=LOGIN, staff=200, staff_b=404),
    "decisions_public:index": row(200),
    "decisions_public:county": row(200),
    "villages:list": ORGANISATION,
    "villages:export": ORGANISATION,
    "villages:detail": {**ORGANISATION, "secretary_b": 404, "staff_b": 404, "leader_b": 404},
    # 基层站所: read as the organisation tree; kept by the county's staff (township A's sample station) and
    # the system administrator; secretaries, leaders and the city read only.
    "villages:stations": ORGANISATION,
    "villages:station_new": row(403, anonymous=LOGIN, staff=200, sysadmin=200, staff_b=404),
    "villages:station_edit": row(403, anonymous=LOGIN, staff=200, sysadmin=200, staff_b=404),
    "villages:station_active": row(405),
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
    """The pk of the star object a stars:* URL names (an application, an objection, a file)."""
    objects = {
        "stars:objection_answer": index.star_objection,
        "stars:attachment": index.star_file,
        "stars:veto_hit_strip": index.star_veto_hit,
        "stars:veto_hit_dismiss": index.star_veto_hit,
    }
    return str(objects.get(name, index.star_application).pk)


def _sample_pk(index, name: str) -> str:
    if index is None:
        return "1"
    if name == "stars:apply_station":
        return str(index.station.pk)
    if name.startswith("stars:"):
        return _star_pk(index, name)
    if name.startswith("scoring:objection"):
        return str(index.index_objection.pk)
    if name == "reports:progress":
        return str(index.report.batch.pk)
    if name == "reports:download":
        return str(index.report.pk)
    if name == "reports:city_download":
        return str(index.city_report.pk)
    if name.startswith("inspections:"):
        return _inspection_pk(index, name)
    if name.startswith("petitions:visit"):
        return str((index.visit_issue if name == "petitions:visit_issue_register" else index.visit).pk)
    if name.startswith("petitions:"):
        return str((index.petition_file if name == "petitions:evidence" else index.petition).pk)
    if name.startswith("cities:"):
        objects = {"cities:evidence": index.city_file, "cities:problem_rectified": index.city_problem}
        return str(objects.get(name, index.city_step).pk)
    if name in ("culture:venue_photo", "culture:venue_photo_remove", "public:venue_photo"):
        return str(index.venue_photo.pk)
    if name.startswith("villages:station"):
        return str(index.station.pk)
    if name.startswith("culture:venue"):
        return str(index.culture_venue.pk)
    if name.startswith(("awards:", "awards_public:")):
        objects = {
            "awards:nominate": index.award_open,
            "awards:nomination": index.award_nomination,
            "awards:nomination_action": index.award_nomination,
            "awards_public:photo": index.award_photo,
        }
        return str(objects.get(name, index.award_contest).pk)
    if name.startswith("culture:bulletin"):
        by_case = name in ("culture:bulletin_case_edit", "culture:bulletin_case_remove")
        return str((index.bulletin_case if by_case else index.bulletin).pk)
    if name.startswith("culture:lecturer"):
        return str(index.culture_lecturer.pk)
    if name.startswith("culture:"):
        return str((index.culture_photo if name == "culture:photo" else index.culture_session).pk)
    if name.startswith("workplan:"):
        objects = {"workplan:evidence": index.plan_file, "workplan:task_new": index.plan_task.area}
        return str(objects.get(name, index.plan_task).pk)
    if name.startswith("decisions:"):
        return str((index.decision_minutes if name == "decisions:minutes" else index.decision).pk)
    if name.startswith("results:"):
        objects = {
            "results:points_edit": index.results_points,
            "results:fund_edit": index.results_fund,
            "results:award_edit": index.results_nomination,
            "results:department_export": index.results_department,
        }
        return str(objects.get(name, index.results_filing).pk)
    return str(index.pk)


def sample_kwargs(cast, pattern: URLPattern, index=None, name: str = "") -> dict:
    samples = {
        "action": "submit",
        "period": "2025",
        "township_code": cast.township_a.code,
        "village_code": cast.village_a.code,
        "indicator_code": "BZ1",
        "code": cast.village_a.code,
        "county": cast.township_a.district.code,
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
        "nomination_pk": "1",
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


DECISION_TEXT = {
    "category": "project",
    "subject": "村级道路硬化工程",
    "amount": None,
    "rules_basis": "三重一大制度",
    "proposal": "镇党委书记提议",
    "deliberation": "征求意见",
    "vote": "8票同意",
    "monitor": "镇纪委",
    "accountability": "按办法追究",
    "made_public": True,
    "public_where": "镇政务公开栏",
    "public_summary": "同意实施村级道路硬化工程",
}


@pytest.fixture
def published_index(cast, second_county, village_cadres):
    from scoring.models import Pairing, Round
    from scoring.services import round_compute_results

    from ..factories import VillageFactory
    from ..inspection_helpers import finding, inspection, pdf
    from ..petition_helpers import register
    from ..scoring_helpers import fill_scores, make_round
    from ..star_helpers import decided

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
    # A village's fixed four stars that a veto record now hits (after the objection: village A's level,
    # objected to, stays in publicity when the publicity periods end).
    starred = star_helpers.fixed(cast, 4, village=VillageFactory(township=cast.township_a, name="四星村"))
    round_.star_veto_hit = StarVetoHit.objects.create(
        application=starred,
        item=starred.criteria.veto_items.get(rule=StarVetoItem.Rule.RECORDED),
        event_key="record:0",
        event="村干部违规发包工程",
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
    batch = ReportBatch.objects.create(
        district=cast.township_a.district, year=2025, total=1, requested_by=cast.users["staff"]
    )
    round_.report = ReportVersion.objects.create(
        district=cast.township_a.district,
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
    round_.city_report = CityReportVersion.objects.create(
        city=cast.township_a.district.city,
        year=2025,
        number=1,
        job_id="matrix-city",
        file=ContentFile(b"%PDF-1.4 city report", name="city.pdf"),
        size=20,
        data_checksum="0" * 64,
        requested_by=cast.users["city_staff"],
        seconds=1,
    )
    round_.visit = petition_visits.visit_record(  # 主动下访 to village A, with one issue
        acting_user=cast.users["staff"],
        village=cast.village_a,
        visited_on=date(2025, 6, 10),
        officials="区纪委 陈某",
        issues=[petition_visits.IssueReceived("sanzi", "反映厂房租金去向不明")],
    )
    round_.visit_issue = round_.visit.issues.get()
    round_.petition_file = ListedCaseEvidence.objects.create(
        listing=listing,
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="销号.pdf",
        content_type="application/pdf",
        size=17,
        sha256="2" * 64,
        uploaded_by=cast.users["staff"],
    )
    # The city's 2025 五个一 for both counties; the first county's 专题汇报 with a file, a city visit there.
    programme = city_services.programme_create(
        city=cast.township_a.district.city,
        year=2025,
        due_dates=dict.fromkeys(Step.values, date(2025, 9, 30)),
        acting_user=cast.users["city_staff"],
    )
    round_.city_step = CountyStep.objects.get(programme=programme, district=cast.township_a.district, step=Step.REPORT)
    round_.city_file = StepEvidence.objects.create(
        step=round_.city_step,
        file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
        original_name="汇报材料.pdf",
        content_type="application/pdf",
        size=17,
        sha256="3" * 64,
        uploaded_by=cast.users["staff"],
    )
    visit = city_services.visit_record(
        programme=programme,
        district=cast.township_a.district,
        visited_on=date(2025, 6, 1),
        checked="查阅台账",
        problems=[{"description": "台账不全", "due_on": date(2025, 7, 1)}],
        acting_user=cast.users["city_staff"],
    )
    round_.city_problem = visit.problems.get()
    round_.index_objection = objection_submitted(
        round_=round_, village=cast.village_a, content="异议内容", contact="13800000000"
    )
    round_.culture_lecturer = culture_services.lecturer_appoint(
        district=cast.township_a.district,
        kind="lecturer",
        name="王讲师",
        unit="区纪委",
        topics="党纪条规",
        appointed_on=date(2024, 1, 1),
        ended_on=None,
        acting_user=cast.users["staff"],
    )
    # 清廉文化: township A's planned session, with a photo.
    round_.culture_session = culture_services.session_record(
        township=cast.township_a,
        held_on=date(2025, 4, 1),
        place="党群服务中心",
        theme="学党纪 守规矩",
        speakers=[],
        online_reach=0,
        attendance={},
        acting_user=cast.users["secretary_a"],
    )
    round_.culture_photo = SessionPhoto.objects.create(
        session=round_.culture_session,
        file=ContentFile(b"%PDF-1.4 evidence", name="photo.pdf"),
        original_name="现场.pdf",
        content_type="application/pdf",
        size=17,
        sha256="4" * 64,
        uploaded_by=cast.users["secretary_a"],
    )
    # 十大评选: the first county's 2025 contest in its public vote now (township A's person shortlisted, with
    # a photo) and its 2026 contest taking nominations (township A's story, undecided).
    staff = cast.users["staff"]
    round_.award_contest = culture_awards.contest_open(
        district=cast.township_a.district, year=2025, title="十大评选", acting_user=staff
    )
    shortlisted = culture_awards.nomination_create(
        contest=round_.award_contest,
        category=AwardCategory.PERSON,
        township=cast.township_a,
        village=None,
        title="王阿婆",
        story="事迹",
        acting_user=cast.users["secretary_a"],
    )
    culture_awards.nomination_decide(nomination=shortlisted, shortlisted=True, acting_user=staff)
    round_.award_contest = culture_awards.contest_shortlist(
        contest=round_.award_contest,
        version=round_.award_contest.version,
        vote_opens_at=timezone.now() - timedelta(hours=1),
        vote_closes_at=timezone.now() + timedelta(days=3),
        acting_user=staff,
    )
    round_.award_photo = NominationPhoto.objects.create(
        nomination=shortlisted,
        file=ContentFile(PNG_BYTES, name="photo.png"),
        original_name="照片.png",
        content_type="image/png",
        size=len(PNG_BYTES),
        sha256="5" * 64,
        uploaded_by=cast.users["secretary_a"],
    )
    round_.award_open = culture_awards.contest_open(
        district=cast.township_a.district, year=2026, title="十大评选", acting_user=staff
    )
    round_.award_nomination = culture_awards.nomination_create(
        contest=round_.award_open,
        category=AwardCategory.STORY,
        township=cast.township_a,
        village=None,
        title="一本账簿",
        story="故事",
        acting_user=cast.users["secretary_a"],
    )
    # The first county's 2025 work plan; a task township A is responsible for, with progress and a file.
    plan = plan_services.plan_create(district=cast.township_a.district, year=2025, acting_user=cast.users["staff"])
    round_.plan_task = plan.areas.get(position=2).tasks.order_by("number").first()
    round_.plan_task.townships.set([cast.township_a])
    plan_services.progress_record(
        task=round_.plan_task, note="已开展", done=False, uploads=[pdf()], acting_user=cast.users["staff"]
    )
    round_.plan_file = ProgressEvidence.objects.get()
    # 五有一化: township A's complete report of a 2025 decision, with its minutes, awaiting review.
    round_.decision = decision_services.decision_report(
        township=cast.township_a,
        text=decision_services.DecisionText(**DECISION_TEXT, decided_on=date(2025, 6, 2)),
        minutes=[pdf()],
        acting_user=cast.users["secretary_a"],
    )
    round_.decision_minutes = round_.decision.minutes.get()
    # 清廉文化阵地: a venue of village A with a photo.
    round_.culture_venue = venue_services.venue_record(
        township=cast.township_a,
        village=cast.village_a,
        name="石曲村廉园",
        kind=CultureVenue.Kind.GARDEN,
        address="石曲村村委会东侧",
        opened_on=date(2024, 6, 1),
        photos=[SimpleUploadedFile("廉园.png", venue_photo_png(0))],
        acting_user=cast.users["secretary_a"],
    )
    round_.venue_photo = round_.culture_venue.photos.get()
    # 基层站所: township A's police station.
    station_kinds_ensure()
    round_.station = station_save(
        township=cast.township_a,
        kind=StationKind.objects.get(name="派出所"),
        name="路桥街道派出所",
        acting_user=cast.users["staff"],
    )
    # The year's criteria of the townships' and stations' ratings (same engine as the villages' stars).
    star_criteria_default(2025, "township")
    round_.station_criteria = star_criteria_default(2025, "station")
    # 典型案例通报: an issued bulletin of the first county, its case built from village A's person handled.
    person = services.person_record(
        round_=round_.inspection,
        acting_user=cast.users["staff"],
        village=cast.village_a,
        name="王某某",
        post="村报账员",
        handling="party_sanction",
        decided_on=date(2025, 5, 1),
    )
    round_.bulletin = bulletin_services.bulletin_create(
        district=cast.township_a.district, title="典型案例通报", foreword="", acting_user=cast.users["staff"]
    )
    round_.bulletin_case = bulletin_services.case_add(
        bulletin=round_.bulletin,
        version=1,
        person=person,
        post="某镇某村报账员",
        facts="挪用集体资金",
        handling="给予党纪处分",
        lesson="管好集体资金",
        acting_user=cast.users["staff"],
    )
    round_.bulletin = bulletin_services.bulletin_issue(
        bulletin=round_.bulletin, version=2, acting_user=cast.users["staff"], today=date(2025, 6, 1)
    )
    # 结果运用: village A's 2025 points and fund, a filing naming it, the four-star village's 示范村 nomination.
    results_services.departments_seed()
    round_.results_department = MemberDepartment.objects.get(name="财政局")
    round_.results_points = results_services.points_record(
        district=cast.township_a.district,
        year=2025,
        text=results_services.PointsText(cast.village_a, "clean_governance", Decimal("1"), "按星级计分"),
        acting_user=staff,
    )
    round_.results_fund = results_services.fund_record(
        district=cast.township_a.district,
        year=2025,
        text=results_services.FundText(
            cast.village_a, round_.results_department, "以奖代补", Decimal("100000"), date(2025, 6, 1), ""
        ),
        acting_user=staff,
    )
    round_.results_filing = results_services.filing_record(
        district=cast.township_a.district,
        text=results_services.FilingText(
            department=round_.results_department,
            number="备〔2025〕1号",
            year=2025,
            kind="fund",
            title="以奖代补资金",
            content="四星级以上村给予奖励",
            amount=None,
            filed_on=date(2025, 5, 1),
            villages=[cast.village_a],
        ),
        acting_user=staff,
    )
    round_.results_nomination = star_services.demonstration_nominate(
        application=starred, level="city", acting_user=staff
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


# --- POST: every state-changing URL × every role ----------------------------------------------------------

ANYONE = frozenset(ROLES)
SIGNED_IN_ROLES = ANYONE - {"anonymous"}

# The roles that may act through each state-changing URL (a view that writes on POST). A URL that
# dispatches on an action has a row per action ("name action"), and one per state of the object where the
# role that acts depends on it. Every other role gets 403 or 404 (anonymous: sent to sign in) and no row of
# any table changes. The objects acted on are township A's: township B's secretary is the outsider.
POST_MATRIX = {
    # One's own session, account and notices.
    "accounts:login": ANYONE,
    "accounts:logout": ANYONE,
    "set_language": ANYONE,
    "accounts:password_change": SIGNED_IN_ROLES,
    "accounts:otp_verify": SIGNED_IN_ROLES,
    "accounts:otp_setup": SIGNED_IN_ROLES,
    "accounts:notices": SIGNED_IN_ROLES,  # opening the page marks the user's notices read
    "accounts:role_edit": {"secadmin"},
    "accounts:user_unlock": {"secadmin"},
    "accounts:otp_reset": {"secadmin"},
    "scoring:rounds": {"staff", "staff_b"},  # a county's staff open their own county's round
    "scoring:round_transition submit": {"staff"},
    "scoring:round_transition approve": {"leader"},
    "scoring:round_transition publish": {"leader"},
    "scoring:round_transition return": {"leader"},
    "scoring:round_transition correct": {"staff"},
    "scoring:round_import": {"staff"},
    "scoring:round_import_confirm": {"staff"},
    "scoring:entry_cell": {"staff"},
    "scoring:diagnosis_new": {"staff", "secretary_a"},
    "scoring:rectification": {"staff", "secretary_a"},
    "scoring:pairing_confirm": {"staff"},
    "scoring:help_visit_new": {"staff", "secretary_a"},
    "scoring:objection_record": {"staff"},  # another county's staff: the round is not theirs (404)
    "scoring:objection_answer": {"staff"},  # the county's staff answer; leaders and secretaries read
    "scoring:objection_correct": {"staff"},
    "objection:new": ANYONE,  # a resident, without an account
    "reports:build": {"staff", "staff_b"},  # each county's staff build their own county's reports
    "reports:text": {"staff"},
    "reports:city_build": {"city_staff"},
    "stars:apply": {"secretary_a"},
    "stars:action submit": {"secretary_a"},
    "stars:action decide": {"secretary_a"},  # 1–3 stars: the township decides
    "stars:action decide forwarded": {"leader"},  # 4–5 stars: the leader, after the township's opinion
    "stars:action forward": {"secretary_a"},
    "stars:action return": {"secretary_a"},
    "stars:action return forwarded": {"leader"},
    "stars:action objection": {"staff", "secretary_a"},
    "stars:action objection district": {"staff", "leader"},
    "stars:action strip": {"staff"},
    "stars:action veto": {"staff"},
    "stars:action nominate": {"staff"},
    "stars:objection_answer": {"staff", "secretary_a"},
    "stars:plan": {"staff", "secretary_a"},
    "stars:veto_hit_strip": {"staff"},
    "stars:veto_hit_dismiss": {"staff"},
    "stars:pilot": {"staff"},  # the first county's staff, for its own pilot
    "stars:apply_township": {"secretary_a"},
    "stars:apply_station": {"secretary_a"},
    "stars:action satisfaction": {"staff"},  # the villagers' survey result of a station's rating
    "inspections:rounds": {"staff", "staff_b"},  # each county's staff make their own county's rounds
    "inspections:round_record finding": {"staff"},
    "inspections:round_record lead": {"staff"},
    "inspections:round_record person": {"staff"},
    "inspections:candidates": {"staff"},
    "inspections:import": {"staff"},
    "inspections:import_confirm": {"staff"},
    "inspections:finding_action submit": {"staff", "secretary_a"},
    "inspections:finding_action progress": {"staff", "secretary_a"},
    "inspections:finding_action close": {"staff"},
    "inspections:finding_action reopen": {"staff"},
    "inspections:finding_action cite": {"staff"},
    "petitions:new": {"petition"},
    "petitions:action accept": {"petition"},
    "petitions:action transfer": {"petition"},
    "petitions:action notify": {"petition"},
    "petitions:action start": {"petition"},
    "petitions:action conclude": {"petition"},
    "petitions:action feed_back": {"petition"},
    "petitions:action extend": {"leader"},
    "petitions:action repeat": {"petition"},
    "petitions:action list": {"staff", "leader", "petition"},
    "petitions:action cite": {"staff"},
    "petitions:action strike_off": {"staff", "leader", "petition"},
    "petitions:action archive": {"petition"},
    "petitions:visit_new": {"staff", "leader", "petition"},
    "petitions:visit_edit": {"staff", "leader", "petition"},
    "petitions:visit_issue_register": {"petition"},
    # 五个一: the city's staff set and supervise, the county's staff report their own county's steps.
    "cities:programme_create": {"city_staff"},
    "cities:step_due": {"city_staff"},
    "cities:visit_new": {"city_staff"},
    "cities:problem_rectified": {"city_staff"},
    "cities:step_action progress": {"staff"},
    "cities:step_action evidence": {"staff"},
    "cities:step_action complete": {"staff"},
    # 清廉文化: township A's secretary and the county's staff record its sessions; each county's staff keep
    # their own county's rosters.
    "culture:session_new": {"staff", "secretary_a"},
    "culture:session_edit": {"staff", "secretary_a"},
    "culture:session_action presence": {"staff", "secretary_a"},
    "culture:session_action close": {"staff", "secretary_a"},
    "culture:session_action photos": {"staff", "secretary_a"},
    "culture:lecturer_new": {"staff", "staff_b"},
    "culture:lecturer_edit": {"staff"},
    "culture:lecturer_end": {"staff"},
    # 典型案例通报: the county's staff compose (each county's staff their own county's bulletins); township A's
    # secretary and the staff record township A's meeting.
    "culture:bulletin_new": {"staff", "staff_b"},
    "culture:bulletin_edit": {"staff"},
    "culture:bulletin_issue": {"staff"},
    "culture:bulletin_case_new": {"staff"},
    "culture:bulletin_case_edit": {"staff"},
    "culture:bulletin_case_remove": {"staff"},
    "culture:bulletin_meeting_new": {"staff", "secretary_a"},
    # 十大评选: each county's staff open their own county's contest; township A's secretary and the county's
    # staff nominate for it and add photos; the staff shortlist, set the window, publish; anyone votes.
    "awards:contest_new": {"staff", "staff_b"},
    "awards:nominate": {"staff", "secretary_a"},
    "awards:nomination_action photos": {"staff", "secretary_a"},
    "awards:nomination_action shortlist": {"staff"},
    "awards:nomination_action reject": {"staff"},
    "awards:contest_action window": {"staff"},
    "awards:contest_action publish": {"staff"},
    "awards_public:vote": ANYONE,  # a resident, without an account
    "culture:venue_new": {"staff", "secretary_a"},
    "culture:venue_edit": {"staff", "secretary_a"},
    "culture:venue_photos": {"staff", "secretary_a"},
    "culture:venue_remove": {"staff", "secretary_a"},
    "culture:venue_photo_remove": {"staff", "secretary_a"},
    # The work plan: the county's staff plan; they and a responsible township's secretary report progress.
    "workplan:plan_create": {"staff"},
    "workplan:task_new": {"staff"},
    "workplan:task_edit": {"staff"},
    "workplan:task_progress": {"staff", "secretary_a"},
    # 结果运用: the county's staff record its register; leaders, the city and secretaries read it.
    "results:points_new": {"staff"},
    "results:points_edit": {"staff"},
    "results:fund_new": {"staff"},
    "results:fund_edit": {"staff"},
    "results:rule_edit": {"staff"},
    "results:award_edit": {"staff"},
    "results:filing_new": {"staff"},
    "results:filing_edit": {"staff"},
    "results:filing_opinion": {"staff"},
    # 五有一化: township A's secretary reports, edits and evaluates its reports; the county's staff review them
    # and set the county's deadline.
    "decisions:new": {"secretary_a"},
    "decisions:edit": {"secretary_a"},
    "decisions:evaluate": {"secretary_a"},
    "decisions:review": {"staff"},
    "decisions:rule": {"staff"},
    # 基层站所: the county's staff and the system administrator keep township A's stations.
    "villages:station_new": {"staff", "sysadmin"},
    "villages:station_edit": {"staff", "sysadmin"},
    "villages:station_active": {"staff", "sysadmin"},
    # Within the admin's per-model permissions: test_the_system_admin_cannot_post_what_the_admin_withholds.
    "admin:*": {"sysadmin"},
}
# URLs that answer a POST as a GET: they write nothing, or only the audit row of a read (an export, a
# download, the petitioner's identity).
READS = {
    "villagers:mine",
    "public:index",
    "public:period",
    "public:village",
    "public:notice",
    "public:open_data_csv",
    "public:open_data_json",
    "public:open_data_all_csv",
    "public:open_data_all_json",
    "public:methodology",
    "public:stars_latest",
    "public:stars",
    "public:village_stars",
    "public:township_venues",
    "public:venue_photo",
    "objection:receipt",
    "healthz",
    "workspace",
    "accounts:role_list",
    "scoring:results",
    "scoring:results_export",
    "scoring:checkup",
    "scoring:overview",
    "scoring:follow_up",
    "scoring:round",
    "scoring:round_export",
    "scoring:entry",
    "scoring:objections",
    "scoring:objection",
    "reports:list",
    "reports:progress",
    "reports:download",
    "reports:city",
    "reports:city_download",
    "stars:list",
    "stars:application",
    "stars:attachment",
    "stars:veto_hits",
    "inspections:round",
    "inspections:findings",
    "inspections:finding",
    "inspections:evidence",
    "inspections:figures",
    "petitions:list",
    "petitions:due",
    "petitions:villages",
    "petitions:board",
    "petitions:figures",
    "petitions:petition",
    "petitions:identity",
    "petitions:evidence",
    "petitions:visits",
    "petitions:visits_export",
    "petitions:visit",
    "cities:home",
    "cities:comparison",
    "cities:comparison_export",
    "cities:schedule_current",
    "cities:schedule",
    "cities:schedule_export",
    "cities:mine",
    "cities:county",
    "cities:step",
    "cities:evidence",
    "culture:sessions",
    "culture:sessions_export",
    "culture:session",
    "culture:photo",
    "culture:rosters",
    "culture:coverage",
    "culture:coverage_export",
    "culture:figures",
    "culture:bulletins",
    "culture:bulletin",
    "culture:bulletin_pdf",
    "culture:bulletin_meetings",
    "culture:bulletin_meetings_export",
    "awards:contests",
    "awards:contest",
    "awards:nomination",
    "awards_public:index",
    "awards_public:contest",
    "awards_public:photo",
    "culture:venues",
    "culture:venues_export",
    "culture:venue",
    "culture:venue_photo",
    "workplan:home",
    "workplan:plan",
    "workplan:plan_print",
    "workplan:plan_export",
    "workplan:task",
    "workplan:evidence",
    "results:home",
    "results:register",
    "results:points",
    "results:funds",
    "results:awards",
    "results:filings",
    "results:filing",
    "results:department_export",
    "results:eligibility",
    "results:eligibility_export",
    "results:village",
    "decisions:home",
    "decisions:list",
    "decisions:figures",
    "decisions:export",
    "decisions:decision",
    "decisions:minutes",
    "decisions_public:index",
    "decisions_public:county",
    "villages:list",
    "villages:export",
    "villages:detail",
    "villages:stations",
    "stars:townships",
    "stars:stations",
    "public:subject_ratings",
    "audit:list",
    "audit:verify",
}
# The actions each dispatching URL knows: a new action without a row fails test_every_post_url_has_a_row.
ACTIONS = {
    "scoring:round_transition": {*round_views.TRANSITIONS, "publish", "return", "correct"},
    "stars:action": {*star_views.ACTIONS, "submit"},
    "inspections:round_record": set(inspection_views.RECORDS),
    "inspections:finding_action": {*inspection_views.FINDING_ACTIONS, "submit"},
    "petitions:action": {*petition_views.ACTIONS, "repeat", "list", "cite", "strike_off", "archive"},
    "cities:step_action": set(city_views.STEP_ACTIONS),
    "culture:session_action": set(culture_views.SESSION_ACTIONS),
    "awards:nomination_action": set(award_views.NOMINATION_ACTIONS),
    "awards:contest_action": set(award_views.CONTEST_ACTIONS),
}


def post_key_parts(key: str) -> tuple[str, str | None]:
    name, *rest = key.split()
    return name, (rest[0] if rest else None)


def test_every_post_url_has_a_row():
    rows = {post_key_parts(key)[0] for key in POST_MATRIX}
    names = {matrix_key(name) for name, _ in all_url_names() if "<" not in name}
    assert rows & READS == set()
    assert sorted(names - rows - READS) == [], "URLs neither in POST_MATRIX nor in READS"
    assert sorted((rows | READS) - names) == [], "rows of URLs the resolver does not know"
    for name, actions in ACTIONS.items():
        assert {post_key_parts(key)[1] for key in POST_MATRIX if key.split()[0] == name} == actions, name


def test_the_post_table_lets_no_secretary_act_for_another_township():
    """Every object posted to is township A's: B's secretary acts only on the own session and account."""
    assert [key for key, roles in POST_MATRIX.items() if "secretary_b" in roles and roles != ANYONE] == [
        key for key, roles in POST_MATRIX.items() if roles == SIGNED_IN_ROLES
    ]


def _view_source(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return "def post(" if hasattr(view_class, "post") else ""
    return inspect.getsource(inspect.unwrap(callback))


def test_no_read_url_handles_a_post():
    """A view that reads request.POST or checks for a POST belongs in POST_MATRIX, not in READS."""
    handling = sorted(
        name
        for name, pattern in all_url_names()
        if name in READS and re.search(r"request\.POST|request\.method|def post\(", _view_source(pattern.callback))
    )
    assert handling == []


@dataclass
class Upload:
    """A file of a POST, opened anew for each request."""

    name: str
    content: bytes


class PostWorld:
    """What the POSTs act on, each object in a state where a role that may act would succeed: so a refused
    POST is refused for the role, not for the object's state or a form error."""

    def __init__(self, cast, index):
        self.cast, self.index, self.users = cast, index, cast.users
        self.village, self.weak = cast.village_a, index.pairing.helped
        self.draft = make_round("2026")  # a round being entered, scores of every active village of its county
        for village in Village.objects.filter(active=True, township__district=cast.township_a.district):
            fill_scores(self.draft, village, "95")
        self.indicator = Indicator.objects.filter(scheme=self.draft.period.scheme).first()
        self.criteria = index.star_application.criteria

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs=kwargs)

    # --- scoring
    def round_in(self, status: str) -> Round:
        """The draft round moved on to `status` by the roles that do it."""
        staff, leader = self.users["staff"], self.users["leader"]
        round_ = self.draft
        if status in (Round.Status.SUBMITTED, Round.Status.APPROVED):
            round_ = scoring_services.round_submit(round_=round_, acting_user=staff)
        if status == Round.Status.APPROVED:
            round_ = scoring_services.round_approve(round_=round_, acting_user=leader)
        return round_

    def cite(self) -> dict:
        # The last indicator is at full marks in every village (fill_scores takes points off the first):
        # citing is refused where another deduction stands.
        cited = Indicator.objects.filter(scheme=self.draft.period.scheme).last()
        return {"round": self.draft.pk, "indicator": cited.pk, "points": cited.max_points - 1}

    def upheld_objection(self) -> tuple[str, dict]:
        objection = objection_answer(
            objection=self.index.index_objection, upheld=True, answer="经核查属实", acting_user=self.users["staff"]
        )
        return self.url("scoring:objection_correct", pk=objection.pk), {"reason": "更正村务清爽得分"}

    def cell(self) -> tuple[str, dict]:
        score = Score.objects.get(round=self.draft, village=self.village, indicator=self.indicator)
        url = self.url(
            "scoring:entry_cell", pk=self.draft.pk, village_code=self.village.code, indicator_code=self.indicator.code
        )
        return url, {"points": self.indicator.max_points - 1, "reason": "台账缺失", "version": score.version}

    def unpaired(self) -> tuple[str, dict]:
        Pairing.objects.filter(pk=self.index.pairing.pk).delete()
        return self.url("scoring:pairing_confirm", code=self.weak.code), {"helper": self.village.code}

    def star(self, state: str, level: int = 2) -> StarApplication:
        """An application of a new village of township A, in `state`."""
        village = VillageFactory(township=self.cast.township_a)
        if state == "draft":
            return star_helpers.draft(self.cast, level, "97", village=village)
        if state == "decided":
            return star_helpers.decided(self.cast, level, village=village)
        application = star_helpers.filed(self.cast, level, village=village)
        if state == "forwarded":
            application = star_services.application_forward(
                application=application, acting_user=self.users["secretary_a"], opinion="同意上报", points=97, level=4
            )
        return application

    def star_action(self, application: StarApplication, action: str, **data) -> tuple[str, dict]:
        # The form's version, as the page gives it: the refusal is about the role, not a stale form.
        return self.url("stars:action", pk=application.pk, action=action), {
            "version": application.version,
            **data,
        }

    def subject_apply(self, criteria, url: str) -> tuple[str, dict]:
        data = {"level_applied": 1, "summary": "自评情况", "version": "", "file": "1"}
        for item_id, (points, note) in star_helpers.self_scores(criteria, "95").items():
            data |= {f"item_{item_id}": points, f"note_{item_id}": note}
        return url, data

    def station_rating(self) -> StarApplication:
        """A station of township A whose self-assessment was filed: it waits for the county."""
        station = station_save(
            township=self.cast.township_a,
            kind=StationKind.objects.get(name="派出所"),
            name="路桥街道市场监管所",
            acting_user=self.users["staff"],
        )
        application = star_services.application_save(
            criteria=self.index.station_criteria,
            rated=station,
            level_applied=1,
            scores=star_helpers.self_scores(self.index.station_criteria, "95"),
            summary="自评",
            acting_user=self.users["secretary_a"],
        )
        return star_services.application_submit(application=application, acting_user=self.users["secretary_a"])

    def star_apply(self) -> tuple[str, dict]:
        village = VillageFactory(township=self.cast.township_a)
        data = {"level_applied": 2, "summary": "自评情况", "version": "", "file": "1"}
        for item_id, (points, note) in star_helpers.self_scores(self.criteria, "97").items():
            data |= {f"item_{item_id}": points, f"note_{item_id}": note}
        return self.url("stars:apply", code=village.code), data

    # --- inspections
    def finding(self, status: str = Finding.Status.RECTIFYING) -> Finding:
        finding = self.index.finding  # followed by secretary A, with evidence
        if status == Finding.Status.SUBMITTED:
            finding = services.closure_submit(finding=finding, acting_user=self.users["secretary_a"])
        return finding

    def finding_action(self, action: str, status: str = Finding.Status.RECTIFYING, **data) -> tuple[str, dict]:
        finding = Finding.objects.get(pk=self.finding(status).pk)  # as stored (an earlier row's save was undone)
        return self.url("inspections:finding_action", pk=finding.pk, action=action), {
            "version": finding.version,
            **data,
        }

    def record(self, what: str, **data) -> tuple[str, dict]:
        return self.url("inspections:round_record", pk=self.index.inspection.pk, what=what), data

    # --- petitions
    def petition(self, state: str = "registered") -> Petition:
        petition = petition_helpers.register(self.cast, identity="李某")
        officer = self.users["petition"]
        if state == "transferred":
            petition_services.petition_transfer(
                petition=petition,
                acting_user=officer,
                to_unit="路桥街道",
                to_township=None,
                opinion="",
                on=date(2025, 3, 4),
            )
        elif state == "concluded":
            petition_helpers.concluded(self.cast, petition)
        elif state in ("accepted", "in_progress"):
            petition_helpers.accepted(self.cast, petition)
            if state == "in_progress":
                petition_services.petition_start(petition=petition, acting_user=officer)
        return petition

    def petition_action(self, petition: Petition, action: str, **data) -> tuple[str, dict]:
        """The step's form, filled in against the case as it is now."""
        version = Petition.objects.get(pk=petition.pk).version
        return self.url("petitions:action", pk=petition.pk, action=action), {"version": version, **data}

    def repeat(self) -> tuple[str, dict]:
        earlier = petition_helpers.register(self.cast, received_on=date(2025, 1, 6))  # the same person complained of
        return self.petition_action(self.index.petition, "repeat", earlier=earlier.pk)


PDF = Upload("整改照片.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
PNG = Upload("推荐照片.png", PNG_BYTES)
TOKEN = "0" * 32


def _bulletin_person(w, name: str):
    return services.person_record(
        round_=w.index.inspection,
        acting_user=w.users["staff"],
        village=w.cast.village_a,
        name=name,
        post="村委委员",
        handling="talk",
        decided_on=date(2025, 5, 2),
    )


def _bulletin_draft(w):
    """A draft bulletin of the first county with one case."""
    staff = w.users["staff"]
    draft = bulletin_services.bulletin_create(
        district=w.cast.township_a.district, title="第二期典型案例通报", foreword="", acting_user=staff
    )
    case = bulletin_services.case_add(
        bulletin=draft,
        version=draft.version,
        person=_bulletin_person(w, "李某某"),
        post="某镇某村村委委员",
        facts="违规报销",
        handling="给予谈话提醒",
        lesson="严守财务纪律",
        acting_user=staff,
    )
    draft.refresh_from_db()
    return draft, case


BULLETIN_CASE = {"post": "某镇某村村委委员", "facts": "违规报销", "handling": "给予谈话提醒", "lesson": "严守财务纪律"}


def _bulletin_case_new(w):
    draft, _case = _bulletin_draft(w)
    url = w.url("culture:bulletin_case_new", pk=draft.pk) + f"?person={_bulletin_person(w, '赵某某').pk}"
    return url, BULLETIN_CASE | {"version": draft.version}


# Each POST_MATRIX row's request: (url, data) built on the world, after putting its object in the state.
POST_REQUESTS = {
    "accounts:password_change": lambda w: (
        w.url("accounts:password_change"),
        {"old_password": "x", "new_password1": "Lianjie-new-2025", "new_password2": "Lianjie-new-2025"},
    ),
    "accounts:otp_verify": lambda w: (w.url("accounts:otp_verify"), {"token": "123456"}),
    "accounts:otp_setup": lambda w: (w.url("accounts:otp_setup"), {"token": "123456"}),
    "accounts:notices": lambda w: (w.url("accounts:notices"), {}),
    "accounts:role_edit": lambda w: (
        w.url("accounts:role_edit", user_id=w.users["staff"].pk),
        {"role": Role.COMMISSION_LEADER, "township": "", "district": w.users["staff"].district_id},
    ),
    "accounts:user_unlock": lambda w: (w.url("accounts:user_unlock", user_id=w.users["staff"].pk), {}),
    "accounts:otp_reset": lambda w: (w.url("accounts:otp_reset", user_id=w.users["leader"].pk), {}),
    "scoring:rounds": lambda w: (w.url("scoring:rounds"), {"period": "2027", "scheme": w.draft.period.scheme_id}),
    "scoring:round_transition submit": lambda w: (
        w.url("scoring:round_transition", pk=w.draft.pk, action="submit"),
        {},
    ),
    "scoring:round_transition approve": lambda w: (
        w.url("scoring:round_transition", pk=w.round_in(Round.Status.SUBMITTED).pk, action="approve"),
        {},
    ),
    "scoring:round_transition publish": lambda w: (
        w.url("scoring:round_transition", pk=(approved := w.round_in(Round.Status.APPROVED)).pk, action="publish"),
        confirmed(approved),  # the summary's button
    ),
    "scoring:round_transition return": lambda w: (
        w.url("scoring:round_transition", pk=w.round_in(Round.Status.SUBMITTED).pk, action="return"),
        {"reason": "第三项扣分依据不足"},
    ),
    "scoring:round_transition correct": lambda w: (
        w.url("scoring:round_transition", pk=w.index.pk, action="correct"),
        {"reason": "更正录入错误"},
    ),
    "scoring:round_import": lambda w: (
        w.url("scoring:round_import", pk=w.draft.pk),
        {"file": Upload("scores.xlsx", score_sheet(w.draft, scoring_selectors.round_village_queryset(w.draft)))},
    ),
    "scoring:round_import_confirm": lambda w: (w.url("scoring:round_import_confirm", pk=w.draft.pk), {"token": TOKEN}),
    "scoring:entry_cell": lambda w: w.cell(),
    "scoring:diagnosis_new": lambda w: (
        w.url("scoring:diagnosis_new", code=w.village.code),
        {"held_on": "2025-12-10", "deductions_found": "台账缺失", "measures": "补齐台账", "responsible_person": "王某"},
    ),
    "scoring:rectification": lambda w: (
        w.url("scoring:rectification", code=w.weak.code),
        {"goals": "摘掉C档", "measures": "三资清理", "responsible_person": "王某", "due_on": "2026-06-30"},
    ),
    "scoring:pairing_confirm": lambda w: w.unpaired(),
    "scoring:help_visit_new": lambda w: (
        w.url("scoring:help_visit_new", pairing_id=w.index.pairing.pk),
        {"visited_on": "2025-12-12", "content": "指导三资管理"},
    ),
    "scoring:objection_record": lambda w: (
        w.url("scoring:objection_record"),
        {
            "round": w.index.pk,
            "channel": "letter",
            "village": w.cast.village_a.code,
            "content": "来信反映：村务公开栏长期未更新，评分偏高。",
            "name": "",
            "phone": "",
        },
    ),
    "scoring:objection_answer": lambda w: (
        w.url("scoring:objection_answer", pk=w.index.index_objection.pk),
        {"answer": "经核查不属实", "upheld": "no"},
    ),
    "scoring:objection_correct": lambda w: w.upheld_objection(),
    "reports:build": lambda w: (w.url("reports:build"), {"year": "2025"}),
    "reports:city_build": lambda w: (w.url("reports:city_build"), {"year": "2025"}),
    "reports:text": lambda w: (
        w.url("reports:text", township_code=w.cast.township_a.code, year=2025),
        {"text": "一、三资管理不规范"},
    ),
    "stars:apply": lambda w: w.star_apply(),
    "stars:apply_township": lambda w: w.subject_apply(
        StarCriteria.objects.get(year=2025, subject="township"),
        w.url("stars:apply_township", township_code=w.cast.township_a.code),
    ),
    "stars:apply_station": lambda w: w.subject_apply(
        w.index.station_criteria, w.url("stars:apply_station", pk=w.index.station.pk)
    ),
    "stars:action satisfaction": lambda w: w.star_action(
        w.station_rating(),
        "satisfaction",
        satisfaction="92",
        satisfaction_responses="80",
        satisfaction_source="电话回访",
    ),
    "stars:action submit": lambda w: w.star_action(w.star("draft"), "submit"),
    "stars:action decide": lambda w: w.star_action(w.star("submitted"), "decide", opinion="同意", points="97", level=2),
    "stars:action decide forwarded": lambda w: w.star_action(
        w.star("forwarded", 4), "decide", opinion="同意", points="97", level=4
    ),
    "stars:action forward": lambda w: w.star_action(
        w.star("submitted", 4), "forward", opinion="同意上报", points="97", level=4
    ),
    "stars:action return": lambda w: w.star_action(w.star("submitted"), "return", opinion="补充台账"),
    "stars:action return forwarded": lambda w: w.star_action(w.star("forwarded", 4), "return", opinion="补充台账"),
    "stars:action objection": lambda w: w.star_action(
        w.index.star_application, "objection", received_on="2025-12-03", channel="phone", content="村务不公开"
    ),
    "stars:action objection district": lambda w: w.star_action(
        w.star("decided", 4), "objection", received_on="2025-12-03", channel="phone", content="村务不公开"
    ),
    "stars:action strip": lambda w: w.star_action(
        w.index.star_application,
        "strip",
        stars_after=1,
        trigger="other",
        reason="村干部被处分",
        stripped_on="2025-12-05",
    ),
    "stars:action veto": lambda w: w.star_action(
        w.index.star_application,
        "veto",
        item=w.criteria.veto_items.filter(rule=StarVetoItem.Rule.RECORDED).first().pk,
        occurred_on="2025-06-01",
        reason="村支书受党纪处分",
    ),
    "stars:action nominate": lambda w: w.star_action(w.star("decided", 4), "nominate", level="city"),
    "stars:objection_answer": lambda w: (
        w.url("stars:objection_answer", pk=w.index.star_objection.pk),
        {"answer": "经核实不属实", "upheld": "no"},
    ),
    "stars:plan": lambda w: (
        w.url("stars:plan", pk=w.index.star_application.pk),
        {
            "measures": "补短板",
            "responsible_person": "王某",
            "due_on": "2026-06-30",
            "progress": "",
            "completed_on": "",
        },
    ),
    "stars:veto_hit_strip": lambda w: (
        w.url("stars:veto_hit_strip", pk=w.index.star_veto_hit.pk),
        {"stars_after": 3, "trigger": "veto", "reason": "村干部违规发包工程", "stripped_on": "2025-12-28"},
    ),
    "stars:veto_hit_dismiss": lambda w: (
        w.url("stars:veto_hit_dismiss", pk=w.index.star_veto_hit.pk),
        {"reason": "经核实不属实"},
    ),
    "stars:pilot": lambda w: (
        w.url("stars:pilot", year=2025, county=w.cast.township_a.district.code),
        {"starts_on": "2025-03-01", "townships": [w.cast.township_a.pk], "note": "先行试点"},
    ),
    # No village: a round naming the first county's villages is the second county's staff's form error
    # (tests/inspections/test_inspections_per_county.py); without one, each county's staff make a round.
    "inspections:rounds": lambda w: (
        w.url("inspections:rounds"),
        {
            "kind": InspectionRound.Kind.DISTRICT,
            "name": "2026年巡察",
            "theme": "",
            "team": "第二巡察组",
            "team_leader": "李组长",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-21",
            "village_codes": "",
        },
    ),
    "inspections:round_record finding": lambda w: w.record(
        "finding",
        village=w.village.pk,
        category=inspection_helpers.category().pk,
        description="村务公开不及时",
        severity="minor",
        measure="按月公开",
        responsible_person="王某",
        owner=w.users["secretary_a"].pk,
        found_on="2025-03-05",
        due_on="2025-05-05",
    ),
    "inspections:round_record lead": lambda w: w.record(
        "lead",
        village=w.village.pk,
        finding=w.index.finding.pk,
        summary="工程款去向不明",
        handed_to="区纪委第一审查调查室",
        handed_on="2025-03-10",
        outcome="",
    ),
    "inspections:round_record person": lambda w: w.record(
        "person",
        village=w.village.pk,
        name="张某",
        post="村会计",
        village_cadre="on",
        handling="talk",
        decided_on="2025-03-12",
    ),
    "inspections:candidates": lambda w: (
        w.url("inspections:candidates", pk=w.index.inspection.pk),
        {"village": [w.weak.code]},
    ),
    "inspections:import": lambda w: (
        w.url("inspections:import", pk=w.index.inspection.pk),
        {
            "file": Upload(
                "findings.xlsx",
                xlsx_bytes(
                    ["村居代码", "问题类别", "问题描述", "跟进人", "整改期限"],
                    [[w.village.code, "三资管理", "坐收坐支", "secretary_a", "2025-06-30"]],
                ),
            )
        },
    ),
    "inspections:import_confirm": lambda w: (
        w.url("inspections:import_confirm", pk=w.index.inspection.pk),
        {"token": TOKEN},
    ),
    "inspections:finding_action submit": lambda w: w.finding_action("submit"),
    "inspections:finding_action progress": lambda w: w.finding_action(
        "progress", note="已公开", version=Finding.objects.get(pk=w.index.finding.pk).version, files=PDF
    ),
    "inspections:finding_action close": lambda w: w.finding_action(
        "close", Finding.Status.SUBMITTED, verification="实地核查属实"
    ),
    "inspections:finding_action reopen": lambda w: w.finding_action(
        "reopen", Finding.Status.SUBMITTED, reason="整改不到位", due_on="2025-09-30"
    ),
    "inspections:finding_action cite": lambda w: w.finding_action("cite", **w.cite()),
    "petitions:new": lambda w: (
        w.url("petitions:new"),
        {
            "received_on": "2025-03-03",
            "channel": Petition.Channel.LETTER,
            "subject_name": "赵某",
            "subject_post": "村委会主任",
            "township": w.cast.township_a.pk,
            "village": w.village.pk,
            "rural": "on",
            "category": Petition.Category.SANZI,
            "summary": "反映低保评定不公",
        },
    ),
    "petitions:action accept": lambda w: w.petition_action(
        w.petition(),
        "accept",
        petition_class=petition_helpers.petition_class().pk,
        disposal=Petition.Disposal.VERIFY,
        on="2025-03-05",
        opinion="受理",
    ),
    "petitions:action transfer": lambda w: w.petition_action(
        w.petition(), "transfer", to_unit="路桥街道纪工委", to_township=w.cast.township_a.pk, on="2025-03-05"
    ),
    "petitions:action notify": lambda w: w.petition_action(w.petition("accepted"), "notify", on="2025-03-06"),
    "petitions:action start": lambda w: w.petition_action(w.petition("accepted"), "start", opinion="开始核查"),
    "petitions:action conclude": lambda w: w.petition_action(
        w.petition("in_progress"), "conclude", conclusion=Petition.Conclusion.TRUE, result="已核实", on="2025-04-01"
    ),
    "petitions:action feed_back": lambda w: w.petition_action(w.petition("concluded"), "feed_back", on="2025-04-03"),
    "petitions:action extend": lambda w: w.petition_action(
        w.petition("accepted"), "extend", days=10, reason="案情复杂"
    ),
    "petitions:action repeat": lambda w: w.repeat(),
    "petitions:action list": lambda w: w.petition_action(
        w.petition(),
        "list",
        leader=w.users["leader"].pk,
        unit="路桥街道党工委",
        measures="约访",
        deadline="2025-12-31",
    ),
    "petitions:action cite": lambda w: w.petition_action(w.petition("concluded"), "cite", **w.cite()),
    "petitions:action strike_off": lambda w: w.petition_action(
        w.index.petition, "strike_off", resolution="已化解", verification="回访核实", files=PDF
    ),
    "petitions:action archive": lambda w: w.petition_action(w.petition("transferred"), "archive"),
    "petitions:visit_new": lambda w: (
        w.url("petitions:visit_new"),
        {
            "visited_on": "2025-06-10",
            "village": w.village.pk,
            "officials": "区纪委 陈某",
            "issue-TOTAL_FORMS": "1",
            "issue-INITIAL_FORMS": "0",
            "issue-0-category": "sanzi",
            "issue-0-summary": "反映厂房租金去向不明",
        },
    ),
    "petitions:visit_edit": lambda w: (
        w.url("petitions:visit_edit", pk=w.index.visit.pk),
        {
            "visited_on": "2025-06-10",
            "village": w.village.pk,
            "officials": "区纪委 陈某、路桥街道纪工委 林某",
            "version": Visit.objects.get(pk=w.index.visit.pk).version,
            "issue-TOTAL_FORMS": "1",
            "issue-INITIAL_FORMS": "1",
            "issue-0-issue": w.index.visit_issue.pk,
            "issue-0-category": "sanzi",
            "issue-0-summary": "反映厂房租金去向不明",
            "issue-0-settled_on_spot": "on",
        },
    ),
    "petitions:visit_issue_register": lambda w: (
        w.url("petitions:visit_issue_register", pk=w.index.visit_issue.pk),
        {"subject_name": "郑某", "subject_post": "村报账员", "rural": "on", "category": "sanzi", "summary": "租金"},
    ),
    "cities:programme_create": lambda w: (
        w.url("cities:programme_create", year=2026),
        dict.fromkeys(Step.values, "2026-09-30"),
    ),
    "cities:step_due": lambda w: (w.url("cities:step_due", pk=w.index.city_step.pk), {"due_on": "2025-10-31"}),
    "cities:visit_new": lambda w: (
        w.url("cities:visit_new", year=2025, county=w.cast.township_a.district.code),
        {
            "visited_on": "2025-06-10",
            "checked": "抽查三个村的自评材料",
            "problems-TOTAL_FORMS": "1",
            "problems-INITIAL_FORMS": "0",
            "problems-0-description": "自评材料不全",
            "problems-0-due_on": "2025-07-10",
        },
    ),
    "cities:problem_rectified": lambda w: (
        w.url("cities:problem_rectified", pk=w.index.city_problem.pk),
        {"rectified_on": "2025-06-20"},
    ),
    "cities:step_action progress": lambda w: (
        w.url("cities:step_action", pk=w.index.city_step.pk, action="progress"),
        {"progress": "已向区委专题汇报"},
    ),
    "cities:step_action evidence": lambda w: (
        w.url("cities:step_action", pk=w.index.city_step.pk, action="evidence"),
        {"kind": StepEvidence.Kind.DOCUMENT, "files": PDF},
    ),
    "cities:step_action complete": lambda w: (
        w.url("cities:step_action", pk=w.index.city_step.pk, action="complete"),
        {"done_on": "2025-06-01", "progress": ""},
    ),
    "culture:session_new": lambda w: (
        w.url("culture:session_new", township_code=w.cast.township_a.code),
        {"held_on": "2025-05-01", "place": "文化礼堂", "theme": "以案说纪", "online_reach": "0"}
        | {f"audience_{category}": "10" for category in Audience.values},
    ),
    "culture:session_edit": lambda w: (
        w.url("culture:session_edit", pk=w.index.culture_session.pk),
        {"held_on": "2025-04-02", "place": "文化礼堂", "theme": "以案说纪", "online_reach": "100", "version": "1"}
        | {f"audience_{category}": "5" for category in Audience.values},
    ),
    "culture:session_action presence": lambda w: (
        w.url("culture:session_action", pk=w.index.culture_session.pk, action="presence"),
        {"version": "1", f"village_{w.cast.village_a.pk}_secretary": "on"},
    ),
    "culture:session_action close": lambda w: (
        w.url("culture:session_action", pk=w.index.culture_session.pk, action="close"),
        {"version": "1", "summary": "宣讲完毕"},
    ),
    "culture:session_action photos": lambda w: (
        w.url("culture:session_action", pk=w.index.culture_session.pk, action="photos"),
        {"files": PDF},
    ),
    "culture:bulletin_new": lambda w: (w.url("culture:bulletin_new"), {"title": "第三期典型案例通报", "foreword": ""}),
    "culture:bulletin_edit": lambda w: (
        (draft := _bulletin_draft(w)[0]) and w.url("culture:bulletin_edit", pk=draft.pk),
        {"title": "第二期典型案例通报（修改）", "foreword": "以案为鉴", "version": draft.version},
    ),
    "culture:bulletin_issue": lambda w: (
        (draft := _bulletin_draft(w)[0]) and w.url("culture:bulletin_issue", pk=draft.pk),
        {"version": draft.version},
    ),
    "culture:bulletin_case_new": _bulletin_case_new,
    "culture:bulletin_case_edit": lambda w: (
        (drafted := _bulletin_draft(w)) and w.url("culture:bulletin_case_edit", pk=drafted[1].pk),
        BULLETIN_CASE | {"lesson": "严守财务纪律，杜绝违规报销", "version": drafted[0].version},
    ),
    "culture:bulletin_case_remove": lambda w: (
        (drafted := _bulletin_draft(w)) and w.url("culture:bulletin_case_remove", pk=drafted[1].pk),
        {"version": drafted[0].version},
    ),
    "culture:bulletin_meeting_new": lambda w: (
        w.url("culture:bulletin_meeting_new", pk=w.index.bulletin.pk, township_code=w.cast.township_a.code),
        {"held_on": "2025-06-02", "attendance": "30"},
    ),
    "culture:lecturer_new": lambda w: (
        w.url("culture:lecturer_new"),
        {"kind": "lecturer", "name": "王讲师", "appointed_on": "2025-01-01"},
    ),
    "culture:lecturer_edit": lambda w: (
        w.url("culture:lecturer_edit", pk=w.index.culture_lecturer.pk),
        {
            "unit": "区委党校",
            "topics": "八项规定",
            "appointed_on": "2024-02-01",
            "version": culture_services.lecturer_version(w.index.culture_lecturer),
        },
    ),
    "culture:lecturer_end": lambda w: (
        w.url("culture:lecturer_end", pk=w.index.culture_lecturer.pk),
        {"ended_on": "2025-12-31", "version": culture_services.lecturer_version(w.index.culture_lecturer)},
    ),
    "awards:contest_new": lambda w: (
        w.url("awards:contest_new"),
        {"year": "2027", "title": "十大评选", "winners_per_category": "10"},
    ),
    "awards:nominate": lambda w: (
        w.url("awards:nominate", pk=w.index.award_open.pk, township_code=w.cast.township_a.code),
        {"category": "person", "title": "李书记", "story": "事迹"},
    ),
    "awards:nomination_action photos": lambda w: (
        w.url("awards:nomination_action", pk=w.index.award_nomination.pk, action="photos"),
        {"files": PNG},
    ),
    "awards:nomination_action shortlist": lambda w: (
        w.url("awards:nomination_action", pk=w.index.award_nomination.pk, action="shortlist"),
        {},
    ),
    "awards:nomination_action reject": lambda w: (
        w.url("awards:nomination_action", pk=w.index.award_nomination.pk, action="reject"),
        {},
    ),
    "awards:contest_action window": lambda w: _award_window(w),
    "awards:contest_action publish": lambda w: _award_publish(w),
    "culture:venue_new": lambda w: (
        w.url("culture:venue_new", township_code=w.cast.township_a.code),
        {"village": w.cast.village_a.pk, "name": "石曲村廉廊", "kind": "corridor", "address": "文化礼堂旁"}
        | {"opened_on": "2025-03-01"},
    ),
    "culture:venue_edit": lambda w: (
        w.url("culture:venue_edit", pk=w.index.culture_venue.pk),
        {"village": w.cast.village_a.pk, "name": "石曲村清廉园", "kind": "garden", "address": "村委会东侧"}
        | {"opened_on": "2024-06-01", "version": "1"},
    ),
    "culture:venue_photos": lambda w: (
        w.url("culture:venue_photos", pk=w.index.culture_venue.pk),
        {"photos": Upload("廉园.png", venue_photo_png(1))},
    ),
    "culture:venue_remove": lambda w: (w.url("culture:venue_remove", pk=w.index.culture_venue.pk), {"version": "1"}),
    "culture:venue_photo_remove": lambda w: (w.url("culture:venue_photo_remove", pk=w.index.venue_photo.pk), {}),
    "villages:station_new": lambda w: (
        w.url("villages:station_new", township_code=w.cast.township_a.code),
        {"kind": StationKind.objects.get(name="市场监管所").pk, "name": "路桥街道市场监管所"},
    ),
    "villages:station_edit": lambda w: (
        w.url("villages:station_edit", pk=w.index.station.pk),
        {"kind": w.index.station.kind_id, "name": "路桥街道派出所（新）"},
    ),
    "villages:station_active": lambda w: (w.url("villages:station_active", pk=w.index.station.pk), {"active": "0"}),
    "workplan:plan_create": lambda w: (
        w.url("workplan:plan_create", county=w.cast.township_a.district.code, year=2026),
        {},
    ),
    "workplan:task_new": lambda w: (
        w.url("workplan:task_new", pk=w.index.plan_task.area_id),
        {"title": "开展专项督查", "lead_unit": "区纪委区监委", "responsible_units": "", "due_on": "2025-12-31"},
    ),
    "workplan:task_edit": lambda w: (
        w.url("workplan:task_edit", pk=w.index.plan_task.pk),
        {
            "version": w.index.plan_task.version,
            "title": "开展清廉指数评定",
            "lead_unit": "区纪委区监委",
            "responsible_units": "各镇（街道）",
            "townships": [w.cast.township_a.pk],
            "due_on": "2025-12-31",
        },
    ),
    "workplan:task_progress": lambda w: (
        w.url("workplan:task_progress", pk=w.index.plan_task.pk),
        {"note": "已完成本镇评定"},
    ),
    "results:points_new": lambda w: (
        w.url("results:points_new", county=w.cast.township_a.district.code, year=2025),
        {"village": w.cast.village_a.code, "assessment": "other", "points": "1", "reason": "加分"},
    ),
    "results:points_edit": lambda w: (
        w.url("results:points_edit", pk=w.index.results_points.pk),
        {"version": "1", "village": w.cast.village_a.code, "assessment": "clean_governance", "points": "2"},
    ),
    "results:fund_new": lambda w: (
        w.url("results:fund_new", county=w.cast.township_a.district.code, year=2025),
        {"village": w.cast.village_a.code, "department": w.index.results_department.pk, "project": "精品村"}
        | {"amount": "50000", "decided_on": "2025-07-01"},
    ),
    "results:fund_edit": lambda w: (
        w.url("results:fund_edit", pk=w.index.results_fund.pk),
        {"version": "1", "village": w.cast.village_a.code, "department": w.index.results_department.pk}
        | {"project": "以奖代补", "amount": "120000", "decided_on": "2025-06-01"},
    ),
    "results:rule_edit": lambda w: (
        w.url("results:rule_edit", county=w.cast.township_a.district.code, year=2025),
        {"min_stars": "4", "lowest_grade": "B"},
    ),
    "results:award_edit": lambda w: (
        w.url("results:award_edit", pk=w.index.results_nomination.pk),
        {"version": "0", "status": "approved", "approved_by_body": "市纪委市监委", "decided_on": "2025-12-28"},
    ),
    "results:filing_new": lambda w: (
        w.url("results:filing_new", county=w.cast.township_a.district.code),
        {"department": w.index.results_department.pk, "number": "备〔2025〕2号", "year": "2025", "kind": "policy"}
        | {"title": "评先评优办法", "content": "一、二星级村不得参加", "filed_on": "2025-05-02"},
    ),
    "results:filing_edit": lambda w: (
        w.url("results:filing_edit", pk=w.index.results_filing.pk),
        {"version": "1", "department": w.index.results_department.pk, "number": "备〔2025〕1号", "year": "2025"}
        | {"kind": "fund", "title": "以奖代补资金", "content": "五星级村给予奖励", "filed_on": "2025-05-01"},
    ),
    "results:filing_opinion": lambda w: (
        w.url("results:filing_opinion", pk=w.index.results_filing.pk),
        {"version": "1", "opinion": "agreed", "opinion_text": "同意备案", "opinion_on": "2025-05-08"},
    ),
    "decisions:new": lambda w: (
        w.url("decisions:new", township_code=w.cast.township_a.code),
        {**DECISION_TEXT, "amount": "", "made_public": "on", "decided_on": "2025-07-01", "minutes": PDF},
    ),
    "decisions:edit": lambda w: (
        w.url("decisions:edit", pk=w.index.decision.pk),
        {**DECISION_TEXT, "amount": "120000", "made_public": "on", "decided_on": "2025-06-02"}
        | {"version": MajorDecision.objects.get(pk=w.index.decision.pk).version},
    ),
    "decisions:evaluate": lambda w: (
        w.url("decisions:evaluate", pk=w.index.decision.pk),
        {"evaluation": "按期完工", "evaluated_on": "2025-12-01"}
        | {"version": MajorDecision.objects.get(pk=w.index.decision.pk).version},
    ),
    "decisions:review": lambda w: (
        w.url("decisions:review", pk=w.index.decision.pk),
        {"outcome": "accept", "opinion": "", "version": MajorDecision.objects.get(pk=w.index.decision.pk).version},
    ),
    "decisions:rule": lambda w: (w.url("decisions:rule", county=w.cast.township_a.district.code), {"working_days": 5}),
}


def _award_window(w) -> tuple[str, dict]:
    """The 2026 contest with its one nomination shortlisted: ready for its public vote's window."""
    culture_awards.nomination_decide(
        nomination=w.index.award_nomination, shortlisted=True, acting_user=w.users["staff"]
    )
    contest = w.index.award_open
    return w.url("awards:contest_action", pk=contest.pk, action="window"), {
        "version": contest.version,
        "vote_opens_at": "2026-06-01T08:00",
        "vote_closes_at": "2026-06-10T20:00",
    }


def _award_publish(w) -> tuple[str, dict]:
    """The 2025 contest's window moved into the past: ready to publish."""
    contest = w.index.award_contest
    type(contest).objects.filter(pk=contest.pk).update(
        vote_opens_at=timezone.now() - timedelta(days=10), vote_closes_at=timezone.now() - timedelta(minutes=1)
    )
    return w.url("awards:contest_action", pk=contest.pk, action="publish"), {"version": contest.version}


# Rows no POST of a role that may act proves here, and where their success is tested instead.
UNPROVEN = {
    "reports:build": "without a broker the batch builds every PDF at once: tests/reports/test_reports.py",
    "reports:city_build": "the job is queued once the request commits: tests/reports/test_city_report.py",
    "scoring:round_import": "a preview writes nothing, only its confirmation: tests/scoring/test_score_import.py",
    "scoring:round_import_confirm": "needs the token of a preview in the session: tests/scoring/test_score_import.py",
    "inspections:import": "a preview writes nothing, only its confirmation: tests/inspections/test_findings_import.py",
    "inspections:import_confirm": "needs a preview token in the session: tests/inspections/test_findings_import.py",
}
SIGN_IN = ("/accounts/login/", "/admin/login/")


def table_counts() -> dict[str, int]:
    """The rows of every installed model's table, auto-created many-to-many tables included (one query)."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    return {table: (before[table], after[table]) for table in after if before.get(table) != after[table]}


def post(client, url: str, data: dict, **extra):
    files = {
        key: SimpleUploadedFile(value.name, value.content) for key, value in data.items() if isinstance(value, Upload)
    }
    return client.post(url, {**data, **files}, **extra)


def refused(response, role: str) -> bool:
    """403 or 404; anonymous may instead be sent to sign in."""
    if role == "anonymous" and response.status_code == 302:
        return response["Location"].startswith(SIGN_IN)
    return response.status_code in (403, 404)


def post_rows(app: str):
    return [(key, roles) for key, roles in POST_MATRIX.items() if key.partition(":")[0] == app]


@pytest.mark.parametrize(
    "app",
    [
        *("accounts", "scoring", "stars", "inspections", "petitions", "reports", "cities", "culture", "awards"),
        *("workplan", "villages", "decisions", "results"),
    ],
)
def test_a_post_changes_rows_only_for_a_role_that_may_act(cast, published_index, client_for, app):
    """Every role in turn posts the same request on the object as it was. A role that may not act is
    refused and every table stays as it was: the product audits no refusal (the log has no such event), so
    the audit log does not grow either. A role that may act writes: the request is one that succeeds, so a
    refusal is a refusal of the role, not of the form or of the object's state."""
    world = PostWorld(cast, published_index)
    clients = {role: client_for(role) for role in ROLES}
    problems = []
    for key, actors in post_rows(app):
        proven = key not in UNPROVEN and not actors >= SIGNED_IN_ROLES
        posting = [role for role in ROLES if role not in actors or proven]
        if not posting:
            continue
        with transaction.atomic():
            url, data = POST_REQUESTS[key](world)
            before = table_counts()
            for role in posting:
                with transaction.atomic():
                    response = post(clients[role], url, data)
                    changed = changed_tables(before, table_counts())
                    transaction.set_rollback(True)
                if role in actors and (response.status_code not in (200, 302) or not changed):
                    problems.append(f"{role} may act but POST {url} ({key}): {response.status_code}, nothing written")
                if role not in actors and (not refused(response, role) or changed):
                    where = response.get("Location", "")
                    problems.append(f"{role} POST {url} ({key}): {response.status_code} {where} {changed}")
            transaction.set_rollback(True)
    assert problems == []


# The admin URLs that write on POST: the model views (a changelist's actions among them), simple-history's
# revert, the imports, the password change and the logout.
ADMIN_WRITES = ("_add", "_change", "_delete", "_changelist", "_simple_history", "_import", "password_change", "logout")


def test_a_role_other_than_the_system_admin_is_refused_every_admin_post(
    cast, second_county, village_cadres, client_for
):
    """The admin sends the user to its login page (which refuses a signed-in user, and sends anyone else
    to sign in: the GET matrix's admin row), and nothing changes; its logout sends to the admin's index,
    which does the same."""
    urls = [
        sample_url(cast, name, pattern)
        for name, pattern in all_url_names()
        if name.startswith("admin:") and name.endswith(ADMIN_WRITES)
    ]
    assert len(urls) >= 4 * len(admin.site._registry)
    body = {"action": "delete_selected", "_selected_action": ["1"], "post": "yes", "name": "x"}
    problems = []
    for role in ROLES:
        if role == "sysadmin":
            continue
        client = client_for(role)
        before = table_counts()  # signing in wrote the session
        for url in urls:
            response = client.post(url, body)
            where = response.get("Location", "")
            after = table_counts()
            sent_away = where.startswith("/admin/login/") or (url == "/admin/logout/" and where == "/admin/")
            if response.status_code != 302 or not sent_away or after != before:
                problems.append(f"{role} POST {url}: {response.status_code} {where} {changed_tables(before, after)}")
                before = after
    assert problems == []


# 三员分立 in the admin (DESIGN.md section 1): the system administrator keeps the organisation and the
# reference data, and never touches the roles, the authenticators, the lockouts or the scheduler.
SYSADMIN_NEVER = {
    "auth.group",
    "otp_totp.totpdevice",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_celery_beat.periodictask",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.intervalschedule",
}
# Changed, never deleted: accounts, and the reference data past records rest on.
SYSADMIN_NO_DELETE = {
    "accounts.user",
    "villages.city",
    "villages.district",
    "scoring.scheme",
    "scoring.period",
    "stars.starcriteria",
    "inspections.findingcategory",
    "petitions.workingdayoverride",
    "petitions.petitionclass",
    "petitions.petitionrules",
    "scoring.opendatalicence",
    "villages.stationkind",
    # The member departments, the 评先评优 rules and the reporting deadline: data past records rest on.
    "results.memberdepartment",
    "results.eligibilityrule",
    "decisions.reportingrule",
}
SYSADMIN_MANAGES = {"villages.township", "villages.village", "stars.stardimension"}


def test_every_admin_model_is_classified_for_the_system_admin():
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert sorted(registered - SYSADMIN_NEVER - SYSADMIN_NO_DELETE - SYSADMIN_MANAGES) == []


def test_the_system_admin_cannot_post_what_the_admin_withholds(cast, client_for):
    make_round("2025")
    star_helpers.criteria(2025)
    inspection_helpers.category()
    petition_helpers.petition_class()
    PetitionRules.objects.create()
    OpenDataLicence.objects.create()
    WorkingDayOverride.objects.create(day=date(2025, 10, 11), working=True, note="调休上班")
    client = client_for("sysadmin")
    posts = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        instance = model._default_manager.order_by("pk").first()
        if label in SYSADMIN_NEVER:
            posts += [(reverse(f"{name}_add"), {"name": "x"}), (reverse(f"{name}_changelist"), {"action": "x"})]
        if instance is not None and label in SYSADMIN_NEVER:
            posts.append((reverse(f"{name}_change", args=[instance.pk]), {"name": "x"}))
        if instance is not None and label in SYSADMIN_NEVER | SYSADMIN_NO_DELETE:
            posts.append((reverse(f"{name}_delete", args=[instance.pk]), {"post": "yes"}))
    assert len(posts) >= 2 * len(SYSADMIN_NEVER) + len(SYSADMIN_NO_DELETE)
    before = table_counts()
    problems = []
    for url, data in posts:
        response = client.post(url, data)
        after = table_counts()
        if response.status_code != 403 or after != before:
            problems.append(f"sysadmin POST {url}: {response.status_code} {changed_tables(before, after)}")
            before = after
    assert problems == []
