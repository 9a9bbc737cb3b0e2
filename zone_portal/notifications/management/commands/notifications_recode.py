from django.core.management.base import BaseCommand
from django.db import transaction

from zone_portal.notifications.messages import message_recognise
from zone_portal.notifications.models import Notification


class Command(BaseCommand):
    help = (
        "Give the notifications stored as text before codes existed their message code and parameters, "
        "when their text reads as exactly one registered message (they are then shown in each reader's "
        "language); the others keep showing their stored text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch, **options):
        recoded = seen = 0
        last = 0
        while True:
            rows = list(
                Notification.objects.filter(code="", pk__gt=last).order_by("pk").only("title", "body")[:batch]
            )
            if not rows:
                break
            last = rows[-1].pk
            changed = []
            for row in rows:
                seen += 1
                if (found := message_recognise(row.title, row.body)) is not None:
                    row.code, row.params = found
                    changed.append(row)
            with transaction.atomic():
                Notification.objects.bulk_update(changed, ["code", "params"])
            recoded += len(changed)
        self.stdout.write(f"{recoded} of {seen} notifications stored as text now carry their message code")
