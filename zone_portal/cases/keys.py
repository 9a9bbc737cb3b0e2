"""The one format of dedupe keys: `<app>.<model>:<id>[:r<round>]:<kind>`.

An event a sweep writes carries the key of (case, kind, round); each notification it sends the
same key with `:<recipient id>` appended (`zone_portal.notifications.actions.recipient_key`). The
round is the case's own counter of occurrences (a ticket's `deadline_round`, bumped when its
deadlines reset; a milestone's planned date), so a new occurrence is a new key.

The claim (`zone_portal.cases.sweep`) is what makes a sweep exactly once; the unique keys back it
up. Rows claimed before this format existed carry their mark, so they are never claimed again and
their old keys (`services.request:…`, `projects:…`, `fb:t…`) can stay as they are.
"""


def case_label(model) -> str:
    return model._meta.label_lower


def dedupe_key(model, case_id, kind: str, *, round=None) -> str:
    middle = "" if round is None else f":r{round}"
    return f"{case_label(model)}:{case_id}{middle}:{kind}"


def dedupe_key_sql(model, id_sql: str, *, round_sql: str | None = None) -> str:
    """The key's prefix `<app>.<model>:<id>[:r<round>]` as a SQL expression over a row (`id_sql`,
    `round_sql`: column expressions); append `':' || kind`. Portable (`||` and integer
    concatenation work in PostgreSQL and SQLite)."""
    label = case_label(model).replace("'", "")
    prefix = f"'{label}:' || {id_sql}"
    if round_sql is not None:
        prefix += f" || ':r' || {round_sql}"
    return prefix
