"""Model fields several apps declare alike."""

from django.db import models


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
