import time

from django.core.management.base import BaseCommand

from zone_portal.dashboard.rollup import refresh


class Command(BaseCommand):
    help = "Bring the dashboard's daily rollups up to date (the beat does it every 15 seconds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="recount every case, not only the changed ones"
        )

    def handle(self, *args, full, **options):
        started = time.perf_counter()
        report = refresh(full=full)
        for name, part in sorted(report.items()):
            self.stdout.write(f"  {name}: {part['cases']} cases recounted, {part['rows']} day rows written")
        self.stdout.write(self.style.SUCCESS(f"Rollups refreshed in {time.perf_counter() - started:.1f} s"))
