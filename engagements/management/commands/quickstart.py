"""Migrate, seed, create a demo admin account, and serve: the README's first command."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Set up a local defrel (migrate, seed data, demo admin account with a fresh password) "
        "and start the development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up only; do not start the server."
        )
        parser.add_argument("--username", default="demo")

    def handle(self, *args, addrport, no_serve, username, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", stdout=self.stdout)
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo admin account — username: {username}  password: {password}\n"
                f"Researcher pages: http://{addrport}/   Admin: http://{addrport}/admin/\n"
                "(The password is new each run; rerun quickstart to get another.)\n"
            )
        )
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
