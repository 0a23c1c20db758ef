"""Create or update the staff groups Editors, Reviewers and Researchers."""

from django.core.management.base import BaseCommand

from engagements.permissions import GROUP_ACTIONS, setup_groups


class Command(BaseCommand):
    help = (
        "Create or update the groups Editors (view/add/change/import), Reviewers "
        "(view/change/delete) and Researchers (view). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        counts = setup_groups(using=database)
        for name, actions in GROUP_ACTIONS.items():
            self.stdout.write(f"{name}: {', '.join(actions)} ({counts[name]} permissions)")
