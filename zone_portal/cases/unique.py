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


@contextmanager
def refuse_duplicate(error: Exception):
    """Run the block in a savepoint; raise `error` instead if the database refuses its write as a
    duplicate (a unique constraint)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise error from None
