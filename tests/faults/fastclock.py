"""`python -m tests.faults.fastclock <module> <args…>`: run a module (celery worker or beat) with a
clock that runs ZP_FASTCLOCK_SPEED times faster than the real one from the real moment
ZP_FASTCLOCK_T0 (epoch seconds). Every process given the same two values agrees on the time, so
two workers and two beats live in the same accelerated day. Python's clock only (time-machine):
PostgreSQL's now() stays real, which the sweeps never use (they are given `now`)."""

import os
import runpy
import sys
import threading
import time

import time_machine

T0 = float(os.environ["ZP_FASTCLOCK_T0"])
SPEED = float(os.environ["ZP_FASTCLOCK_SPEED"])
_real_start, _mono_start = time.time(), time.monotonic()  # before the clock is patched


def fast_now() -> float:
    real = _real_start + (time.monotonic() - _mono_start)  # monotonic is not patched
    return T0 + (real - T0) * SPEED


def main() -> None:
    coordinates = time_machine.travel(fast_now(), tick=True).start()

    def keep_up():
        while True:
            time.sleep(0.02)
            coordinates.move_to(fast_now())

    threading.Thread(target=keep_up, daemon=True, name="fastclock").start()
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
