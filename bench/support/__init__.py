"""What the benchmark scripts of `bench/` share: their command line and their database check.

A package rather than `bench/<name>.py`, because `.ci/run` runs every `bench/*.py` as a benchmark.
The scripts import it after `django.setup()`."""

import argparse
import sys
from pathlib import Path

from django.core.management import call_command
from django.db import connection


def bench_parser(doc: str, *, smoke: str) -> argparse.ArgumentParser:
    """The script's arguments, `--smoke` included (the tiny size CI runs); `smoke` says what it checks."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help=f"tiny size (seconds); {smoke} (what CI runs)")
    return parser


def bench_database(rewrites: str) -> None:
    """Refuse any database but a PostgreSQL one whose name ends in _bench, then migrate it.

    With `--smoke` each script works in a database of its own beside the one given
    (`<name>_<script>_bench`, created when missing): `.ci/run` gives every smoke the same database,
    and one script's rows (a sweep's tickets, a city's enterprises) must not change another's
    figures."""
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].endswith("_bench"):
        sys.exit(f"Run against a PostgreSQL database whose name ends in _bench ({rewrites}).")
    if "--smoke" in sys.argv:
        _own_smoke_database(Path(sys.argv[0]).stem)
    call_command("migrate", verbosity=0)


def _own_smoke_database(script: str) -> None:
    name = connection.settings_dict["NAME"]
    if name.endswith(f"_{script}_bench"):
        return
    own = f"{name[: -len('_bench')]}_{script}_bench"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [own])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{own}"')
    connection.close()
    connection.settings_dict["NAME"] = own
