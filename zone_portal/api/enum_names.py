"""The API schema's names for enums that drf-spectacular would otherwise name after a field
(`Status…Enum` with a hash) or merge: each app declares its own in its AppConfig's `api_enum_names`
(`{"TicketStatusEnum": "feedback.models.Ticket.Status"}`), `PortalAppConfig.ready()` registers them
here, and the settings give drf-spectacular this mapping, which it reads only when it builds a schema,
after every app is ready. So the foundation's settings name no app's choices.

This module imports nothing of Django's or DRF's: the settings import it."""

from collections.abc import Iterator, Mapping


class EnumNames(Mapping):
    def __init__(self) -> None:
        self._paths: dict[str, str] = {}

    def register(self, names: Mapping[str, str]) -> None:
        for name, path in names.items():
            if self._paths.setdefault(name, path) != path:
                raise ValueError(
                    f"The API enum name {name} is declared twice: {self._paths[name]} and {path}."
                )

    def __getitem__(self, name: str) -> str:
        return self._paths[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


ENUM_NAMES = EnumNames()
