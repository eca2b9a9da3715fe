"""What the matching engine keeps in the database: each indexed document's passage vectors (so a restart or a
new app server does not run the model again), alerts and their hits, and users' feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import HalfVectorField, HnswIndex

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet


class IndexedDocument(models.Model):
    """One searchable document's raw (uncentred) passage vectors, the durable record both index back ends are
    built from: a restart, a new app server or a re-centring never runs the model again. `active` is False once
    the document left publication. Keys: "practice:12" (its passages), "challenge:7" (its query vector)."""

    key = models.CharField(max_length=40, unique=True)  # "practice:12"
    fingerprint = models.CharField(max_length=40)
    lang = models.CharField(max_length=10)
    vectors = models.BinaryField()
    active = models.BooleanField(default=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class IndexChange(models.Model):
    """The commit-ordered change log of the in-process index (the embedded SQLite default): one row per
    indexed-document change, written in the same transaction. SQLite has one writer at a time and never reuses
    an AUTOINCREMENT id, so ids follow commit order: a process that has read up to id N has seen every change
    committed before N+1 — unlike a timestamp, which is the writer's clock at save time."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.pk}: {self.key}"


# --- the PostgreSQL search index (pg_index.py). `required_db_vendor` keeps migrations (and test flushes) of
# the passage table to PostgreSQL; the small statistics tables exist everywhere and stay empty on SQLite.

EMBEDDING_DIM = 384  # multilingual-e5-small


class Passage(models.Model):
    """One searchable passage of a published practice: its centred embedding (the language direction removed,
    so one inner-product search over all languages is fair), its tokens (the engine's own, as a tsvector, so
    Chinese and Thai segmentation is the engine's, not PostgreSQL's) and the facets filters use."""

    id = models.BigAutoField(primary_key=True)
    doc_key = models.CharField(max_length=40)
    practice_id = models.BigIntegerField()
    ordinal = models.SmallIntegerField()
    lang = models.CharField(max_length=10)
    body = models.TextField()
    embedding = HalfVectorField(dimensions=EMBEDDING_DIM)
    terms = SearchVectorField()
    length = models.FloatField()
    city_id = models.BigIntegerField(null=True)
    country = models.CharField(max_length=2, blank=True)
    maturity = models.CharField(max_length=20, blank=True)
    cost_band = models.CharField(max_length=20, blank=True, default="")
    language = models.CharField(max_length=10, blank=True)
    sectors = ArrayField(models.CharField(max_length=40), default=list)
    sdgs = ArrayField(models.IntegerField(), default=list)

    class Meta:
        required_db_vendor = "postgresql"
        db_table = "matching_passage"
        indexes = [
            models.Index(fields=["doc_key"], name="matching_passage_doc"),
            GinIndex(fields=["terms"], name="matching_passage_terms"),
            # The facets a filtered search narrows by: a narrow filter is searched exactly over its rows
            # (pg_index.FILTERED_EXACT_MAX), which these indexes find without reading the table.
            GinIndex(fields=["sectors"], name="matching_passage_sectors"),
            GinIndex(fields=["sdgs"], name="matching_passage_sdgs"),
            models.Index(fields=["country"], name="matching_passage_country"),
            models.Index(fields=["language"], name="matching_passage_language"),
            models.Index(fields=["city_id"], name="matching_passage_city"),
            HnswIndex(
                name="matching_passage_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["halfvec_ip_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_key}#{self.ordinal}"


class SearchTerm(models.Model):
    """Document frequency (in passages) of each token of the PostgreSQL index, kept in step with every write."""

    term = models.TextField(primary_key=True)
    df = models.IntegerField()

    def __str__(self) -> str:
        return self.term


class SearchLanguage(models.Model):
    """Per language of the PostgreSQL index: documents, passages and their total length (BM25's averages, the
    same-language share of fusion, and the drift that triggers a re-centring)."""

    lang = models.CharField(max_length=10, primary_key=True)
    documents = models.IntegerField(default=0)
    passages = models.IntegerField(default=0)
    total_length = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return self.lang


class CenteringState(models.Model):
    """The language means the stored embeddings of the PostgreSQL index are centred with (one row). A new
    version is written in the same transaction that re-centres every stored embedding."""

    version = models.IntegerField(default=0)
    state = models.BinaryField()

    def __str__(self) -> str:
        return f"v{self.version}"


class Alert(TimeStamped):
    """A city's standing search: a challenge of its own, or a saved query with filters."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    city = models.ForeignKey("registry.City", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("city"))
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    query = models.CharField(_("search"), max_length=300, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)

    # Who may see or do what: matching.permissions.AlertPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query or str(self.challenge)


class AlertHit(models.Model):
    """A practice an alert has fired for: unique, so each alert fires once per practice."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="hits")
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "practice"], name="alert_fires_once_per_practice")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.practice_id}"


class ChallengeMatch(models.Model):
    """A published practice of another city that is a strong match for an open challenge, as the engine judged
    it when either last changed (`challenge_matches.py`, run by tasks). Pages that pair cities — the forum's
    suggested meetings — read these rows instead of running the engine on a request."""

    challenge = models.ForeignKey("challenges.Challenge", on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "practice"], name="one_match_per_pair")]

    def __str__(self) -> str:
        return f"{self.challenge_id} ↔ {self.practice_id}"


class Feedback(TimeStamped):
    """Was a recommendation or search hit useful? Reported in the benchmark."""

    class Source(models.TextChoices):
        SEARCH = "search", _("Search")
        CHALLENGE = "challenge", _("Recommendations for a challenge")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    query = models.CharField(_("search"), max_length=300, blank=True)
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    useful = models.BooleanField(_("useful"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source", "query", "challenge", "practice"], name="one_feedback_per_hit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}: {'useful' if self.useful else 'not useful'}"
