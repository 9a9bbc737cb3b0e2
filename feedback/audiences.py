"""Who is told about a ticket: one definition for the actions (one ticket in hand) and for the sweep
(the tickets it claimed, in SQL).

An `Audience` is a queryset of rows `(key, user_id)` — the active park directors by park, the
active leaders assigned to a park, the active department officers by department, the
administrators — and the ticket's column it is matched on. An action asks `users(value)` for its
ticket; the sweep joins `sql(src, …)` to its claimed rows, compiled from the same queryset, so the
two never disagree (an inactive account is told by neither). The tier-dependent audiences are data
too: `SUPERIORS` (who hears that a ticket is overdue) and `HOLDER_DIRECTORS_WHEN` (when the park
directors hold a ticket beside its owner).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role

from .models import Tier


def _park_people(role) -> QuerySet:
    return User.parks.through.objects.filter(user__role_grants__role=role, user__is_active=True).values(
        "park_id", "user_id"
    )


def _leaders() -> QuerySet:
    return User.objects.filter(role_grants__role=Role.LEADER, is_active=True).values(user_id=F("pk"))


def _administrators() -> QuerySet:
    return User.objects.filter(Q(is_superuser=True) | Q(role_grants__role=Role.ADMIN), is_active=True).values(
        user_id=F("pk")
    )


def _department_officers() -> QuerySet:
    return User.departments.through.objects.filter(
        user__role_grants__role=Role.DEPARTMENT_OFFICER, user__is_active=True
    ).values("department_id", "user_id")


@dataclass(frozen=True)
class Audience:
    """People to tell, as rows `(key, user_id)` of `rows()`, matched on the ticket's `key` column
    (None: everyone of the rows); `fallback` when nobody matches (a park without leaders of its
    own: every leader)."""

    name: str
    rows: Callable[[], QuerySet]
    key: str | None = None
    fallback: "Audience | None" = None

    def _matching(self, value) -> QuerySet:
        rows = self.rows()
        return rows if self.key is None else rows.filter(**{self.key: value})

    def users(self, value=None) -> list[User]:
        """The people for a ticket whose `key` column is `value` (a list of values: any of them)."""
        if self.key is not None and value is None:
            return []
        if self.key is not None and isinstance(value, list | tuple | set):
            matching = self.rows().filter(**{f"{self.key}__in": list(value)})
        else:
            matching = self._matching(value)
        people = list(User.objects.filter(pk__in=matching.values("user_id")).order_by("pk"))
        if not people and self.fallback is not None:
            return self.fallback.users(value)
        return people

    def sql(self, src: str, row: str, where: str = "1 = 1") -> tuple[str, list]:
        """`SELECT <row>, user_id` for each row of `src` meeting `where` and each of its people."""
        rows, params = _compiled(self)
        if self.key is None:
            sql = f"SELECT {row}, aud.user_id FROM {src} CROSS JOIN ({rows}) aud WHERE ({where})"
        else:
            sql = (
                f"SELECT {row}, aud.user_id FROM {src} JOIN ({rows}) aud ON aud.{self.key} = {src}.{self.key} "
                f"WHERE ({where})"
            )
        rows_params = list(params)
        params = list(params)
        if self.fallback is not None:
            nobody = f"NOT EXISTS (SELECT 1 FROM ({rows}) own WHERE own.{self.key} = {src}.{self.key})"
            fallback_sql, fallback_params = self.fallback.sql(src, row, f"({where}) AND {nobody}")
            sql += f" UNION {fallback_sql}"
            params += [*fallback_params, *rows_params]  # the fallback's rows, then `nobody`'s
        return sql, params


@functools.cache
def _compiled(audience: Audience) -> tuple[str, tuple]:
    """An audience's rows as SQL, compiled once per process (they depend on nothing else)."""
    sql, params = audience.rows().query.sql_with_params()
    return sql, tuple(params)


PARK_DIRECTORS = Audience("park_directors", lambda: _park_people(Role.PARK_DIRECTOR), key="park_id")
PARK_LEADERS = Audience(
    "park_leaders",
    lambda: _park_people(Role.LEADER),
    key="park_id",
    fallback=Audience("leaders", _leaders),  # a park without leaders of its own: every leader
)
ADMINISTRATORS = Audience("administrators", _administrators)
DEPARTMENT_OFFICERS = Audience("department_officers", _department_officers, key="department_id")

# Who hears that a ticket is overdue, by its tier.
SUPERIORS = {Tier.PARK: PARK_DIRECTORS, Tier.WHISTLE: PARK_LEADERS, Tier.MEETING: ADMINISTRATORS}

# The park directors hold a ticket beside its owner at tier 2, and alone when it has no owner:
# (column, value) pairs, any of which holds.
HOLDER_DIRECTORS_WHEN = (("tier", Tier.WHISTLE), ("owner_id", None))


def directors_hold(ticket) -> bool:
    return any(getattr(ticket, column) == value for column, value in HOLDER_DIRECTORS_WHEN)


def directors_hold_sql(src: str) -> str:
    return " OR ".join(
        f"{src}.{column} IS NULL" if value is None else f"{src}.{column} = {int(value)}"
        for column, value in HOLDER_DIRECTORS_WHEN
    )
