"""Break-glass (紧急授权): regain an account no administrator may touch, from the server's shell.

三员分立 keeps each administrator away from the others' accounts; when one is locked out, deactivated
or has forgotten a password, whoever holds the server runs this, with a reason. It is audited.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import break_glass


class Command(BaseCommand):
    help = (
        "Reactivate an account with a temporary password, or take its role away (--remove-role); audited, "
        "with the reason."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Why, for the audit log (e.g. the ticket number).")
        parser.add_argument("--remove-role", action="store_true", help="Take the account's role away instead.")
        parser.add_argument(
            "--reset-authenticator", action="store_true", help="Also remove its authenticators (a lost phone)."
        )

    def handle(self, *args, username: str, reason: str, remove_role: bool, reset_authenticator: bool, **options):
        if not reason.strip():
            raise CommandError("Give the reason, for the audit log.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        password = break_glass(
            user=user,
            reason=reason.strip(),
            operator=getpass.getuser(),
            remove_role=remove_role,
            reset_authenticator=reset_authenticator,
        )
        if remove_role:
            self.stdout.write(f"{username} has no role now.")
            return
        self.stdout.write(
            f"{username} is active again. Temporary password (shown once; to be changed at the next "
            f"sign-in): {password}"
        )
