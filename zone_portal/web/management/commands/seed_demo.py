from django.core.management.base import BaseCommand
from django.db import transaction

from zone_portal.contributions import app_modules
from zone_portal.dashboard.rollup import refresh
from zone_portal.demo import DEFAULT_PASSWORD, DemoContext, seed_foundation
from zone_portal.notifications.actions import notifications_delivered_in_one_task


class Command(BaseCommand):
    help = "Create (or top up) the demo data. Idempotent. Demo only: never on a production database."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args, password, **options):
        # The demo's hundreds of actions notify people: one delivery task emails them all at the end,
        # instead of a task per action that would hold up the worker for a minute or more.
        with notifications_delivered_in_one_task():
            self._seed(password)

    def _seed(self, password):
        ctx = DemoContext(password=password)
        with transaction.atomic():
            seed_foundation(ctx)
        # Each installed app may add a `demo.py` with `seed(ctx)`; they run in the order of
        # INSTALLED_APPS, so an app's demo finds the data of the apps it builds on.
        for module in app_modules("demo"):
            with transaction.atomic():
                module.seed(ctx)
            self.stdout.write(f"  {module.__name__}: ok")
        refresh()  # the dashboard's rollups, so that its first page reads them
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(ctx.users)} users, password {password!r}")
        )
