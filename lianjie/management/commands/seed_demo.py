from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, CountyCast, DemoLogin, seed_demo_users
from accounts.roles import Role, second_factor_roles
from cities.demo import seed_city_work
from culture.demo import seed_awards, seed_bulletins, seed_culture, seed_venues
from decisions.demo import seed_decisions
from inspections.demo import seed_inspections
from petitions.demo import seed_petitions
from results.demo import seed_results
from scoring.demo import seed_follow_up, seed_index, seed_objections
from stars.demo import seed_stars, seed_subject_ratings
from villages.demo import SeedResult, demo_data_changed, seed_places
from villages.models import City, District
from workplan.demo import seed_work_plan

MAX_PRINTED = 30


class Command(BaseCommand):
    help = (
        "Load made-up demo data: 路桥区 alone with its ten townships and 314 villages (district size) or 绍兴市 "
        "with its six counties, 118 townships and 2,195 villages (city size); the demo logins; and in each "
        "county N years of integrity-index rounds (all published but the current year's draft), follow-up, "
        "star ratings, inspections and petitions, made by that county's people. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=["district", "city"], default="district")
        parser.add_argument("--years", type=int, default=3, help="Years of integrity-index rounds (default 3).")
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, size: str, years: int, quiet: bool, **options) -> None:
        if years < 0:
            raise CommandError("--years must be 0 or more.")
        places = seed_places(size)
        users = seed_demo_users(counties=places.counties, city=places.city)
        made = {"rounds": 0, "findings": 0, "stars": 0, "petitions": 0, "tasks": 0, "lectures": 0}
        for cast in users.counties:
            for key, count in seed_county(cast, years=years).items():
                made[key] += count
        if places.city is not None and users.city_staff is not None:
            made["city_steps"] = seed_city_work(city=places.city, city_staff=users.city_staff, casts=users.counties)
        demo_data_changed()
        self.stdout.write(
            f"Demo places: {_places(places)}, {places.townships} townships, "
            f"{places.villages} villages ({places.created_villages} new); "
            f"{made['rounds']} new index rounds, {made['findings']} new inspection findings, "
            f"{made['stars']} new star applications, {made['petitions']} new petitions"
            + (f", {made['city_steps']} new 五个一 steps." if "city_steps" in made else ".")
        )
        if quiet:
            return
        if places.city is None:
            self.print_district_logins(users.logins)
        else:
            self.print_city_logins(places.city, places.counties, users.logins)
        if users.village_example is not None:
            example = users.village_example
            self.stdout.write(
                f"  village cadres: village-<village code> (Party secretary) and supervisor-<village code> "
                f"(supervision committee) for each of the {users.villages} villages, e.g. {example.username} "
                f"({example.unit})"
            )

    def print_district_logins(self, logins: list[DemoLogin]) -> None:
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        shown = logins if len(logins) <= MAX_PRINTED else logins[:MAX_PRINTED]
        for login in shown:
            township = login.unit if login.role == Role.TOWNSHIP_SECRETARY else ""
            note = f"  (TOTP secret {DEMO_TOTP_SECRET})" if login.role in second_factor_roles() else ""
            self.stdout.write(f"  {login.username:<22} {login.role.label} {township}{note}")
        if len(shown) < len(logins):
            self.stdout.write(f"  … {len(logins) - len(shown)} more: secretary-<township code> for each township.")

    def print_city_logins(self, city: City, counties: list[District], logins: list[DemoLogin]) -> None:
        """One line per unit: the city's logins, each county's, the administrators'; then the secretaries'
        pattern (118 of them)."""
        totp = second_factor_roles()
        by_unit: dict[str, list[str]] = {}
        secretaries = []
        for login in logins:
            if login.role == Role.TOWNSHIP_SECRETARY:
                secretaries.append(login)
                continue
            starred = f"{login.username}*" if login.role in totp else login.username
            by_unit.setdefault(login.unit_code, []).append(starred)
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}; * signs in with TOTP secret {DEMO_TOTP_SECRET}):")
        rows = [(city.code, city.name)] + [(county.code, county.name) for county in counties]
        for code, name in rows:
            self.stdout.write(f"  {code:<6} {name}  {'  '.join(by_unit.get(code, []))}")
        self.stdout.write(f"  administrators  {'  '.join(by_unit.get('', []))}")
        if secretaries:
            example = secretaries[0]
            self.stdout.write(
                f"  township secretaries: secretary-<township code> for each of the {len(secretaries)} "
                f"townships, e.g. {example.username} ({example.unit})"
            )


def _places(places: SeedResult) -> str:
    if places.city is None:
        return f"{len(places.counties)} district(s)"
    return f"{places.city.name} ({places.city.code}) with {len(places.counties)} counties"


def seed_county(cast: CountyCast, *, years: int) -> dict[str, int]:
    """One county's work, made by its own people: index rounds and their follow-up, petitions,
    inspections, star ratings (each app's seed leaves a county that has its data alone)."""
    county, staff, leader, secretaries = cast.county, cast.staff, cast.leader, cast.secretaries
    rounds = seed_index(district=county, years=years, leader=leader)
    seed_follow_up(district=county, staff=staff, secretaries=list(secretaries.values()))
    seed_objections(district=county, staff=staff, leader=leader)
    petitions = seed_petitions(district=county, officer=cast.petition, leader=leader, staff=staff)
    findings = seed_inspections(district=county, staff=staff, secretaries=secretaries)
    stars = seed_stars(district=county, staff=staff, leader=leader, secretaries=secretaries)
    # 勤廉双优示范乡镇 and 群众满意基层站所, on the stars' engine
    seed_subject_ratings(district=county, staff=staff, leader=leader, secretaries=secretaries)
    tasks = seed_work_plan(district=county, staff=staff, secretaries=list(secretaries.values()))
    lectures = seed_culture(district=county, staff=staff, secretaries=secretaries)
    seed_awards(district=county, staff=staff, secretaries=secretaries)  # 十大评选: last year's ten, this year's vote
    seed_venues(district=county, staff=staff, secretaries=secretaries)  # 清廉文化阵地
    seed_bulletins(district=county, staff=staff, secretaries=secretaries)  # 典型案例通报
    seed_results(district=county, staff=staff)  # 结果运用: points, funds, 示范村, 备案
    seed_decisions(district=county, staff=staff, secretaries=secretaries)  # 五有一化 reports
    return {
        "rounds": len(rounds),
        "findings": findings,
        "stars": stars,
        "petitions": petitions,
        "tasks": tasks,
        "lectures": lectures,
    }
