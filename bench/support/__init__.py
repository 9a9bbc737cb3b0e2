"""What the benchmark scripts of `bench/` share: their command line and their database check.

A package rather than `bench/<name>.py`, because `.ci/run` runs every `bench/*.py` as a benchmark.
The scripts import it after `django.setup()`."""

import argparse
import sys

from django.core.management import call_command
from django.db import connection


def bench_parser(doc: str, *, smoke: str) -> argparse.ArgumentParser:
    """The script's arguments, `--smoke` included (the tiny size CI runs); `smoke` says what it checks."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help=f"tiny size (seconds); {smoke} (what CI runs)")
    return parser


def bench_database(rewrites: str) -> None:
    """Refuse any database but a PostgreSQL one whose name ends in _bench, then migrate it."""
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].endswith("_bench"):
        sys.exit(f"Run against a PostgreSQL database whose name ends in _bench ({rewrites}).")
    call_command("migrate", verbosity=0)
