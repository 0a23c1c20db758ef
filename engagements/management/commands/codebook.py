"""Write the codebook (every exported table and column) as Markdown."""

from pathlib import Path

from django.core.management.base import BaseCommand

from engagements.views.codebook import markdown


class Command(BaseCommand):
    help = (
        "Write the codebook as Markdown: every table the lists export, each column's type, "
        "meaning and allowed values, and how dates, precision and marks work. To standard "
        "output, or to FILE with -o."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE.")

    def handle(self, *args, output=None, **options):
        text = markdown()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote the codebook to {output}.")
        else:
            self.stdout.write(text, ending="")
