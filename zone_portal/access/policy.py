"""The one access policy: for every kind of object, which roles read it and act on it, on which scope.

The foundation knows no domain app. Each app declares its kinds of object from its
`permissions.py` (`access_register(ObjectKind(...), ...)`, called from `AppConfig.ready()`): the
name, the model, the app's one `visible_to(user)` selector and, per role, the scope it reads and the
scope it acts on, in the words of `Scope` (the answers most kinds share, such as `ZONE_WIDE`, are
written once here, with `grant`). Everything that shows objects — API, pages, downloads,
exports, dashboard drill-downs — asks that selector (`visible(user, kind)` from the foundation), so
there is no second copy of a rule to drift. The README's role × object table is `access_table()`
(a test keeps the README equal to it), and the access-matrix test requests every object endpoint
as every demo role and compares the answer with `visible_to`.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db.models import Model, QuerySet

from zone_portal.accounts.roles import Role

from .scopes import PARK_ROLES


class Scope:
    """The words of the policy: on which of their scopes a role reads or acts."""

    ALL = "all"  # every object of the zone
    PARK = "park"  # objects of the enterprises (or cases) of the user's own park(s)
    DEPARTMENT = "department"  # cases owned by, whistled to or handled by the user's department(s)
    ENTERPRISE = "enterprise"  # objects of the user's own enterprise(s)
    ASSIGNED = "assigned"  # cases or enterprises assigned to the user (officer, handler, holder)
    OWN = "own"  # what the user filed, raised, booked, rated or received
    ANONYMISED = "anonymised"  # stages only, without personal data or documents
    APPEALS = "appeals"  # rectifications under appeal (the deciders)


SCOPE_WORDS = {
    Scope.ALL: "all",
    Scope.PARK: "own park",
    Scope.DEPARTMENT: "own department",
    Scope.ENTERPRISE: "own enterprise",
    Scope.ASSIGNED: "assigned",
    Scope.OWN: "own",
    Scope.ANONYMISED: "anonymised",
    Scope.APPEALS: "appeals",
}

# The columns of the table, in the order people meet them.
ROLE_ORDER = (
    Role.ADMIN,
    Role.CLERK,
    Role.CSO,
    Role.PARK_DIRECTOR,
    Role.PARK_OFFICER,
    Role.DEPARTMENT_OFFICER,
    Role.LEADER,
    Role.SUPERVISOR,
    Role.EXPERT,
    Role.ENTERPRISE_STAFF,
    Role.HOTLINE,
)


def grant(roles: Iterable[str], *scopes: str) -> dict[str, tuple[str, ...]]:
    """`{role: scopes}` for each of `roles`: the roles a kind treats alike, written once
    (`grant(PARK_ROLES, Scope.PARK)`)."""
    return dict.fromkeys(roles, scopes)


# The answers nearly every kind gives, in one place (read-only: kinds spread them into their own
# maps, `{**ZONE_WIDE, Role.CSO: (Scope.ASSIGNED,)}`).
ADMINS = MappingProxyType(grant([Role.ADMIN], Scope.ALL))  # administrators, on everything
ZONE_WIDE = MappingProxyType(grant([Role.ADMIN, Role.LEADER], Scope.ALL))  # and leaders with them
PARK_STAFF = MappingProxyType(grant(PARK_ROLES, Scope.PARK))  # a park's director and officers, on theirs


@dataclass(frozen=True)
class ObjectKind:
    """One kind of object and who may see and work it.

    `read` and `act` map a role code to the scopes (see `Scope`) on which that role reads the
    object or acts on it; a role that is absent has nothing. `visible_to(user)` is the app's one
    selector: it must return exactly what `read` describes (the access-matrix test holds it to the
    answers of every endpoint)."""

    name: str
    model: type[Model]
    visible_to: Callable[..., QuerySet] = field(compare=False)
    read: Mapping[str, tuple[str, ...]]
    act: Mapping[str, tuple[str, ...]]
    description: str = ""
    # The kind that stands for its model when rows of that model are shown (a second, narrower
    # view of the same rows, such as the anonymised service stages, says False).
    primary: bool = True

    def __post_init__(self):
        # Kinds of one app often hand the same dict to `read` and `act`, or to two kinds: each keeps
        # a read-only copy, so a later change to one map cannot quietly widen another.
        object.__setattr__(self, "read", MappingProxyType(dict(self.read)))
        object.__setattr__(self, "act", MappingProxyType(dict(self.act)))


_kinds: dict[str, ObjectKind] = {}


def access_register(*kinds: ObjectKind) -> None:
    """Declare an app's kinds of object (idempotent: `ready()` may run twice in tests)."""
    for kind in kinds:
        _declare(kind)


def _declare(kind: ObjectKind) -> None:
    unknown = {role for role in (*kind.read, *kind.act) if role not in Role.values}
    if unknown:
        raise ValueError(f"{kind.name}: unknown roles {sorted(unknown)}")
    known = _kinds.get(kind.name)
    if known is not None and known.model is not kind.model:
        raise ValueError(
            f"{kind.name}: already declared for {known.model._meta.label}, not {kind.model._meta.label}"
        )
    _kinds[kind.name] = kind


def object_kinds() -> list[ObjectKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)


def object_kind(name: str) -> ObjectKind:
    return _kinds[name]


def visible(user, name: str) -> QuerySet:
    """What `user` may read of the kind `name`: the declaring app's own selector."""
    return _kinds[name].visible_to(user)


def visible_rows(user, rows: QuerySet) -> QuerySet:
    """`rows` limited to what `user` may read of their model's kind (the dashboard's drill-downs)."""
    kinds = [kind for kind in _kinds.values() if kind.model is rows.model and kind.primary]
    if len(kinds) != 1:
        raise LookupError(f"{rows.model.__name__}: {len(kinds)} primary kinds of object declared")
    return rows.filter(pk__in=kinds[0].visible_to(user).values("pk"))


def _cell(kind: ObjectKind, role: str) -> str:
    read = ", ".join(SCOPE_WORDS[s] for s in kind.read.get(role, ()))
    act = ", ".join(SCOPE_WORDS[s] for s in kind.act.get(role, ()))
    if not read and not act:
        return "—"
    if act and act == read:
        return f"rw: {read}"
    return "; ".join(part for part in (read and f"r: {read}", act and f"w: {act}") if part)


def access_table() -> str:
    """The role × object table in Markdown (r: reads, w: acts on; scopes as in `SCOPE_WORDS`)."""
    header = "| object | " + " | ".join(ROLE_ORDER) + " |"
    rule = "|---|" + "---|" * len(ROLE_ORDER)
    rows = [
        f"| {kind.name} | " + " | ".join(_cell(kind, role) for role in ROLE_ORDER) + " |"
        for kind in object_kinds()
    ]
    return "\n".join([header, rule, *rows])
