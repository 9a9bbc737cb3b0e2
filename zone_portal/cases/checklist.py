"""The materials checklist (一次性告知): what a kind of case asks its applicant to provide, one slot
per material, and the rules every kind of case applies to it.

A definition is data on the case's catalogue entry (a service item, a policy): a list whose items
are either a name (a required material) or `{"name": …, "required": bool, "hint": …}`. An app
keeps the files itself (one row per file with the slot's name, `slot`); this module only decides:

- `checklist_items(definition)`: the slots, in order, names unique (a repeated name is one slot);
- `checklist_missing(items, provided)`: the required slots without a file — the submission refuses
  them all at once (`checklist_require`, `InvalidInput` naming each slot's field);
- `checklist_rows(items, files, asked)`: what a page shows per slot: its files and 已提供 / 缺 /
  asked again;
- `checklist_asked(items, ticks, other)`: a supplement request is ticks on the slots (plus lines
  for what the list does not name), never free text alone;
- `supplement_round_check(rounds_before, reason)`: a second round (二次补正) needs a reason.

Field names of a slot's upload are `slot_field(index)` (`slot-0`, `slot-1`, …), so forms and
pages of every app agree.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.errors import InvalidInput

MAX_NAME = 200


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    required: bool = True
    hint: str = ""
    index: int = 0

    @property
    def field(self) -> str:
        return slot_field(self.index)


class SlotState:
    PROVIDED = "provided"
    MISSING = "missing"  # required, no file
    OPTIONAL = "optional"  # not required, no file
    ASKED = "asked"  # named in the open supplement request

    LABELS = {
        PROVIDED: gettext_lazy("Provided"),
        MISSING: gettext_lazy("Missing"),
        OPTIONAL: gettext_lazy("Optional, not provided"),
        ASKED: gettext_lazy("Asked again"),
    }


@dataclass
class ChecklistRow:
    item: ChecklistItem
    files: list = field(default_factory=list)
    state: str = SlotState.MISSING

    @property
    def state_label(self) -> str:
        return str(SlotState.LABELS[self.state])


def slot_field(index: int) -> str:
    return f"slot-{index}"


def checklist_items(definition: Iterable | None) -> list[ChecklistItem]:
    """The slots of a definition (names or dicts), blank names skipped, a repeated name once."""
    items, seen = [], set()
    for entry in definition or ():
        if isinstance(entry, Mapping):
            name = str(entry.get("name", "")).strip()
            required, hint = bool(entry.get("required", True)), str(entry.get("hint", "")).strip()
        else:
            name, required, hint = str(entry).strip(), True, ""
        name = name[:MAX_NAME]
        if not name or name in seen:
            continue
        seen.add(name)
        items.append(ChecklistItem(name=name, required=required, hint=hint, index=len(items)))
    return items


def checklist_missing(items: Sequence[ChecklistItem], provided: Iterable[str]) -> list[ChecklistItem]:
    """The required slots with no file among `provided` (slot names)."""
    have = set(provided)
    return [item for item in items if item.required and item.name not in have]


def checklist_require(items: Sequence[ChecklistItem], provided: Iterable[str]) -> None:
    """Refuse a submission that lacks required materials, naming every one at once."""
    missing = checklist_missing(items, provided)
    if missing:
        names = "、".join(item.name for item in missing)
        raise InvalidInput(
            _("Attach every required material: %(names)s.") % {"names": names},
            fields={item.field: [_("Required material.")] for item in missing},
        )


def checklist_slot_names(items: Sequence[ChecklistItem], slots: Iterable[str]) -> None:
    """Refuse uploads into a slot the checklist does not have."""
    known = {item.name for item in items}
    unknown = [slot for slot in slots if slot and slot not in known]
    if unknown:
        raise InvalidInput(
            _("Not a material of this checklist: %(names)s.") % {"names": "、".join(unknown)},
            fields={"files": [_("Unknown material.")]},
        )


def slot_uploads_by_field(items: Sequence[ChecklistItem], fields: Mapping[str, Sequence]) -> dict[str, list]:
    """{material name: files} from upload fields named `slot-<n>` (the page's and the API's); a
    field that is no slot of the checklist is refused, named."""
    by_field = {item.field: item.name for item in items}
    unknown = sorted(name for name in fields if name not in by_field)
    if unknown:
        raise InvalidInput(
            _("Not a material of this checklist: %(names)s.") % {"names": "、".join(unknown)},
            fields={name: [_("Unknown material.")] for name in unknown},
        )
    return {by_field[name]: list(files) for name, files in fields.items()}


def checklist_slots_asked(slots: Iterable[str], asked: Sequence[str]) -> None:
    """Refuse files for a material the supplement request did not ask for."""
    extra = [slot for slot in slots if slot and slot not in asked]
    if extra:
        raise InvalidInput(
            _("Not asked for in this supplement: %(names)s.") % {"names": "、".join(extra)},
            fields={"files": [_("Supply only the materials asked for.")]},
        )


def checklist_rows(
    items: Sequence[ChecklistItem], files: Iterable, asked: Iterable[str] = (), *, slot_of=None
) -> list[ChecklistRow]:
    """One row per slot with its files (objects whose `slot` names it, or `slot_of(file)`), in the
    checklist's order; then a row per asked name the checklist does not have."""
    slot_of = slot_of or (lambda f: getattr(f, "slot", ""))
    by_slot: dict[str, list] = {}
    for f in files:
        by_slot.setdefault(slot_of(f), []).append(f)
    asked = [a for a in asked if a]
    rows = []
    for item in items:
        got = by_slot.get(item.name, [])
        if item.name in asked:
            state = SlotState.ASKED
        elif got:
            state = SlotState.PROVIDED
        else:
            state = SlotState.MISSING if item.required else SlotState.OPTIONAL
        rows.append(ChecklistRow(item=item, files=got, state=state))
    known = {item.name for item in items}
    for name in asked:
        if name not in known:
            extra = ChecklistItem(name=name, required=True, index=-1)
            rows.append(ChecklistRow(item=extra, files=by_slot.get(name, []), state=SlotState.ASKED))
    return rows


def checklist_asked(
    items: Sequence[ChecklistItem], ticks: Iterable[str], other: Iterable[str] = ()
) -> list[str]:
    """What a supplement request names: the ticked slots in the checklist's order, then the other
    lines; refuses a tick the checklist does not have and an empty request."""
    ticks = {t.strip() for t in ticks if t and t.strip()}
    known = {item.name for item in items}
    unknown = sorted(ticks - known)
    if unknown:
        raise InvalidInput(
            _("Not a material of this checklist: %(names)s.") % {"names": "、".join(unknown)},
            fields={"missing": [_("Unknown material.")]},
        )
    asked = [item.name for item in items if item.name in ticks]
    for line in other:
        line = line.strip()[:MAX_NAME]
        if line and line not in asked:
            asked.append(line)
    if not asked:
        raise InvalidInput(
            _("Tick every missing material at once."), fields={"missing": [_("At least one item.")]}
        )
    return asked


def supplement_round_check(rounds_before: int, reason: str) -> None:
    """A second (or later) supplement round (二次补正) breaks the promise to tell everything at once:
    it needs a reason, which is recorded and counted."""
    if rounds_before >= 1 and not reason.strip():
        raise InvalidInput(
            _("This request was already asked for a supplement: give the reason for a second round."),
            fields={"reason": [_("Required for a second round.")]},
        )
