import hashlib
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import MACHINE_ROLES, Role


class User(AbstractUser):
    """A person (or machine client) using the portal; roles are rows in `UserRole`."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The language the user last chose (the e-mails are written in it); blank: the portal's default.
    language = models.CharField(_("language"), max_length=16, blank=True, choices=settings.LANGUAGES)
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
        # A superuser is a person: answered without reading the roles.
        return not self.is_superuser and bool(self.role_codes) and self.role_codes <= MACHINE_ROLES

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


class UserSession(AbstractBaseSession):
    """A browser session that knows whose it is, so a user can see and end their sessions.

    Written by `zone_portal.accounts.sessions.SessionStore` (the `SESSION_ENGINE`): the user,
    the sign-in time, the browser and the address come from the session's own data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    signed_in_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

    @property
    def handle(self) -> str:
        """Names the session in pages and URLs; the key itself is a credential and never shown."""
        return hashlib.sha256(self.session_key.encode()).hexdigest()[:24]
