"""Entering a tier, and who holds a ticket there: one definition for the action (`ticket_escalate`,
reopening, `ticket_raise`) and for the sweep's automatic climb (`sweep._Climb`).

- `tier_entry(policy, tier, start)`: the ticket columns a tier starts with (its deadlines from the
  policy, the marks cleared). The action sets them on the locked row; the sweep writes the same
  columns in SQL, each computed once per policy.
- `park_holders(tier)`: (park_id, user_id) of each park's holder at a tier, the lowest id among
  several active ones; `zone_holder(tier)`: the holder where the park has none, for the tiers
  that always need one. The action filters them for its ticket; the sweep joins them per park.
  Tier 1 is held by the enterprise's chief service officer first (only actions enter tier 1).
"""

from django.db.models import Min, QuerySet

from enterprises.selectors import enterprise_current_cso
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role

from .deadlines import tier_columns
from .models import EscalationPolicy, Tier

HOLDER_ROLE = {Tier.PARK: Role.PARK_DIRECTOR, Tier.WHISTLE: Role.PARK_DIRECTOR, Tier.MEETING: Role.LEADER}
# Tier 3 always has a holder: a leader of the zone when the park has none of its own.
ZONE_WIDE = frozenset({Tier.MEETING})


def tier_entry(policy: EscalationPolicy, start) -> dict:
    """The columns of a ticket entering `policy.tier` at `start` (without owner and round)."""
    return {"tier": policy.tier, **tier_columns(policy, start)}


def park_holders(tier: int) -> QuerySet:
    """(park_id, user_id): the holder of each park at `tier`."""
    return (
        User.parks.through.objects.filter(user__role_grants__role=HOLDER_ROLE[tier], user__is_active=True)
        .values("park_id")
        .annotate(user_id=Min("user_id"))
        .order_by()
    )


def zone_holder(tier: int) -> QuerySet | None:
    """The holder where the park has none (a one-value queryset), or None: keep the current one."""
    if tier not in ZONE_WIDE:
        return None
    return (
        User.objects.filter(role_grants__role=HOLDER_ROLE[tier], is_active=True)
        .order_by("pk")
        .values("pk")[:1]
    )


def tier_owner_id(ticket, tier: int) -> int | None:
    """Who holds `ticket` at `tier` (its current holder when nobody else can)."""
    if tier == Tier.PARK and ticket.enterprise_id:
        cso = enterprise_current_cso(ticket.enterprise)
        if cso:
            return cso.pk
    holder = (
        park_holders(tier)
        .filter(park_id=ticket.park_id)
        .order_by("park_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if holder is None and (fallback := zone_holder(tier)) is not None:
        holder = fallback.values_list("pk", flat=True).first()
    return holder if holder is not None else ticket.owner_id
