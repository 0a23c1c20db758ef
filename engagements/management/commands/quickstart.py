"""Migrate, seed, create demo accounts, and serve: the README's first command."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS

#: A demo login per staff group, so a newcomer can try each role: (group, username suffix).
DEMO_ROLES = ((EDITORS, "editor"), (REVIEWERS, "reviewer"), (RESEARCHERS, "researcher"))


class Command(BaseCommand):
    help = (
        "Set up a local defrel (migrate, seed data, a demo admin account and an Editor, a "
        "Reviewer and a Researcher demo login, each with a fresh password) and start the "
        "development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up only; do not start the server."
        )
        parser.add_argument(
            "--username", default="demo", help="The admin's; the role logins add -editor etc."
        )

    def handle(self, *args, addrport, no_serve, username, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", stdout=self.stdout)
        lines = [f"superuser   username: {username}  password: {self.demo_user(username)}"]
        for group, suffix in DEMO_ROLES:
            name = f"{username}-{suffix}"
            lines.append(f"{group:<11} username: {name}  password: {self.demo_user(name, group)}")
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo accounts (new passwords each run; rerun quickstart to get others):\n"
                + "".join(f"  {line}\n" for line in lines)
                + f"Researcher pages: http://{addrport}/   Admin: http://{addrport}/admin/\n"
            )
        )
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)

    @staticmethod
    def demo_user(username: str, group: str | None = None) -> str:
        """Create or reset a staff login (a superuser without ``group``); returns its password.

        The password is random and only printed: none is ever written in the repository.
        """
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = group is None
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=group)] if group else [])
        return password
