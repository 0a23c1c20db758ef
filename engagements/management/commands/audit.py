"""List inconsistencies the database's rules do not catch; exit 1 when there are any."""

import json

from django.core.management.base import BaseCommand, CommandError

from engagements.audit import CHECKS, audit


class Command(BaseCommand):
    help = (
        "Audit the data: records that cite no source, agreements linked to nothing, "
        "participants in a post no tenure covers, paragraphs beyond a source's count, marks "
        "on unknown columns, meetings outside their parent's dates, agreements whose kept "
        "current status is not their latest step's. One line per problem with its admin "
        "address; exit status 1 when anything is found. Synthetic rows are "
        "left out unless --synthetic is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--check",
            action="append",
            choices=[check.name for check in CHECKS],
            help="Run only this check (repeat for several); all by default.",
        )
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="Audit synthetic rows (syn- slugs) too; left out by default.",
        )

    def handle(self, *args, format="text", check=None, synthetic=False, **options):
        checks = tuple(c for c in CHECKS if not check or c.name in check)
        results = audit(checks, synthetic=synthetic)
        total = sum(len(problems) for _, problems in results)
        if format == "json":
            report = {
                "problems": total,
                "checks": [
                    {
                        "name": c.name,
                        "title": c.title,
                        "problems": [p.as_dict() for p in problems],
                    }
                    for c, problems in results
                ],
            }
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            for c, problems in results:
                if not problems:
                    continue
                self.stdout.write(f"{c.title} ({c.name}): {len(problems)}")
                for problem in problems:
                    self.stdout.write(f"  {problem.line()}")
        if total:
            failing = sum(1 for _, problems in results if problems)
            raise CommandError(f"{total} problem(s) found by {failing} of {len(results)} checks.")
        if format == "text":
            self.stdout.write(self.style.SUCCESS(f"No problems found ({len(results)} checks)."))
