"""Trigram indexes for the directory's search (PostgreSQL only).

The search (`enterprise_search`) matches a fragment anywhere: `name` and `uscc` case-insensitively
(`UPPER(…) LIKE UPPER('%…%')`) or the pinyin keys (`LIKE '%…%'`). A B-tree cannot serve a fragment
in the middle, so at 100,000 enterprises every search (and its count) read the whole table; with a
GIN trigram index on each of the four expressions PostgreSQL ORs four bitmap index scans. SQLite
(the local default) keeps its table scan: the operation does nothing there.
"""

from django.db import migrations

INDEXES = {
    "enterprise_name_trgm": 'UPPER("name"::text) gin_trgm_ops',
    "enterprise_uscc_trgm": 'UPPER("uscc"::text) gin_trgm_ops',
    "enterprise_initials_trgm": '"name_initials" gin_trgm_ops',
    "enterprise_pinyin_trgm": '"name_pinyin" gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "enterprises_enterprise" USING gin ({expression})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_account_request_link")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
