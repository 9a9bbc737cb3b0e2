from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.sweep import tickets_sweep


class Command(BaseCommand):
    help = "Run the problem tickets' deadline sweep once (reminders, overdue marks, escalations, closing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="act as if this were the time (ISO 8601, e.g. 2026-03-02T10:00:00+08:00; naive means Asia/Shanghai)",
        )

    def handle(self, *args, as_of=None, **options):
        now = None
        if as_of:
            try:
                now = datetime.fromisoformat(as_of)
            except ValueError as exc:
                raise CommandError(f"--as-of: {exc}") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = tickets_sweep(now=now)
        changed = {step: n for step, n in report.items() if n}
        if not changed:
            self.stdout.write("nothing due")
        for step, n in changed.items():
            self.stdout.write(f"{step}: {n}")
