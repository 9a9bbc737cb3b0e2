"""Real servers for the fault checks, each on a free loopback port of its own: Redis (and Sentinel),
a PostgreSQL cluster (initdb into a temporary folder, run as the `postgres` user when we are root,
since PostgreSQL refuses to run as root), and the portal's own processes (Celery worker and beat,
gunicorn). Nothing here touches the shared PostgreSQL on 5432 or Redis on 6379 except to read the
test database (`pg_dump`) that pytest-django made."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pg_bin() -> Path:
    """The newest PostgreSQL server binaries installed (Debian keeps them out of PATH)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float = 60, what: str = "condition", interval: float = 0.2, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tail = ""
    if log is not None and Path(log).exists():
        tail = "\n--- log ---\n" + Path(log).read_text(errors="replace")[-4000:]
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{tail}")


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Process:
    """A child process whose output goes to a log file (a pipe nobody reads would block it)."""

    def __init__(self, cmd: list[str], *, env: dict, log: Path, cwd: Path = ROOT):
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15, *, kill: bool = False) -> None:
        if kill and self.alive():
            self.proc.kill()  # cleanup after a check: nothing of the process is looked at any more
            self.proc.wait(timeout=10)
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Redis:
    """A throwaway redis-server (no persistence) on a port of its own: stop() is "the broker is down"."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *extra: str) -> Redis:
        self.process = Process(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *extra,
            ],
            env=dict(os.environ),
            log=self.folder / f"redis-{self.port}.log",
            cwd=self.folder,
        )
        wait_until(self.ping, timeout=20, what=f"redis on {self.port}", log=self.process.log)
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def cli(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=10
        ).stdout.strip()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


class Sentinel:
    """A real Redis Sentinel (`redis-server <conf> --sentinel`) watching `master` as `name`."""

    def __init__(self, folder: Path, master: Redis, name: str, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.name = name
        self.conf = folder / f"sentinel-{self.port}.conf"
        self.conf.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {folder}\n"
            f"sentinel monitor {name} 127.0.0.1 {master.port} 1\n"
            f"sentinel down-after-milliseconds {name} 1000\n"
            f"sentinel failover-timeout {name} 5000\n"
        )
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"sentinel://127.0.0.1:{self.port}/0"

    def start(self) -> Sentinel:
        self.process = Process(
            ["redis-server", str(self.conf), "--sentinel"],
            env=dict(os.environ),
            log=self.folder / "sentinel.log",
        )
        wait_until(lambda: self.master_port() is not None, timeout=20, what="sentinel", log=self.process.log)
        return self

    def master_port(self) -> int | None:
        reply = subprocess.run(
            ["redis-cli", "-p", str(self.port), "SENTINEL", "get-master-addr-by-name", self.name],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.split()
        return int(reply[1]) if len(reply) == 2 else None

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


class PgCluster:
    """A PostgreSQL cluster of the test's own: initdb into a temporary folder, pg_ctl on a free port."""

    def __init__(self, folder: Path | None = None, port: int | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="zp-pg-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.data = self.folder / "data"
        self.port = port or free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            _as_postgres([str(PG_BIN / cmd[0]), *cmd[1:]]),
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.folder,
        )
        if check and done.returncode:
            raise AssertionError(f"{cmd[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def init(self, **conf: str) -> PgCluster:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            "max_connections": "60",
            **conf,
        }
        with open(self.data / "postgresql.conf", "a") as f:
            f.writelines(f"{k} = {v}\n" for k, v in settings.items())
        return self

    def start(self) -> PgCluster:
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start"
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self, mode: str = "fast") -> None:
        self.run(
            "pg_ctl", "-D", str(self.data), "-m", mode, "-l", str(self.folder / "server.log"), "-w", "restart"
        )

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        return subprocess.run(
            ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", self.url(dbname), "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()

    def copy_database(self, source_url: str, dbname: str) -> str:
        """A copy of `source_url` (schema and rows) as `dbname` here; returns its URL."""
        self.psql(f'CREATE DATABASE "{dbname}"')
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", source_url],
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout
        subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url(dbname)],
            input=dump,
            capture_output=True,
            timeout=120,
            check=True,
        )
        return self.url(dbname)

    def follow(self, primary: PgCluster) -> PgCluster:
        """Make this cluster a streaming replica of `primary` (pg_basebackup -R), on its own port."""
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", str(self.data), "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
        )  # fmt: skip
        with open(self.data / "postgresql.auto.conf", "a") as f:
            f.write(f"port = {self.port}\nunix_socket_directories = '{self.folder}'\nhot_standby = on\n")
        return self

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def database_url_of_tests() -> str:
    """The URL of the database pytest-django made (the one the test's rows are committed to)."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    if not settings.IS_POSTGRES:
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def portal_env(**extra: str) -> dict[str, str]:
    """The environment of a portal process started by a fault check: the test settings (its own
    queue), real tasks (not eager), and whatever the check points elsewhere."""
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": database_url_of_tests(),
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def celery_worker(env: dict, log: Path, *, name: str = "w1", pool: str = "solo") -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zone_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            f"--hostname={name}@%h",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        log=log,
    )


def celery_beat(env: dict, log: Path, schedule: Path) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zone_portal",
            "beat",
            "--loglevel=INFO",
            f"--schedule={schedule}",
        ],
        env=env,
        log=log,
    )


def gunicorn(env: dict, log: Path, *, port: int, threads: int = 4) -> Process:
    process = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zone_portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            f"--threads={threads}",
            "--timeout=60",
            "--graceful-timeout=3",
            "--access-logfile=-",
        ],
        env=env,
        log=log,
    )
    wait_until(
        lambda: http("GET", f"http://127.0.0.1:{port}/healthz")[0] in (200, 503) or not process.alive(),
        timeout=60,
        what="gunicorn to answer",
        log=log,
    )
    assert process.alive(), process.output()
    return process


def http(method: str, url: str, *, token: str | None = None, json_body=None, headers=None, timeout=30):
    """(status, headers, body text) of one request; (0, {}, error) when nothing answered."""
    import json

    data = None if json_body is None else json.dumps(json_body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept-Language", "en")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")
    except OSError as exc:
        return 0, {}, repr(exc)
