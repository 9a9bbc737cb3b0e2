from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import MACHINE_ROLES, Role


class User(AbstractUser):
    """A person (or machine client) using the portal; roles are rows in `UserRole`."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    parks = models.ManyToManyField("org.Park", blank=True, related_name="members", verbose_name=_("parks"))
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="members", verbose_name=_("departments")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_authenticated or self.pk is None:
            return frozenset()
        return frozenset(grant.role for grant in self.role_grants.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_machine_client(self) -> bool:
        """An account of another system (e.g. the 12345 hotline): it holds machine roles only."""
        return bool(self.role_codes) and self.role_codes <= MACHINE_ROLES and not self.is_superuser

    @property
    def is_zone_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMIN)

    @cached_property
    def park_ids(self) -> list[int]:
        return sorted(self.parks.values_list("id", flat=True))

    @cached_property
    def department_ids(self) -> list[int]:
        return sorted(self.departments.values_list("id", flat=True))

    @cached_property
    def department_codes(self) -> list[str]:
        return sorted(self.departments.values_list("code", flat=True))

    @cached_property
    def enterprise_ids(self) -> list[int]:
        return sorted(self.enterprise_memberships.values_list("enterprise_id", flat=True))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class LoginCounter(models.Model):
    """Sign-in attempts of one key in its current window (see `throttle.py`).

    A key is a username (`u:`), a username at an address (`p:`) or an address (`a:`). A row, not a
    cache entry, so that every web process counts together, and one conditional UPDATE checks and
    counts at once.
    """

    key = models.CharField(max_length=220, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key} {self.count} since {self.window_start:%Y-%m-%d %H:%M}"
