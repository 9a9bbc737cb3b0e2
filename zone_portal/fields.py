"""Model fields, indexes and constraints several apps declare alike: one definition for each
recurring concept, producing the very field (or index) the apps declared by hand, so that using
one is no schema change."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


def person(verbose_name=None, *, related_name: str = "+", **options) -> models.ForeignKey:
    """The account that did something to a row and must stay known (who submitted, uploaded,
    inspected): deleting the account is refused while a row names it; no reverse accessor unless
    `related_name` gives one."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def optional_reference(
    to, verbose_name=None, *, related_name: str = "+", on_delete=models.PROTECT, **options
) -> models.ForeignKey:
    """A reference a row may lack (empty in forms, NULL in the table): by default one that protects
    what it points at (the handler, the department, the enterprise of a case); `on_delete=SET_NULL`
    where the row outlives it (a settings row's bureau, an inspection's campaign)."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def nullable_person(verbose_name=None, **options) -> models.ForeignKey:
    """An account a row may name (a settings row's head of service, who reviewed, who resolved):
    empty in forms, NULL in the table, and emptied when the account is deleted (SET NULL)."""
    return optional_reference(settings.AUTH_USER_MODEL, verbose_name, on_delete=models.SET_NULL, **options)


def working_days_field(verbose_name, default: str, **options) -> models.DecimalField:
    """A policy's amount of working days (one decimal: 0.5 is half a working day), at least 0.1."""
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0.1"))],
        **options,
    )


def at_risk_ratio_field(verbose_name, **options) -> models.DecimalField:
    """The share of a deadline's working time after which a case is at risk (0.75 = 75 %)."""
    return models.DecimalField(
        verbose_name,
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("0.99"))],
        **options,
    )


def unmarked_index(field: str, *, name: str, status: str, marker: str | tuple[str, ...]) -> models.Index:
    """The partial index a sweep step claims over: the cases in `status` whose `marker` (or each
    of several) is not set yet, by the moment `field` (a sweep with nothing due reads an empty range)."""
    markers = (marker,) if isinstance(marker, str) else marker
    return models.Index(fields=[field], name=name, condition=Q(status=status, **dict.fromkeys(markers)))


def index_where_set(field: str, *, name: str) -> models.Index:
    """The index of a mostly empty column over the rows where it is set: what a lookup by it reads
    (a day's closed cases, the rows naming an account being deleted), without an entry to maintain
    for every row that leaves it empty."""
    return models.Index(fields=[field], name=name, condition=Q(**{f"{field}__isnull": False}))


def period_order(start: str, end: str, *, name: str) -> models.CheckConstraint:
    """A dated period (a term of office, a campaign, an application window) ends on or after the
    day it starts."""
    return models.CheckConstraint(condition=Q(**{f"{end}__gte": F(start)}), name=name)


class DetailUrl:
    """`get_absolute_url` for a model whose page is one URL name taking the primary key: the model
    names it in `detail_url_name` ("safety:hazard")."""

    detail_url_name: str

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url_name, args=[self.pk])
