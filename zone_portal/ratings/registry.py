"""What the apps tell the ratings piece, from their AppConfig, so it never imports them.

- `Rateable(model, finished=…, responsible=…, finished_at=…, park=…, department=…)`, listed in the
  app's `PortalAppConfig.contributions()` (which hands it to `rateable_register`): this kind of case
  is rated; `finished()` gives the queryset of its cases that can be rated (a completed request, a
  confirmed ticket), `responsible(case)` who answers for a rating of one (谁办理谁负责: its
  handler, the handler's department, the enterprise, as a `Responsible`; a bad review's
  rectification is theirs), `finished_at` the field holding when one became rateable, `park` and
  `department` the lookups (or expressions) of the park and department it counts for (None: it
  counts for none).
  Every kind registered here is counted in the one coverage figure (`selectors.rating_coverage`,
  and over a period and scope in the dashboards' ratings section, `ratings/dashboard.py`), and
  `actions.rating_submit` asks `rateable_responsible(case)` whom a rating concerns.
- `rectification_rules_register(deadlines=…, overseers=…, url=…)`: the service center's numbers, data an
  administrator edits (from the app's `ready()`): `deadlines()` gives the working days (verify, fix
  and reply) of a new rectification, `overseers()` the users told about appeals and overdue
  rectifications; `url(pk)` the page where a rectification is read and worked (the app that owns
  that page names it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Expression, Model, QuerySet
from django.urls import reverse


class Responsible(NamedTuple):
    """Who answers for the rating of a case: the user who handled it, the department that owns a bad
    review's rectification, and the enterprise the case served (each may be None)."""

    handler: Model | None
    department: Model | None
    enterprise: Model | None


NOBODY = Responsible(None, None, None)


@dataclass(frozen=True)
class Rateable:
    model: type[Model]
    finished: Callable[[], QuerySet]
    responsible: Callable[[Model], Responsible]
    finished_at: str = "closed_at"
    park: str | Expression | None = "enterprise__park_id"
    department: str | Expression | None = None


_rateable: dict[str, Rateable] = {}
_listeners: list[Callable[[Rateable], None]] = []


def rateable_register(rateable: Rateable) -> None:
    """Declare `rateable.model` a rated kind of case; `finished()` is the queryset of its rateable
    cases."""
    _rateable[rateable.model._meta.label_lower] = rateable
    for listener in _listeners:
        listener(rateable)


def rateable_listen(listener: Callable[[Rateable], None]) -> None:
    """Call `listener` with every rated kind of case, those registered already and those to come
    (a piece that must connect something per kind, whichever of the apps is ready first)."""
    _listeners.append(listener)
    for rateable in rateable_kinds():
        listener(rateable)


def rateable_kinds() -> list[Rateable]:
    return list(_rateable.values())


def rateable_responsible(case: Model) -> Responsible:
    """Who answers for a rating of `case`, as its kind's declaration says; nobody for a case of a
    kind that is not rated (the ratings piece never guesses at another app's fields)."""
    rateable = _rateable.get(case._meta.label_lower)
    return rateable.responsible(case) if rateable else NOBODY


# Until an app registers its rules (the services app always does): the usual local rules.
def _default_deadlines() -> tuple[float, float]:
    return 1.0, 15.0


def _default_overseers() -> list[int]:
    return []


def _default_url(pk: int) -> str:
    return reverse("admin:ratings_rectification_change", args=[pk])


_rules: dict[str, Callable] = {
    "deadlines": _default_deadlines,
    "overseers": _default_overseers,
    "url": _default_url,
}


def rectification_rules_register(
    *,
    deadlines: Callable[[], tuple[float, float]],
    overseers: Callable[[], list[int]],
    url: Callable[[int], str],
) -> None:
    _rules.update(deadlines=deadlines, overseers=overseers, url=url)


def rectification_deadlines() -> tuple[float, float]:
    """Working days to verify, and to fix and reply, for a rectification opened now."""
    return _rules["deadlines"]()


def rectification_url(pk: int) -> str:
    """Where a rectification is read and worked; also for rows read as values, such as the sweep's."""
    return _rules["url"](pk)


def rectification_overseers() -> list[int]:
    """Who decides appeals and hears of overdue rectifications (the center's head)."""
    return _rules["overseers"]()
