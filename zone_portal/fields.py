"""Model fields several apps declare alike."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


def optional_reference(to, verbose_name, *, related_name: str = "+", **options) -> models.ForeignKey:
    """A reference a case may lack (empty in forms, NULL in the table) that protects what it points at:
    the handler, the department, the enterprise of a case."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


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
