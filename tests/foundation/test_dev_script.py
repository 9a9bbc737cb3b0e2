"""`dev.py up` stops web, worker and beat whichever way it is stopped.

The children here are stand-ins (Python processes that sleep) started by dev.py's own supervisor, so
the test runs in seconds; `dev.py up` hands its three real commands to the same function.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = "import os, sys, time; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(300)"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped running


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _start_dev(tmp_path, *, background: bool = False) -> tuple[subprocess.Popen, list[int]]:
    """dev.py supervising three children; `background`: started as `dev.py up &` is (SIGINT ignored)."""
    pids = tmp_path / "pids"
    child = [sys.executable, "-c", SLEEPER, str(pids)]
    code = f"import dev; dev.supervise({[child] * 3!r})"

    def as_background_job():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        preexec_fn=as_background_job if background else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = _wait(lambda: pids.exists() and len(pids.read_text().split()) == 3, 60)
    children = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    if not started:
        process.kill()
        pytest.fail("dev.py did not start its three children:\n" + process.communicate()[0])
    return process, children


@pytest.mark.parametrize(
    ("how", "background", "sig"),
    [
        ("an IDE's stop button or `timeout`", False, signal.SIGTERM),
        ("Ctrl-C", False, signal.SIGINT),
        ("kill -INT of a background dev.py", True, signal.SIGINT),
        ("the terminal closing", False, signal.SIGHUP),
        ("kill -9 of dev.py", False, signal.SIGKILL),
    ],
)
def test_stopping_dev_py_stops_every_child(tmp_path, how, background, sig):
    process, children = _start_dev(tmp_path, background=background)
    try:
        assert all(_alive(pid) for pid in children)
        process.send_signal(sig)
        assert _wait(lambda: process.poll() is not None, 30), f"dev.py kept running after {how}"
        assert _wait(lambda: not any(_alive(pid) for pid in children), 15), (
            f"children still running after {how}: {[pid for pid in children if _alive(pid)]}"
        )
    finally:
        process.kill()
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_dev_py_stops_the_others_when_one_child_exits(tmp_path):
    process, children = _start_dev(tmp_path)
    try:
        os.kill(children[0], signal.SIGKILL)
        assert _wait(lambda: process.poll() is not None, 30)
        assert "shutting the others down" in process.communicate()[0]
        assert not any(_alive(pid) for pid in children)
    finally:
        process.kill()
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
