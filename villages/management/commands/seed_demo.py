from django.core.cache import cache
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, all_townships, seed_demo_users
from accounts.roles import SECOND_FACTOR_ROLES
from lianjie.context_processors import DEMO_FLAG_CACHE_KEY
from villages.demo import seed_places

MAX_PRINTED = 30


class Command(BaseCommand):
    help = (
        "Load made-up demo data: the ten Luqiao townships with about 300 villages (district size) or "
        "118 townships with 2,195 villages (city size), and the demo logins. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=["district", "city"], default="district")
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, size: str, quiet: bool, **options) -> None:
        result = seed_places(size)
        logins = seed_demo_users(all_townships())
        cache.delete(DEMO_FLAG_CACHE_KEY)
        self.stdout.write(
            f"Demo places: {result.districts} district(s), {result.townships} townships, "
            f"{result.villages} villages ({result.created_villages} new)."
        )
        if quiet:
            return
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        shown = logins if len(logins) <= MAX_PRINTED else logins[:MAX_PRINTED]
        for username, role, township in shown:
            note = f"  (TOTP secret {DEMO_TOTP_SECRET})" if role in SECOND_FACTOR_ROLES else ""
            self.stdout.write(f"  {username:<22} {role.label} {township}{note}")
        if len(shown) < len(logins):
            self.stdout.write(f"  … {len(logins) - len(shown)} more: secretary-<township code> for each township.")
