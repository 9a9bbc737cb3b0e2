"""A write that a unique constraint may refuse, said as the refusal a person understands.

    with refuse_duplicate(Conflict(_("This enterprise has applied for this policy already."))):
        application = PolicyApplication.objects.create(policy=policy, enterprise=enterprise, …)

The check-then-insert of two requests at once cannot both pass: the database's unique constraint
is the last word, and its `IntegrityError` becomes the app's own error (a 409 or a 400 with the
field) instead of a 500. The block runs in a savepoint, so the caller's transaction stays usable
until the error reaches it.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a write because a unique constraint or index already holds the
    value (PostgreSQL's SQLSTATE 23505; SQLite's "UNIQUE constraint failed"), rather than a missing
    value, a check or a foreign key."""
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if code is not None:
        return code == "23505"
    return str(exc).startswith("UNIQUE constraint failed")


@contextmanager
def refuse_duplicate(error: Exception):
    """Run the block in a savepoint; raise `error` instead if the database refuses its write as a
    duplicate (a unique constraint). Any other refusal (a NOT NULL, a CHECK, a foreign key) is a bug
    of the caller's checks and stays the `IntegrityError` it is: it must not read as "taken"."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise error from None
