#!/usr/bin/env python
"""Load benchmark at a city's scale (not a test): the production server under wrk, logged in.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zp_city_bench python bench/load.py \\
        [--before /path/to/older/checkout] [--connections 8,32,128] [--duration 8]

1. Builds (or reuses, when its `bench_city` marker has the same sizes) a city in a PostgreSQL
   database whose name ends in `_bench`: 100,000 enterprises over the parks with pinyin names and
   their officers, 1,000,000 service requests and 1,000,000 tickets (`bench/dashboard.py`'s builder:
   two years, every state, ratings, whistles), open requests claimed by the clerks, open tickets
   held by the park directors, 10,000,000 events and 500,000 notifications; then the dashboard's
   full rollup refresh (the nightly rebuild), timed.
2. For each tree (`--before` first when given, then this one) starts the production server as the
   README says (`collectstatic`, gunicorn `--workers/--threads`, whitenoise, `DJANGO_ENV=production`,
   `DEBUG=0`, behind a TLS proxy: `X-Forwarded-Proto: https`), asks each endpoint once in-process
   for its query count and time (`support/probe.py`), starts the zone at work
   (`support/changes.py`: requests filed, claimed, completed, rated; problems raised, resolved,
   confirmed; the rollups refreshed every 15 s, each refresh timed), and drives every endpoint
   with wrk (`support/load.lua`: the user's session cookie or API token) for `--duration` seconds
   at each `--connections`. Traffic goes to 127.0.0.1 only.
3. Prints a Markdown table per tree and connection count: req/s, p50/p95/p99, errors, queries per
   request, and whether the issue's target holds; `--json` writes the raw figures.
   `--configs 2x4,3x4,4x2` measures this tree once per gunicorn workers×threads instead, and
   adds a table comparing them (req/s and p95 per endpoint at the last `--connections`).

`--smoke` (what CI runs, a few seconds): a tiny city in its own database (`<name>_load_bench`
beside the one given, so it never shares rows with the other benchmarks' smokes), one worker, each
endpoint probed (it must answer 200 with a bounded number of queries) and three of them under wrk
for one second; exits 1 when an endpoint fails.
"""

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")


def _smoke_database() -> None:
    """`--smoke` runs in a database of its own, `<given name without _bench>_load_bench`."""
    if "--smoke" not in sys.argv:
        return
    url = os.environ.get("DATABASE_URL", "")
    base, _, name = url.partition("?")[0].rpartition("/")
    if not base.startswith("postgres") or not name.endswith("_bench") or name.endswith("_load_bench"):
        return
    own = name[: -len("_bench")] + "_load_bench"
    import psycopg2

    admin = psycopg2.connect(base + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [own])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{own}"')
    admin.close()
    os.environ["DATABASE_URL"] = f"{base}/{own}"


_smoke_database()
# The server's key: the sessions made here must be valid there (a session carries an HMAC of it).
BENCH_SECRET_KEY = "bench-only-" + "k" * 50
os.environ["SECRET_KEY"] = BENCH_SECRET_KEY

import django  # noqa: E402

django.setup()

from dashboard import generate  # noqa: E402  (bench/dashboard.py: the one builder of cases)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from support import bench_database, bench_parser  # noqa: E402
from support.city import city_build  # noqa: E402

PASSWORD = "bench-only-password"
CITY = {
    "enterprises": 100_000,
    "requests": 1_000_000,
    "tickets": 1_000_000,
    "events": 10_000_000,
    "notifications": 500_000,
}
SMOKE = {"enterprises": 200, "requests": 600, "tickets": 600, "events": 6_000, "notifications": 600}

# The issue's targets at 32 connections, by kind of endpoint: (req/s at least, p95 at most in ms).
TARGETS = {"list": (300, 150), "detail": (300, None), "dashboard": (50, 500), "health": (1000, None)}

# What each role opens most: (name, user or None, "page" | "api", kind, path or callable of ids).
ENDPOINTS = [
    ("healthz", None, "page", "health", "/healthz"),
    ("home page (clerk1)", "clerk1", "page", "list", "/"),
    ("clerk queue page (clerk1)", "clerk1", "page", "list", "/services/queue/"),
    ("requests API (clerk1)", "clerk1", "api", "list", "/api/v1/service-requests/?page_size=25"),
    ("request detail (clerk1)", "clerk1", "page", "detail", "requests"),
    ("my requests page (ent_a)", "ent_a", "page", "list", "/services/requests/"),
    ("tickets API (park1)", "park1", "api", "list", "/api/v1/tickets/?page_size=25"),
    ("ticket list page (park1)", "park1", "page", "list", "/problems/"),
    ("ticket detail (park1)", "park1", "page", "detail", "tickets"),
    ("park board (park1)", "park1", "page", "list", "/problems/board/"),
    ("department inbox (dept_land)", "dept_land", "page", "list", "/problems/department/"),
    ("battle map (leader1)", "leader1", "page", "list", "/projects/"),
    ("enterprise search, pinyin (clerk1)", "clerk1", "page", "list", "search"),
    (
        "dashboard summary, year (admin)",
        "admin",
        "api",
        "dashboard",
        "/api/v1/dashboard/summary/?period=year",
    ),
    ("public page", None, "page", "dashboard", "/dashboard/public/"),
    ("inbox page (clerk1)", "clerk1", "page", "list", "/inbox/"),
    ("notifications API (clerk1)", "clerk1", "api", "list", "/api/v1/notifications/"),
]
SMOKE_LOADED = ("healthz", "requests API (clerk1)", "ticket list page (park1)")
SEARCHES = ["zjkj", "huachuang", "gdzn", "shengwuyiyao", "rfcl", "tianyu", "xxrj", "boyuan"]


def credentials(users) -> dict:
    """A session cookie and an API token per user, made the way a login makes them."""
    from django.test import Client

    from zone_portal.accounts.actions import token_issue
    from zone_portal.accounts.models import User

    out = {}
    for user in User.objects.filter(username__in=users):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        out[user.username] = {
            "page": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            "api": {"Authorization": f"Token {token_issue(user=user).key}"},
        }
    return out


def paths_of(spec: str, rng: random.Random) -> list[str]:
    """The paths an endpoint spreads over: detail pages over many rows the user may open."""
    from feedback.models import Ticket
    from services.models import ServiceRequest
    from zone_portal.accounts.models import User

    if spec == "requests":
        ids = list(
            ServiceRequest.objects.filter(is_bundle=False).order_by("-id").values_list("id", flat=True)[:5000]
        )
        return [f"/services/requests/{pk}/" for pk in rng.sample(ids, min(200, len(ids)))]
    if spec == "tickets":
        park1 = User.objects.get(username="park1")
        ids = list(
            Ticket.objects.filter(park_id__in=park1.park_ids)
            .order_by("-id")
            .values_list("id", flat=True)[:5000]
        )
        return [f"/problems/{pk}/" for pk in rng.sample(ids, min(200, len(ids)))]
    if spec == "search":
        return [f"/enterprises/?q={q}" for q in SEARCHES]
    return [spec]


class Server:
    """gunicorn as the README's production section runs it, for one tree."""

    def __init__(self, tree: Path, port: int, workers: int, threads: int, log: Path):
        self.tree, self.port, self.workers, self.threads, self.log = tree, port, workers, threads, log
        self.env = dict(
            os.environ,
            DJANGO_ENV="production",
            DEBUG="0",
            SECRET_KEY=BENCH_SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1,testserver",
            STATIC_ROOT=str(tree / "staticfiles"),
            LOG_LEVEL="WARNING",
        )
        self.process = None

    def start(self) -> None:
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=self.tree,
            env=self.env,
            check=True,
        )
        gunicorn = str(Path(python).parent / "gunicorn")
        command = [
            gunicorn,
            "zone_portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
        ]
        command += ["--threads", str(self.threads), "--worker-class", "gthread"]
        self.process = subprocess.Popen(
            command, cwd=self.tree, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{self.port}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited: see {self.log}")
        sys.exit(f"gunicorn did not answer /healthz in 60 s: see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def probe(tree: Path, env: dict, endpoints: dict) -> dict:
    job = json.dumps({"endpoints": endpoints, "repeat": 3})
    done = subprocess.run(
        [sys.executable, str(HERE / "support" / "probe.py")],
        cwd=tree,
        env=env,
        input=job,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"probe failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def wrk(port: int, endpoint: dict, connections: int, seconds: int) -> dict:
    headers = "\n".join(f"{k}: {v}" for k, v in endpoint.get("headers", {}).items())
    env = dict(os.environ, LOAD_PATHS=" ".join(endpoint["paths"]), LOAD_HEADERS=headers)
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(HERE / "support" / "load.lua"), f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("LOADJSON ")), None)
    if line is None:
        sys.exit(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line[len("LOADJSON ") :])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = figures["non2xx"] + figures["timeouts"] + figures["connect_errors"]
    return figures


def drain(port: int, limit: float = 90.0) -> float:
    """Wait until the server answers /healthz within 0.2 s: the requests a slow endpoint left queued
    (wrk stops, gunicorn still serves its backlog) must not be charged to the next endpoint."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=limit) as response:  # noqa: S310 - loopback
                response.read()
        except OSError:
            pass
        if time.monotonic() - asked < 0.2:
            break
    return time.monotonic() - started


def uptime() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[:3].__str__().replace("'", "")


def verdict(kind: str, figures: dict) -> str:
    rps, p95 = TARGETS[kind]
    good = figures["rps"] >= rps and (p95 is None or figures["p95"] / 1000 <= p95) and not figures["errors"]
    return "yes" if good else "no"


def table(label: str, connections: int, results: dict, probes: dict, load: str) -> str:
    lines = [
        f"**{label}, {connections} connections** (load average before: {load})",
        "",
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | queries | 1 request ms | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, _user, _how, kind, _spec in ENDPOINTS:
        if name not in results:
            continue
        f, p = results[name], probes.get(name, {})
        target = verdict(kind, f) if connections == 32 else ""
        lines.append(
            f"| {name} | {f['rps']:.0f} | {f['p50'] / 1000:.0f} | {f['p95'] / 1000:.0f} | {f['p99'] / 1000:.0f} "
            f"| {f['errors']} | {p.get('queries', '')} | {p.get('ms', '')} | {target} |"
        )
    return "\n".join(lines) + "\n"


def configs_table(runs: dict, connections: int) -> str:
    """req/s and p95 of each endpoint under each workers×threads configuration (`--configs`)."""
    names = [
        n
        for n, *_ in ENDPOINTS
        if any(n in r["load"].get(connections, {}).get("results", {}) for r in runs.values())
    ]
    lines = [
        f"**Workers × threads at {connections} connections** (req/s, p95 ms; load average before each run: "
        + ", ".join(
            f"{c} {r['load'][connections]['load_average']}"
            for c, r in runs.items()
            if connections in r["load"]
        )
        + ")",
        "",
        "| endpoint | " + " | ".join(runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    for name in names:
        cells = []
        for run in runs.values():
            f = run["load"].get(connections, {}).get("results", {}).get(name)
            cells.append(f"{f['rps']:.0f}, {f['p95'] / 1000:.0f}" if f else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def run_tree(label, tree, args, endpoints, out) -> dict:
    print(f"\n## {label}: {tree}  (workers {args.workers} × threads {args.threads})", flush=True)
    log = Path(tempfile.gettempdir()) / f"zp-load-{args.port}.log"
    server = Server(tree, args.port, args.workers, args.threads, log)
    server.start()
    changes = None
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    figures = {"probe": {}, "load": {}, "changes": None}
    try:
        asked = {n: e for n, e in endpoints.items() if not args.only or any(part in n for part in args.only)}
        figures["probe"] = probe(tree, server.env, asked)
        bad = {n: p for n, p in figures["probe"].items() if p["status"] != 200}
        if bad:
            print(f"endpoints not answering 200 in {label}: {bad}")
            figures["failed"] = sorted(bad)
        if not args.no_changes:
            changes = subprocess.Popen(
                [sys.executable, str(HERE / "support" / "changes.py"), str(args.changes_pause), str(report)],
                cwd=tree,
                env=server.env,
            )
        names = SMOKE_LOADED if args.smoke else list(endpoints)
        for connections in args.before_connections if label == "before" else args.connections:
            load = uptime()
            results = {}
            for name in names:
                if args.only and not any(part in name for part in args.only):
                    continue
                drain(args.port)
                results[name] = wrk(args.port, endpoints[name], connections, args.duration)
                print(
                    f"  {connections:>4} conn  {name:<40} {results[name]['rps']:7.0f} req/s  "
                    f"p95 {results[name]['p95'] / 1000:6.0f} ms  errors {results[name]['errors']}",
                    flush=True,
                )
            figures["load"][connections] = {"load_average": load, "results": results}
            out.append(table(label, connections, results, figures["probe"], load))
    finally:
        if changes is not None:
            changes.send_signal(signal.SIGTERM)
            changes.wait(timeout=120)
            if report.stat().st_size:
                figures["changes"] = json.loads(report.read_text())
        report.unlink(missing_ok=True)
        server.stop()
    if figures["changes"]:
        c = figures["changes"]
        out.append(
            f"Zone at work during the {label} run: {c['cycles']} cycles in {c['seconds']} s, writes {c['writes']}; "
            f"rollup refreshes of the changed cases: median {c['refresh_median_ms']} ms, worst "
            f"{c['refresh_max_ms']} ms ({len(c['refresh_ms'])} runs)\n"
        )
    return figures


def main() -> None:
    parser = bench_parser(__doc__, smoke="every endpoint must answer 200 with few queries")
    parser.add_argument("--before", type=Path, help="an older checkout measured first, on the same database")
    parser.add_argument("--connections", default="8,32,128")
    parser.add_argument(
        "--before-connections", default=None, help="connection counts for --before (default: --connections)"
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per endpoint and connections")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--only", action="append", help="only the endpoints whose name contains this")
    parser.add_argument("--no-changes", action="store_true", help="a quiet database (no stream of changes)")
    parser.add_argument("--changes-pause", type=float, default=1.0, help="seconds between cycles of changes")
    parser.add_argument("--rebuild", action="store_true", help="time the nightly full rollup rebuild again")
    parser.add_argument("--json", type=Path, help="write every figure there")
    parser.add_argument(
        "--configs",
        help="workers×threads to compare on this tree, e.g. 2x4,3x4,4x2 (each a run of its own; "
        "a table of req/s and p95 per endpoint and configuration at the last --connections)",
    )
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    args.before_connections = (
        [int(c) for c in args.before_connections.split(",")] if args.before_connections else args.connections
    )
    if args.smoke:
        args.connections, args.duration, args.workers, args.threads, args.before = [4], 1, 1, 2, None
        args.no_changes = True
    bench_database("it rewrites tables")
    sizes = SMOKE if args.smoke else CITY
    built = city_build(sizes, password=PASSWORD, generate=generate)
    from zone_portal.dashboard.rollup import refresh

    nightly = None
    if built or args.rebuild:
        started = time.perf_counter()
        refresh(full=True)
        nightly = time.perf_counter() - started
        print(f"nightly rebuild of the rollups (full refresh): {nightly:.1f} s  (load {uptime()})")
    else:
        refresh()
    connection.close()

    rng = random.Random(13)
    users = {user for _n, user, *_ in ENDPOINTS if user}
    logins = credentials(users)
    endpoints = {}
    for name, user, how, _kind, spec in ENDPOINTS:
        endpoints[name] = {"paths": paths_of(spec, rng), "headers": logins[user][how] if user else {}}
    connection.close()
    out: list[str] = []
    runs = {}
    if args.before:
        runs["before"] = run_tree("before", args.before.resolve(), args, endpoints, out)
    if args.configs:
        for config in args.configs.split(","):
            args.workers, args.threads = (int(n) for n in config.lower().split("x"))
            runs[f"{args.workers}×{args.threads}"] = run_tree(
                f"{args.workers} workers × {args.threads} threads", ROOT, args, endpoints, out
            )
        out.append(configs_table(runs, args.connections[-1]))
    else:
        runs["after" if args.before else "this tree"] = run_tree(
            "after" if args.before else "this tree", ROOT, args, endpoints, out
        )
    print()
    print("\n".join(out))
    if nightly is not None:
        print(f"Nightly rebuild (full refresh of the rollups): {nightly:.1f} s")
    if args.json:
        args.json.write_text(json.dumps({"nightly_s": nightly, "runs": runs}, ensure_ascii=False, indent=1))
    if args.smoke:
        failed = []
        for run in runs.values():
            failed += run.get("failed", [])
            for name, p in run["probe"].items():
                if p["queries"] > 40:
                    failed.append(f"{name}: {p['queries']} queries")
            for level in run["load"].values():
                failed += [
                    f"{n}: {f['errors']} errors under load"
                    for n, f in level["results"].items()
                    if f["errors"]
                ]
        if failed:
            print("SMOKE FAILED: " + "; ".join(failed))
            sys.exit(1)
        print("smoke: every endpoint answered 200 with a bounded number of queries")


if __name__ == "__main__":
    main()
