"""Queries and time of one request per endpoint, in-process (`bench/load.py` runs it in a tree).

    cd <tree> && python <this file> < endpoints.json > figures.json

Run with the working directory at the project's root (the tree under test, which may be an older
checkout), so the figures are that tree's code. Each endpoint is asked once to warm up, then
`repeat` times; it prints per endpoint the status, the queries of one request and the median time.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    job = json.load(sys.stdin)
    out = {}
    for name, endpoint in job["endpoints"].items():
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        headers = dict(endpoint.get("headers", {}))
        cookie = headers.pop("Cookie", "")
        for part in filter(None, (c.strip() for c in cookie.split(";"))):
            key, _, value = part.partition("=")
            client.cookies[key] = value
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
        path = endpoint["paths"][0]
        client.get(path, **extra)  # warm-up
        timings, queries, status = [], 0, 0
        for _ in range(job.get("repeat", 3)):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, **extra)
                timings.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured), response.status_code
        out[name] = {"status": status, "queries": queries, "ms": round(statistics.median(timings), 1)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
