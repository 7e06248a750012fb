"""The navigation each role may use. Pages enforce access themselves; this only hides dead links."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    CITY_ROLES,
    DISTRICT_WIDE_ROLES,
    INDEX_ROLES,
    ORGANISATION_ROLES,
    PETITION_CASE_ROLES,
    VILLAGE_ROLES,
    Role,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


NAVIGATION = [
    NavItem(_("Workspace"), "workspace", frozenset(Role)),
    NavItem(_("My village"), "villagers:mine", VILLAGE_ROLES),
    NavItem(_("Integrity index"), "scoring:results", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Star rating"), "stars:list", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Reports"), "reports:list", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Inspections"), "inspections:rounds", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Rectification ledger"), "inspections:findings", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Petitions"), "petitions:list", frozenset(PETITION_CASE_ROLES)),
    NavItem(_("Petition figures"), "petitions:figures", frozenset({Role.TOWNSHIP_SECRETARY} | CITY_ROLES)),
    NavItem(_("Visits to villages"), "petitions:visits", frozenset(PETITION_CASE_ROLES)),
    NavItem(_("Overview"), "scoring:overview", frozenset(DISTRICT_WIDE_ROLES | CITY_ROLES)),
    NavItem(_("Scoring rounds"), "scoring:rounds", frozenset(DISTRICT_WIDE_ROLES | CITY_ROLES)),
    NavItem(_("County comparison"), "cities:home", frozenset(CITY_ROLES)),
    NavItem(_("五个一 progress schedule"), "cities:schedule_current", frozenset(CITY_ROLES)),
    NavItem(_("五个一"), "cities:mine", frozenset(DISTRICT_WIDE_ROLES)),
    NavItem(_("Clean culture lectures"), "culture:sessions", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Top-ten contests"), "awards:contests", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Clean-culture venues"), "culture:venues", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Typical case bulletins"), "culture:bulletins", frozenset(INDEX_ROLES)),
    NavItem(_("Work plan"), "workplan:home", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Use of results"), "results:home", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Major decisions reported"), "decisions:home", frozenset(INDEX_ROLES | CITY_ROLES)),
    NavItem(_("Villages"), "villages:list", frozenset(ORGANISATION_ROLES)),
    NavItem(_("Grassroots stations"), "villages:stations", frozenset(ORGANISATION_ROLES)),
    NavItem(_("Roles"), "accounts:role_list", frozenset({Role.SECURITY_ADMIN})),
    NavItem(_("Audit log"), "audit:list", frozenset({Role.AUDIT_ADMIN})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.SYSTEM_ADMIN})),
]


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated or user.role is None:
        return []
    return [item for item in NAVIGATION if user.role in item.roles]
