#!/usr/bin/env python3
"""The two commands of the quick start, with nothing but Python 3.11+ on the machine.

    python3 dev.py up     set up .venv, install, migrate, load demo data, run web + worker + beat
    python3 dev.py test   run the whole test suite (pytest arguments may follow)

Without DATABASE_URL / REDIS_URL it uses SQLite and kombu's filesystem broker under var/.
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
    ensure_venv()
    manage("migrate", "--noinput")
    manage("seed_demo")
    children = []
    commands = [
        [PY, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"],
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
    ]
    try:
        for command in commands:
            print("$", " ".join(str(a) for a in command), flush=True)
            children.append(subprocess.Popen([str(a) for a in command], cwd=ROOT))
        print(
            "\nzone-portal: http://127.0.0.1:8000  (demo users: see README; Ctrl-C stops everything)\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a process stopped; shutting the others down", flush=True)
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
    finally:
        stop(children)


def stop(children: list[subprocess.Popen]) -> None:
    """Stop every child, whatever state it is in: ask (SIGINT), then insist (SIGTERM), then kill.

    A second Ctrl-C must not cut this short and leave a server or worker running on its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
