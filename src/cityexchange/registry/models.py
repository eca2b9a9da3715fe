"""The association's registry: its reference data (countries, cities, sectors, languages) and its members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet


def pick_translation(names: dict[str, str], fallback: str) -> str:
    """The name in the active UI language, else its base language, else English, else the fallback."""
    lang = (get_language() or "en").lower()
    for key in (lang, lang.split("-")[0], "en"):
        if names.get(key):
            return names[key]
    return fallback


class Association(TimeStamped):
    """The association running this site (one row). Its name is data, so another association can run it."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    founded = models.CharField(_("founded"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("association")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return pick_translation(self.names, self.name)


class BlocStatus(models.Model):
    """A country's standing towards the bloc (member, partner, other), held as data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("map colour"), max_length=7, default="#cccccc")

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("bloc status")
        verbose_name_plural = _("bloc statuses")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_translation(self.names, self.name)


class Country(models.Model):
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    population = models.BigIntegerField(_("population"), default=0)
    continent = models.CharField(_("continent"), max_length=2, blank=True)
    bloc_status = models.ForeignKey(
        BlocStatus, on_delete=models.PROTECT, related_name="countries", verbose_name=_("bloc status")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The country's name in the active UI language (babel's CLDR data), falling back to English."""
        from cityexchange.core.locale_names import country_name

        return country_name(self.iso2, self.name)


class City(TimeStamped):
    """A city from GeoNames (population ≥ 15,000). `geonames_id` is the natural key for idempotent loading."""

    geonames_id = models.PositiveIntegerField(_("GeoNames id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    alternate_names = models.JSONField(_("alternate names"), default=list, blank=True)
    # The name in each UI language that has its own ({"ru": "Казань", "zh": "喀山"}), from CLDR and GeoNames
    # (registry/city_names.py); pages show it through the `city_name` filter.
    local_names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country"))
    region_code = models.CharField(_("region"), max_length=20, blank=True)
    population = models.PositiveBigIntegerField(_("population"), default=0, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Editable by the city's coordinator.
    website = models.URLField(_("website"), blank=True)
    about = models.TextField(_("about the city"), blank=True)

    # Who may see or do what: registry.permissions.CityPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-population", "name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        # In messages and choice lists: the name in the reader's language, the country code to tell apart cities
        # of the same name.
        return f"{self.label}, {self.country_id}"

    @property
    def label(self) -> str:
        """The city's name in the active UI language where it has one, else its GeoNames name."""
        from cityexchange.registry.city_names import name_in

        return name_in(self, get_language() or "en")[0]


class CityName(models.Model):
    """One folded name of a city (its name and each alternate name), for prefix search in any script."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="names")
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "key"], name="unique_city_name_key")]

    def __str__(self) -> str:
        return self.key


class Sector(models.Model):
    """An area of exchange (the association's taxonomy), held as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_translation(self.names, self.name)


class Language(models.Model):
    """A language content may be written in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    native_name = models.CharField(_("native name"), max_length=60)
    rtl = models.BooleanField(_("right to left"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.native_name


class ApprovedTranslation(TimeStamped):
    """A text in another language approved on the translation desk: who translated it, for which city, when it was
    approved and the fingerprint of the original it was made from. Each subclass adds its item's foreign key (named
    by ``original_field``), its texts, and its uniqueness per item and language."""

    original_field = ""

    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    translated_for = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translated by (city)"),
    )
    source_digest = models.CharField(_("fingerprint of the original"), max_length=64)
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        abstract = True
        ordering = ["language_id"]

    @property
    def is_full(self) -> bool:
        return True

    @property
    def is_out_of_date(self) -> bool:
        return bool(self.source_digest != getattr(self, self.original_field).source_digest())


class Membership(TimeStamped):
    """A city's membership of the association. One row per city; its status records where it stands."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active member")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    city = models.OneToOneField(City, on_delete=models.PROTECT, related_name="membership", verbose_name=_("city"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    since = models.DateField(_("member since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)

    # Who may see or do what: registry.permissions.MembershipPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["city__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.city} ({self.get_status_display()})"


class MembershipApplication(TimeStamped):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="applications", verbose_name=_("city"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    letter = models.TextField(_("application letter"))
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    priority_sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("priority sectors"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    # Who may see or do what: registry.permissions.MembershipApplicationPolicy, read through `restrict()`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.UniqueConstraint(
                fields=["city"], condition=models.Q(status="submitted"), name="one_open_application_per_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.get_status_display()})"
