"""`INSERT … SELECT` that skips the rows a unique constraint already holds: how a sweep writes what
follows from the rows it claimed (events, notifications, flag rows) in one statement, however many
rows there are. Callers name their model's fields; the table and column names are read here."""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections


def insert_select(
    model,
    fields: Sequence[str],
    select: str,
    params: Sequence = (),
    *,
    with_sql: str = "",
    with_params: Sequence = (),
    returning: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
):
    """Insert a `model` row for each row of `select` (giving `fields`, in order), skipping those a
    unique constraint already holds (`ON CONFLICT DO NOTHING`). `select` ends with a WHERE clause
    (`WHERE 1 = 1` will do: SQLite would read `ON CONFLICT` right after a FROM as a join's).
    `with_sql` (`WITH name AS (…)`) may name what `select` reads. Returns the `returning` field of
    the rows written when asked, else how many rows were written."""
    connection = connections[using]
    qn = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    sql = f"{with_sql} INSERT INTO {qn(meta.db_table)} ({columns}) {select} ON CONFLICT DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {qn(meta.get_field(returning).column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*with_params, *params])
        return [row[0] for row in cursor.fetchall()] if returning is not None else cursor.rowcount
