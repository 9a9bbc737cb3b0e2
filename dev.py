#!/usr/bin/env python3
"""The two commands of the quick start, with nothing but Python 3.11+ on the machine.

    python3 dev.py up     set up .venv, install, migrate, load demo data, run web + worker + beat
    python3 dev.py test   run the whole test suite (pytest arguments may follow)

Without DATABASE_URL / REDIS_URL it uses SQLite and kombu's filesystem broker under var/.
ZP_PORT changes the web server's port (8000).
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ZP_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".zone-portal-installed"
PORT = os.environ.get("ZP_PORT", "8000")  # the web server's port on 127.0.0.1


def run(*args, **kwargs):
    print("$", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_venv() -> None:
    """Create the virtual environment and install the project, again only when pyproject changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("zone-portal needs Python 3.11 or newer")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        # The project runs from this folder (manage.py), so only its dependencies are installed.
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        requirements = project["dependencies"] + project["optional-dependencies"]["test"]
        run(PY, "-m", "pip", "install", "--quiet", *requirements)
        STAMP.write_text(digest)


def manage(*args):
    run(PY, "manage.py", *args)


def up() -> None:
    received = catch_stop_signals()
    ensure_venv()
    manage("migrate", "--noinput")
    manage("seed_demo")
    if received:
        return
    supervise(
        [
            [PY, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            [
                PY,
                "-m",
                "celery",
                "-A",
                "zone_portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--pool=threads",
            ],
            [PY, "-m", "celery", "-A", "zone_portal", "beat", "--loglevel=INFO"],
        ],
        banner=f"\nzone-portal: http://127.0.0.1:{PORT}  (demo users: see README; Ctrl-C stops everything)\n",
    )


# Ctrl-C, a stop button or `timeout` (SIGTERM), a closed terminal (SIGHUP).
STOP_SIGNALS = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]


def catch_stop_signals() -> list[int]:
    """From now on a stop signal is recorded in the returned list instead of ending dev.py at once,
    so that dev.py can stop its children first.

    Installed explicitly for SIGINT too: a shell starts a background job with SIGINT ignored, and
    Python would keep ignoring it. The children start with the default handlers (exec resets them).
    """
    received: list[int] = []
    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda signum, frame: received.append(signum))
    return received


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM if dev.py itself is killed (SIGKILL cannot be caught)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def supervise(commands: list[list], *, banner: str = "") -> None:
    """Run the commands side by side until one of them stops or dev.py gets a stop signal, then
    stop them all; never returns with a child still running."""
    received = catch_stop_signals()
    children: list[subprocess.Popen] = []
    preexec = _die_with_parent if sys.platform == "linux" else None
    try:
        for command in commands:
            if received:
                break
            print("$", " ".join(str(a) for a in command), flush=True)
            children.append(subprocess.Popen([str(a) for a in command], cwd=ROOT, preexec_fn=preexec))
        if banner and not received:
            print(banner, flush=True)
        while not received and all(child.poll() is None for child in children):
            time.sleep(0.2)
        print("\nstopping…" if received else "a process stopped; shutting the others down", flush=True)
    finally:
        stop(children)


def stop(children: list[subprocess.Popen]) -> None:
    """Stop every child, whatever state it is in: ask (SIGINT), then insist (SIGTERM), then kill.

    Stop signals arriving meanwhile (a second Ctrl-C) are only recorded: they must not cut this
    short and leave a server or worker running on its own.
    """
    for sig, grace in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        running = [child for child in children if child.poll() is None]
        if not running:
            return
        for child in running:
            child.send_signal(sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(child.poll() is None for child in running):
            time.sleep(0.2)


def test(extra: list[str]) -> int:
    ensure_venv()
    return subprocess.call([str(PY), "-m", "pytest", *extra], cwd=ROOT)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"up", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "up":
        up()
    else:
        sys.exit(test(sys.argv[2:]))


if __name__ == "__main__":
    main()
