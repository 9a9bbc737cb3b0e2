"""What the apps tell the ratings piece, from their AppConfig.ready(), so it never imports them.

- `rateable_register(model, finished=…)`: this kind of case is rated; `finished()` gives the
  queryset of its cases that can be rated (a completed request, a confirmed ticket). Every kind
  registered here is counted in the one coverage figure (`selectors.rating_coverage`).
- `rectification_rules_register(deadlines=…, overseers=…)`: the service center's numbers, data an
  administrator edits: `deadlines()` gives the working days (verify, fix and reply) of a new
  rectification, `overseers()` the users told about appeals and overdue rectifications.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Rateable:
    model: type[Model]
    finished: Callable[[], QuerySet]


_rateable: dict[str, Rateable] = {}


def rateable_register(model: type[Model], *, finished: Callable[[], QuerySet]) -> None:
    """Declare `model` a rated kind of case; `finished()` is the queryset of its rateable cases."""
    _rateable[model._meta.label_lower] = Rateable(model=model, finished=finished)


def rateable_kinds() -> list[Rateable]:
    return list(_rateable.values())


# Until an app registers its rules (the services app always does): the usual local rules.
def _default_deadlines() -> tuple[float, float]:
    return 1.0, 15.0


def _default_overseers() -> list[int]:
    return []


_rules: dict[str, Callable] = {"deadlines": _default_deadlines, "overseers": _default_overseers}


def rectification_rules_register(
    *, deadlines: Callable[[], tuple[float, float]], overseers: Callable[[], list[int]]
) -> None:
    _rules.update(deadlines=deadlines, overseers=overseers)


def rectification_deadlines() -> tuple[float, float]:
    """Working days to verify, and to fix and reply, for a rectification opened now."""
    return _rules["deadlines"]()


def rectification_overseers() -> list[int]:
    """Who decides appeals and hears of overdue rectifications (the center's head)."""
    return _rules["overseers"]()
