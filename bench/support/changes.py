"""The zone at work while `bench/load.py` measures: a steady stream of cases through the actions.

    python bench/support/changes.py <seconds between cycles> <report.json>

Each cycle, as the demo roles would: enterprise A's staff files a request and raises a problem; a
clerk claims, accepts and completes a request; the applicant rates a completed one; the ticket's
holder acknowledges and resolves a problem, and the enterprise confirms and rates it. Every 15 s
(as beat does, `ROLLUP_INTERVAL_SECONDS`) the dashboard's rollups take the changed cases in; each
refresh is timed. On SIGTERM it writes what it did to the report and exits.
"""

import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the tree under test: run with its root as working directory
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections  # noqa: E402

from enterprises.models import Enterprise  # noqa: E402
from feedback import actions as feedback_actions  # noqa: E402
from feedback.models import Ticket  # noqa: E402
from services import actions as service_actions  # noqa: E402
from services.models import ServiceItem, ServiceRequest  # noqa: E402
from zone_portal.accounts.models import User  # noqa: E402
from zone_portal.dashboard.rollup import refresh  # noqa: E402

REFRESH_EVERY = 15.0
stopping = False


def _stop(*_args):
    global stopping
    stopping = True


def cycle(people: dict, firm, item, done: dict) -> None:
    ent, clerk = people["ent_a"], people["clerk1"]

    def attempt(name, call):
        try:
            call()
            done[name] = done.get(name, 0) + 1
        except Exception as exc:  # a refusal (409, 403) is part of a working zone; count it
            done[f"{name} refused"] = done.get(f"{name} refused", 0) + 1
            done.setdefault("last refusal", f"{name}: {exc.__class__.__name__}: {exc}"[:200])

    filed = {}
    attempt(
        "request filed",
        lambda: filed.setdefault(
            "r",
            service_actions.request_submit(actor=ent, service=item, enterprise=firm, description="负载测试"),
        ),
    )
    if "r" in filed:
        request = filed["r"]
        attempt(
            "request claimed", lambda: service_actions.request_claim(actor=clerk, service_request=request)
        )
        attempt(
            "request accepted", lambda: service_actions.request_accept(actor=clerk, service_request=request)
        )
        attempt(
            "request completed",
            lambda: service_actions.request_complete(
                actor=clerk, service_request=ServiceRequest.objects.get(pk=request.pk), result="已办结"
            ),
        )
        attempt(
            "request rated",
            lambda: service_actions.request_rate(
                actor=ent, service_request=ServiceRequest.objects.get(pk=request.pk), score=5
            ),
        )
    attempt(
        "ticket raised",
        lambda: filed.setdefault(
            "t",
            feedback_actions.ticket_raise(
                actor=ent, enterprise=firm, category="land", title="负载测试诉求", description="负载测试"
            ),
        ),
    )
    if "t" in filed:
        ticket = filed["t"]
        holder = Ticket.objects.get(pk=ticket.pk).owner or people["park1"]
        attempt(
            "ticket acknowledged",
            lambda: feedback_actions.ticket_acknowledge(
                actor=holder, ticket=Ticket.objects.get(pk=ticket.pk)
            ),
        )
        attempt(
            "ticket resolved",
            lambda: feedback_actions.ticket_resolve(
                actor=holder, ticket=Ticket.objects.get(pk=ticket.pk), resolution="已解决"
            ),
        )
        attempt(
            "ticket confirmed and rated",
            lambda: feedback_actions.ticket_confirm(
                actor=ent, ticket=Ticket.objects.get(pk=ticket.pk), solved=True, score=5
            ),
        )


def main() -> None:
    pause, report = float(sys.argv[1]), sys.argv[2]
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    people = {u.username: u for u in User.objects.filter(username__in=["ent_a", "clerk1", "park1"])}
    firm = Enterprise.objects.get(pk=people["ent_a"].enterprise_ids[0])
    singles = ServiceItem.objects.filter(active=True, components__isnull=True)
    item = singles.filter(materials=[]).first() or singles.first()
    done: dict = {}
    refreshes: list[float] = []
    cycles, started, last_refresh = 0, time.monotonic(), time.monotonic()
    while not stopping:
        cycle(people, firm, item, done)
        cycles += 1
        if time.monotonic() - last_refresh >= REFRESH_EVERY:
            began = time.perf_counter()
            refresh()
            refreshes.append((time.perf_counter() - began) * 1000)
            last_refresh = time.monotonic()
        close_old_connections()
        time.sleep(pause)
    elapsed = time.monotonic() - started
    Path(report).write_text(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "cycles": cycles,
                "writes": done,
                "refresh_ms": [round(r) for r in refreshes],
                "refresh_median_ms": round(statistics.median(refreshes)) if refreshes else None,
                "refresh_max_ms": round(max(refreshes)) if refreshes else None,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
