"""The frame of a sweep benchmark: the bulk-generated cases in a `_bench` database, one timed sweep
with `--due` cases due, then sweeps with nothing due. A script gives what differs (its tables, how
it generates its cases, its sweep and what the due sweep must have done)."""

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from . import bench_database, bench_parser

SMOKE_TOTAL, SMOKE_DUE = 2_000, 200


@dataclass
class SweepBench:
    doc: str
    cases: str  # the command-line name of the total, also the word in what it prints ("tickets")
    smoke: str  # what --smoke checks
    tables: list[str]  # what the sweep reads and writes: emptied first, then analysed
    seed: Callable  # seed() -> the demo context the cases refer to (enterprises, users, departments)
    generate: Callable  # generate(cursor, ctx, **values): the bulk INSERTs (values: total, due, past, future)
    sweep: Callable  # sweep(now) -> report (counts by step)
    expected: Callable[[int], dict]  # expected(due): the due sweep's non-zero counts
    check: Callable | None = None  # check(args, now) -> a complaint or None, after the sweeps
    warm: list[Callable] = field(default_factory=list)  # what a running worker has loaded already

    def run(self) -> None:
        parser = bench_parser(self.doc, smoke=self.smoke)
        parser.add_argument(f"--{self.cases}", dest="total", type=int, default=100_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument(
            "--repeat", type=int, default=5, help="sweeps with nothing due (the median is shown)"
        )
        args = parser.parse_args()
        if args.smoke:
            args.total, args.due, args.repeat = SMOKE_TOTAL, SMOKE_DUE, 2
        bench_database(f"it empties {', '.join(self.tables)}")
        now = timezone.now()
        started = time.perf_counter()
        self._generate(args.total, args.due, now)
        print(
            f"generated {args.total:,} {self.cases} ({args.due:,} due) in {time.perf_counter() - started:.1f} s"
        )
        self.sweep(now=now - timedelta(days=60))  # warm the process caches, as a running worker has them
        for warm in self.warm:
            warm()
        seconds, report = self._timed(now)
        done = {k: v for k, v in report.items() if v}
        print(f"sweep with {args.due:,} due: {seconds * 1000:.0f} ms  {done}")
        if done != self.expected(args.due):
            sys.exit(f"the sweep did {report}, expected {self.expected(args.due)}")
        idle = []
        for _ in range(args.repeat):
            seconds, report = self._timed(now)
            if any(report.values()):
                sys.exit(f"a sweep with nothing due changed something: {report}")
            idle.append(seconds)
        print(
            f"sweep with nothing due: median {statistics.median(idle) * 1000:.1f} ms over {args.repeat} runs"
        )
        complaint = self.check(args, now) if self.check else None
        if complaint:
            sys.exit(complaint)

    def _generate(self, total: int, due: int, now) -> None:
        ctx = self.seed()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(self.tables)} RESTART IDENTITY CASCADE")
            cursor.execute("DELETE FROM events_event WHERE kind <> 'calendar_override_created'")
            cursor.execute("TRUNCATE notifications_notification")
            past, future = now - timedelta(days=30), now + timedelta(days=30)
            self.generate(cursor, ctx, total=total, due=due, past=past, future=future)
        old_autocommit = connection.get_autocommit()
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            for table in (*self.tables, "events_event", "notifications_notification"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        connection.set_autocommit(old_autocommit)

    def _timed(self, now) -> tuple[float, dict]:
        started = time.perf_counter()
        report = self.sweep(now=now)
        return time.perf_counter() - started, report
