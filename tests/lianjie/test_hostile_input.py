"""Hostile input never makes a server error (issue 15, finding 6): a value no page of ours sends gets a
form error, a 400 or a page that ignores it, never a 500 (under DEBUG a debug page would show an anonymous
reader the code and the settings).

The sweep asks every URL the resolver knows, as the first role of ROLE_ORDER that reaches it in the
authorization matrix, which GET parameters its view reads (by recording the reads of the query string),
then feeds each of them every hostile value.
"""

import importlib
import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from audit.filters import AuditEventFilter
from core.dates import DateInRangeField
from core.forms import FiguresForm
from core.params import TEXT_MAX_LENGTH
from petitions import services
from petitions.models import ListedCase, ListedCaseEvidence, Petition
from scoring.filters import ResultFilter
from villages.filters import VillageFilter

from .. import inspection_helpers, star_helpers
from ..lianjie.test_authorization_matrix import MATRIX, all_url_names, matrix_key, sample_url
from ..petition_helpers import accepted, intake, petition_class, register
from . import test_authorization_matrix

published_index = test_authorization_matrix.published_index  # the matrix's world: every URL has its object

HOSTILE = {
    "50,001 characters": "x" * 50_001,  # past SQLite's longest LIKE pattern (50,000)
    "superscript two": "²",  # "²".isdigit() is true, int("²") fails
    "full-width digits": "２０２５",  # str.isdigit() is true, and int() reads 2025
    "year 1": "0001",
    "year 9999": "9999",
    "first date": "0001-01-01",  # a year earlier (同比) is the year 0
    "last date": "9999-12-31",  # a day later is the year 10,000
    "NUL": "a\x00b",  # PostgreSQL refuses it in any string
    "negative": "-1",
    "past 64 bits": "9" * 30,  # SQLite and PostgreSQL integers are 64-bit
}
# What a page sends beside the parameter swept, where a form needs both to read either.
PARTNERS = {"start": "2025-01-01", "end": "2025-12-31"}
PROBE = "probe"  # a parameter no view reads: the query string is not empty, so the forms bound to it read it
# The public pages first (the most exposed), then the roles that reach the most.
ROLE_ORDER = ["anonymous", "staff", "leader", "petition", "secretary_a", "auditor", "secadmin", "sysadmin"]
REACHED = (200, 286)
ADMIN_SEARCHES = {("changelist", "q"), ("export", "q")}  # the admin pages that search a model's own fields


def first_role(key: str) -> str | None:
    return next((role for role in ROLE_ORDER if MATRIX[key][role] in REACHED), None)


@contextmanager
def recorded_reads():
    """The names read meanwhile from any query string (request.GET; request.POST too, empty on a GET)."""
    names = set()

    def getitem(self, key):
        names.add(key)
        return MultiValueDict.__getitem__(self, key)

    def getlist(self, key, *args, **kwargs):
        names.add(key)
        return MultiValueDict._getlist(self, key, *args, **kwargs)

    def contains(self, key):
        names.add(key)
        return MultiValueDict.__contains__(self, key)

    with (
        mock.patch.object(QueryDict, "__getitem__", getitem),
        mock.patch.object(QueryDict, "_getlist", getlist),
        mock.patch.object(QueryDict, "__contains__", contains),
    ):
        yield names


def pages_of(role: str, cast, index, client) -> list[tuple[str, str, set[str]]]:
    """(URL name, URL, the GET parameters its view reads) of every named URL `role` is the first to reach."""
    pages = []
    for name, pattern in all_url_names():
        if "<" in name or first_role(matrix_key(name)) != role:
            continue  # an unnamed URL redirects to a named one (or, the admin's login, to the application's)
        url = sample_url(cast, name, pattern, index)
        with recorded_reads() as names:
            client.get(url)
            client.get(url, {PROBE: "1"})
        # A template's {{ request.GET.urlencode }} looks the name up as a key first.
        pages.append((name, url, names - {PROBE} - set(dir(QueryDict))))
    return pages


@pytest.mark.parametrize("role", sorted({first_role(key) for key in MATRIX} - {None}))
def test_no_get_parameter_of_any_page_makes_a_server_error(cast, published_index, client_for, role):
    client = client_for(role, raise_request_exception=False)
    server_errors, admin_swept = [], set()
    for name, url, parameters in pages_of(role, cast, published_index, client):
        partners = {field: value for field, value in PARTNERS.items() if field in parameters}
        for parameter in sorted(parameters):
            # The admin's own parameters mean the same on every model's page of a kind (its changelist, its
            # change form...): swept on the first; but each model searches its own fields.
            admin_view = (name.rpartition("_")[2], parameter)
            if name.startswith("admin:") and admin_view not in ADMIN_SEARCHES:
                if admin_view in admin_swept:
                    continue
                admin_swept.add(admin_view)
            for what, value in HOSTILE.items():
                if client.get(url, {**partners, parameter: value}).status_code >= 500:
                    server_errors.append(f"GET {url}?{parameter}= {what}")
    assert not server_errors, "\n".join(server_errors)


# The parameters the code reads by name, and the fields of the forms and FilterSets bound to request.GET.
OUR_SOURCE_APPS = ("accounts", "audit", "core", "inspections", "lianjie", "petitions", "public", "reports")
SOURCES = [
    path
    for app in (*OUR_SOURCE_APPS, "scoring", "stars", "villages")
    for path in (Path(__file__).resolve().parents[2] / app).rglob("*.py")
]


def parameters_in_the_code() -> set[str]:
    read = set()
    for path in SOURCES:
        read |= set(re.findall(r"\bGET\.get\(\s*\"(\w+)\"", path.read_text()))
    for bound in (AuditEventFilter, ResultFilter, VillageFilter):
        read |= set(bound.base_filters)
    return read | set(FiguresForm.base_fields)


def test_the_sweep_feeds_every_get_parameter_the_code_reads(cast, published_index, client_for):
    """A parameter read only when another has some value would escape the recording: the code names it."""
    swept = set()
    for role in ROLE_ORDER[:-1]:  # the admin's parameters are the admin's own
        client = client_for(role, raise_request_exception=False)
        for _name, _url, parameters in pages_of(role, cast, published_index, client):
            swept |= parameters
    assert sorted(parameters_in_the_code() - swept) == []


# --- The server errors the review found, each with the answer a reader gets now ----------------------------

LONG_SEARCH = "石" * 50_001
TOO_LONG = "确保该变量包含不超过 100 字符 (目前字符数 50001)。"  # Django's own message, in Chinese
BAD_REQUEST = "请求有误（400）"  # templates/400.html
DATE_RANGE = "请输入1900-01-01至2100-12-31之间的日期。"


@pytest.mark.parametrize(
    ("url_name", "parameter", "role"),
    [("scoring:results", "q", "staff"), ("villages:list", "q", "staff"), ("audit:list", "actor_username", "auditor")],
)
def test_a_search_of_50001_characters_is_a_form_error_on_a_filtered_list(
    cast, year_2025, client_for, url_name, parameter, role
):
    client = client_for(role)
    page = client.get(reverse(url_name), {parameter: LONG_SEARCH})
    assert page.status_code == 200
    assert page.context["filter"].form.errors[parameter] == [TOO_LONG]
    assert TOO_LONG in page.content.decode()
    assert client.get(reverse(url_name), {parameter: "石" * TEXT_MAX_LENGTH}).context["filter"].form.is_valid()


@pytest.mark.parametrize(
    ("url", "role"),
    [("/", "anonymous"), ("/index/2025/", "anonymous"), ("/petitions/", "petition")],
)
def test_a_search_of_50001_characters_is_a_bad_request_where_no_form_reads_it(cast, year_2025, client_for, url, role):
    client = client_for(role)
    response = client.get(url, {"q": LONG_SEARCH})
    assert response.status_code == 400
    assert BAD_REQUEST in response.content.decode()
    assert client.get(url, {"q": "石" * TEXT_MAX_LENGTH}).status_code == 200


@pytest.mark.parametrize("year", ["²", "２０２５", "1999", "2101", "9" * 30])
@pytest.mark.parametrize("url_name", ["stars:list", "reports:list"])
def test_a_year_other_than_ascii_digits_from_2000_to_2100_is_a_bad_request(cast, client_for, url_name, year):
    star_helpers.criteria(2025)
    client = client_for("staff")
    response = client.get(reverse(url_name), {"year": year})
    assert response.status_code == 400
    assert BAD_REQUEST in response.content.decode()
    assert client.get(reverse(url_name), {"year": "2025"}).status_code == 200


@pytest.mark.parametrize("url_name", ["inspections:figures", "petitions:figures"])
@pytest.mark.parametrize(
    ("asked", "field"),
    [({"start": "0001-01-01", "end": "2025-12-31"}, "start"), ({"start": "2025-01-01", "end": "9999-12-31"}, "end")],
)
def test_figures_from_a_date_past_1900_to_2100_are_a_form_error_over_the_default_period(
    cast, client_for, url_name, asked, field
):
    page = client_for("staff").get(reverse(url_name), asked)
    assert page.status_code == 200
    assert page.context["form"].errors[field] == [DATE_RANGE]
    assert DATE_RANGE in page.content.decode()
    assert page.context["start"] == timezone.localdate().replace(month=1, day=1)


def test_a_petition_received_on_9999_12_31_is_a_form_error(cast, client_for):
    page = client_for("petition").post(reverse("petitions:new"), intake(cast, received_on="9999-12-31"))
    assert page.status_code == 200
    assert page.context["form"].errors == {"received_on": [DATE_RANGE]}
    assert not Petition.objects.exists()


def test_a_case_accepted_or_concluded_on_9999_12_31_is_a_form_error(cast, client_for):
    """The legal clocks count working days on from these dates too."""
    client = client_for("petition")
    petition = register(cast)
    for action, data in [
        ("accept", {"petition_class": petition_class().pk, "disposal": Petition.Disposal.VERIFY, "opinion": "受理"}),
        ("conclude", {"conclusion": Petition.Conclusion.TRUE, "result": "已核实"}),
    ]:
        url = reverse("petitions:action", kwargs={"pk": petition.pk, "action": action})
        page = client.post(url, {**data, "on": "9999-12-31", "version": petition.version})
        assert page.status_code == 400
        assert page.context["forms"][action].errors == {"on": [DATE_RANGE]}
        if action == "accept":
            accepted(cast, petition)
            petition = services.petition_start(petition=petition, acting_user=cast.users["petition"])


def test_striking_off_a_case_never_listed_is_refused_with_a_message(cast, client_for):
    petition = register(cast)
    page = client_for("petition").post(
        reverse("petitions:action", kwargs={"pk": petition.pk, "action": "strike_off"}),
        {
            "version": petition.version,
            "resolution": "已化解",
            "verification": "回访核实",
            "files": SimpleUploadedFile("销号.pdf", inspection_helpers.PDF),
        },
    )
    assert page.status_code == 400
    assert [str(message) for message in page.context["messages"]] == ["此件未挂牌，不能销号。"]
    petition.refresh_from_db()
    assert not ListedCase.objects.exists() and not ListedCaseEvidence.objects.exists()
    assert petition.steps.count() == 1  # registered, nothing since


def all_subclasses(cls) -> set:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *all_subclasses(direct)}}


OUR_APPS = {
    "core",
    "scoring",
    "stars",
    "reports",
    "inspections",
    "petitions",
    "villages",
    "accounts",
    "audit",
    "lianjie",
}


def test_every_date_a_form_of_ours_accepts_lies_between_1900_and_2100():
    """A due date of 9999-12-31 was saved and never fell due; near year 1 or 9999 the clocks overflow."""
    for module in ("core.forms", "scoring.forms", "stars.forms", "inspections.forms", "petitions.forms"):
        importlib.import_module(module)
    dates = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in OUR_APPS
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    }
    assert len(dates) >= 20
    assert [label for label, field in dates.items() if not isinstance(field, DateInRangeField)] == []
