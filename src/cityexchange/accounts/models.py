from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet


class User(AbstractUser):
    """A person. Their cities and roles are `CityRole` rows; the secretariat is a flag the secretariat grants."""

    email = models.EmailField(_("e-mail"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    is_secretariat = models.BooleanField(
        _("secretariat"), default=False, help_text=_("Staff of the association's secretariat.")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    # An IANA zone ("Asia/Kolkata"); empty: forum times in the event's zone only, other times in the site's.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are also shown in this zone when they are given in another one (an event's)."),
    )
    # Accounts made by the secretariat, the demo or an accepted invitation are trusted; sign-up clears this until the
    # owner follows the signed link e-mailed to the address.
    email_verified = models.BooleanField(
        _("e-mail address confirmed"),
        default=True,
        help_text=_("An account created by sign-up cannot make changes until its e-mail address is confirmed."),
    )

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email or self.username


class CityRole(TimeStamped):
    """A user's role in one city's team."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        OFFICER = "officer", _("Officer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="city_roles", verbose_name=_("user"))
    city = models.ForeignKey("registry.City", on_delete=models.CASCADE, related_name="team", verbose_name=_("city"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    # Who may see or do what: accounts.permissions.CityRolePolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("city role")
        verbose_name_plural = _("city roles")
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="one_role_per_user_and_city")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.city}"


class Invitation(TimeStamped):
    """An invitation sent by a coordinator to join the city's team. The token is stored hashed."""

    city = models.ForeignKey("registry.City", on_delete=models.CASCADE, verbose_name=_("city"))
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=CityRole.Role.choices, default=CityRole.Role.OFFICER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    # Who may see or do what: accounts.permissions.InvitationPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.city}"


class ApiToken(TimeStamped):
    """A personal API token. Only a SHA-256 hash is stored; the plain token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    # Who may see or do what: accounts.permissions.ApiTokenPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
