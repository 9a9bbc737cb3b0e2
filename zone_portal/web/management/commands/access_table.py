import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from zone_portal.access.policy import access_table

START, END = "<!-- access-table -->", "<!-- /access-table -->"


class Command(BaseCommand):
    help = "Print the role × object table of the access policy, or write it into README.md (--write)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="replace the table in README.md")

    def handle(self, *args, write, **options):
        table = access_table()
        if not write:
            self.stdout.write(table)
            return
        readme = Path(settings.BASE_DIR) / "README.md"
        text = readme.read_text(encoding="utf-8")
        block = f"{START}\n{table}\n{END}"
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
        readme.write_text(text, encoding="utf-8")
        self.stdout.write(f"README.md: {len(table.splitlines()) - 2} kinds of object")
