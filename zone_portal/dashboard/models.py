"""The dashboard's daily rollups: counts per day, kept by the beat (see rollup.py)."""

from django.db import models

KEY_COLUMNS = ("k1", "k2", "k3", "k4", "k5")
COUNT_COLUMNS = tuple(f"c{i}" for i in range(1, 13))


def _columns(name: str, columns: tuple[str, ...], **options) -> type[models.Model]:
    """An abstract model with one integer field per name of `columns` (`options`: the fields'),
    so the rollup rows' generic columns are declared from the very tuples rollup.py fills them by.
    Adding a column is a change of the tuple (and a migration)."""
    fields = {column: models.IntegerField(**options) for column in columns}
    meta = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


# The key columns of a rollup row: which key of its fact each holds is the fact's (rollup.columns).
Keyed = _columns("Keyed", KEY_COLUMNS, null=True)


class DailyCount(Keyed, _columns("DayCounts", COUNT_COLUMNS, default=0)):
    """The counts of one fact (facts.py) over the cases of one local day that share one key.

    Which key fields and which counts a fact keeps, and in which columns, is written in its
    definition; the columns are generic so that adding a count is a change of code, not of schema.
    """

    fact = models.CharField(max_length=32)
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["fact", "day"], name="daily_count_fact_day")]

    def __str__(self):
        return f"{self.fact} {self.day}"


class CaseCount(Keyed, _columns("CaseCounts", COUNT_COLUMNS, null=True)):
    """What one case adds to one fact's `DailyCount` rows: the day and keys it is counted under,
    and its counts (empty: nought). A `DailyCount` row is the sum of the `CaseCount` rows of its
    fact, day and key; a refresh recounts the cases that changed and adds the difference between
    their new rows and these to the days' counts, so its work follows the change, not the size of
    the days it touches. Columns as in `DailyCount` (rollup.columns)."""

    fact = models.CharField(max_length=32)
    case = models.BigIntegerField()  # the fact's unit (facts.Fact.unit): a ticket, a whistle, a request…
    day = models.DateField()
    # When the case's counts change without the case changing (a deadline passes): from then on
    # it counts as changed. Empty when nothing is pending.
    stale_after = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["fact", "case"], name="case_count_fact_case"),
            models.Index(
                fields=["stale_after"],
                name="case_count_stale",
                condition=models.Q(stale_after__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.fact} {self.case} {self.day}"


class DirtyCase(models.Model):
    """A case of a fact to recount that no `updated_at` tells of: a deleted case (or its rating),
    an enterprise moving park."""

    fact = models.CharField(max_length=32)
    case = models.BigIntegerField()
    # No uniqueness on purpose: a refresh deletes the marks it has read, by id, so a mark written
    # meanwhile (even for the same case) survives for the next one.

    def __str__(self):
        return f"{self.fact} {self.case}"


class RollupState(models.Model):
    """One row: how far the rollups go (cases changed after `refreshed_at` are read as changes)."""

    refreshed_at = models.DateTimeField(null=True)  # the last refresh's watermark (rollup.watermark)
    full_refresh_at = models.DateTimeField(null=True)
    calendar = models.CharField(max_length=40, blank=True)  # rollup.calendar_fingerprint() then

    def __str__(self):
        return f"refreshed at {self.refreshed_at}"
