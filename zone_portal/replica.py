"""Reads that may go to a PostgreSQL read replica (`DATABASE_REPLICA_URL`).

Only the views marked `@replica_view` (the dashboards, the public page and the exports: heavy reads
that tolerate a second of lag; each app marks its own) and those an operator names in
`settings.REPLICA_VIEWS` read from the replica; everything else, every write and every task reads
the primary. A person who has just written (any POST/PUT/PATCH/DELETE that
succeeded) is pinned to the primary for `REPLICA_PIN_SECONDS` by a cookie, so they never see a
figure or an export without their own change. A cookie rather than server state: any web host
honours it, and none needs to share memory with another.

`ReplicaRouter` sends reads to the replica only inside `replica_reads()`; `ReplicaMiddleware`
opens that block around the views marked or named. Without a replica configured both do nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "zp_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)


def replica_view(view):
    """Marks a view whose reads may go to the replica (put it above the view's other decorators, so
    the mark is on the function the URL resolves to)."""
    view.replica_reads = True
    return view


def reads_replica(view_func, match) -> bool:
    """Whether a view's reads may go to the replica: marked `@replica_view`, or named by the
    operator in `settings.REPLICA_VIEWS`."""
    return getattr(view_func, "replica_reads", False) or (
        match is not None and match.view_name in settings.REPLICA_VIEWS
    )


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block go to the replica (when one is configured)."""
    token = _reads_on_replica.set(replica_configured())
    try:
        yield
    finally:
        _reads_on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_on_replica.get() else None

    def db_for_write(self, model, **hints):
        return None  # the primary ("default"), as without this router

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by streaming


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.pinned_to_primary = PIN_COOKIE in request.COOKIES
        request._replica_block = None
        try:
            response = self.get_response(request)
        finally:
            if request._replica_block is not None:
                request._replica_block.__exit__(None, None, None)
        if replica_configured() and request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            replica_configured()
            and request.method in SAFE_METHODS
            and not request.pinned_to_primary
            and reads_replica(view_func, request.resolver_match)
        ):
            request._replica_block = replica_reads()
            request._replica_block.__enter__()
        return None
