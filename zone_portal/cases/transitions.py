"""Status changes: the model's transition table is the guard, and the only one.

A model declares `TRANSITIONS = Transitions({from: {to, …}, …})` (keys and values from its status
choices). Every action changes a status through `transition(case, to)`, which refuses a move the
table does not allow with `TransitionForbidden` (409); every sweep step claims its rows with
`transition_q(Model, to)`, so the SQL's status literals come from the same table.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Q
from django.utils.translation import gettext as _

from zone_portal.errors import TransitionForbidden
from zone_portal.events.log import event_record


class Transitions:
    """Which status may follow which (a status missing from the table allows nothing)."""

    def __init__(self, table: Mapping[str, Iterable[str]], *, field: str = "status"):
        self.table = {str(k): frozenset(str(v) for v in targets) for k, targets in table.items()}
        self.field = field

    def allows(self, from_status: str, to_status: str) -> bool:
        return str(to_status) in self.table.get(str(from_status), frozenset())

    def sources(self, to_status: str) -> list[str]:
        """The statuses `to_status` may follow, sorted."""
        return sorted(s for s, targets in self.table.items() if str(to_status) in targets)

    def targets(self, from_status: str) -> frozenset[str]:
        return self.table.get(str(from_status), frozenset())

    def __getitem__(self, from_status: str) -> frozenset[str]:
        return self.targets(from_status)


def can_transition(case, to_status: str) -> bool:
    table: Transitions = type(case).TRANSITIONS
    return table.allows(getattr(case, table.field), to_status)


def transition(case, to_status: str, *, message=None) -> str:
    """Move `case` (a locked row) to `to_status` in memory, after checking the model's table.
    Returns the previous status; the caller saves. Raises `TransitionForbidden` (409) otherwise."""
    table: Transitions = type(case).TRANSITIONS
    previous = getattr(case, table.field)
    if not table.allows(previous, to_status):
        display = getattr(case, f"get_{table.field}_display", lambda: previous)()
        raise TransitionForbidden(
            message or _("Not possible while the status is “%(status)s”.") % {"status": display}
        )
    setattr(case, table.field, to_status)
    return previous


def transition_q(model, to_status: str) -> Q:
    """The rows of `model` that may move to `to_status`: a sweep's status condition."""
    table: Transitions = model.TRANSITIONS
    return Q(**{f"{table.field}__in": table.sources(to_status)})


def case_move(
    case, to_status: str, *, actor, kind: str, fields=(), reason: str = "", data=None, at=None, message=None
) -> str:
    """Move `case` (a locked row) to `to_status` through `transition` (`message`: the refusal's
    words, if not the usual ones), save the status with `fields` (the caller has set them), and
    record the move as `kind` on the case's timeline. Returns the previous status."""
    previous = transition(case, to_status, message=message)
    case.save(update_fields=[type(case).TRANSITIONS.field, *fields])
    event_record(
        case=case,
        kind=kind,
        actor=actor,
        from_state=previous,
        to_state=to_status,
        reason=reason,
        data=data,
        at=at,
    )
    return previous
