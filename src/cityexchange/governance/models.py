"""The association's own life: its statutes and documents, its bodies and their votes, its working groups.

Secret ballots are split in two tables on purpose (see docs/governance.md): `Ballot` records *that* a city voted
(and, for an open vote, how); `SecretBallot` records *how* someone voted, with no city, no user and no time, so
that no join can put the two together.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet
from cityexchange.registry.models import pick_translation

from . import tally


class MajorityRule(models.TextChoices):
    SIMPLE = tally.SIMPLE, _("Simple majority (more yes than no)")
    TWO_THIRDS = tally.TWO_THIRDS, _("Two-thirds of the votes cast")
    ABSOLUTE = tally.ABSOLUTE, _("Absolute majority (more than half of the electorate)")


def _default_rules() -> list[str]:
    return [tally.SIMPLE, tally.TWO_THIRDS]


class StatutesSettings(TimeStamped):
    """What the statutes say about voting, as data the secretariat edits (one row)."""

    allowed_majority_rules = models.JSONField(
        _("allowed majority rules"),
        default=_default_rules,
        help_text=_("The majority rules a vote may use under the statutes."),
    )
    default_majority_rule = models.CharField(
        _("default majority rule"), max_length=20, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    default_quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of the electorate that must take part (abstentions count) for a vote to be valid. Every vote "
            "uses it unless it is opened with a higher one."
        ),
    )

    class Meta:
        verbose_name = _("statutes settings")
        verbose_name_plural = _("statutes settings")

    def __str__(self) -> str:
        return str(_("Voting rules of the statutes"))


# --- Documents -------------------------------------------------------------------------------------------------


class Document(TimeStamped):
    """A founding or decision document; its content lives in versions, each in several languages."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Statutes")
        RULES = "rules", _("Rules of procedure")
        RESOLUTION = "resolution", _("Resolution")
        OTHER = "other", _("Other document")

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    # Who may see or do what: governance.permissions.DocumentPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "slug"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        version = self.versions.order_by("-number").first()
        text = version.text_in() if version else None
        return text.title if text else self.slug


class DocumentVersion(TimeStamped):
    """One adopted version: its date and the decision that adopted it (and the vote, when it was one here)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    decision = models.CharField(_("adopting decision"), max_length=300)
    adopted_by_vote = models.ForeignKey(
        "Vote", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("adopting vote")
    )

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document")]

    def __str__(self) -> str:
        return f"{self.document.slug} v{self.number}"

    def text_in(self, language: str | None = None) -> DocumentText | None:
        """The text in the given (or active) UI language, else English, else the first one there is."""
        lang = (language or get_language() or "en").lower()
        texts = {t.language_id: t for t in self.texts.all()}
        for code in (lang, lang.split("-")[0], "en"):
            if code in texts:
                return texts[code]
        return next(iter(texts.values()), None)


class DocumentText(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.ForeignKey("registry.Language", on_delete=models.PROTECT, verbose_name=_("language"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["language_id"]
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language_id})"


# --- Bodies ----------------------------------------------------------------------------------------------------


class Body(TimeStamped):
    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("General assembly")
        BOARD = "board", _("Board")
        SECRETARIAT = "secretariat", _("Secretariat")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)

    # Who may see or do what: governance.permissions.BodyPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_translation(self.names, self.name)

    @property
    def votes_by_city(self) -> bool:
        """Assembly and board vote city by city; the secretariat is staff and holds no votes."""
        return self.kind in (self.Kind.ASSEMBLY, self.Kind.BOARD)


class Seat(TimeStamped):
    """Who sits on a body, for a term: a city (assembly, board) or a person (secretariat)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        HEAD = "head", _("Secretary general")
        STAFF = "staff", _("Staff")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats", verbose_name=_("body"))
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-start_on", "pk"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(city__isnull=False, person__isnull=True)
                | models.Q(city__isnull=True, person__isnull=False),
                name="seat_city_xor_person",
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="seat_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.city or self.person} · {self.get_role_display()}"


class Delegation(TimeStamped):
    """A person the city's coordinator names to cast the city's votes (besides the coordinator)."""

    city = models.ForeignKey("registry.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("city"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("delegate")
    )
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["city"], condition=models.Q(revoked_at__isnull=True), name="one_delegate_per_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.city}"


# --- Votes -----------------------------------------------------------------------------------------------------


class Vote(TimeStamped):
    """A vote of a body on a motion. Opens and closes at set times; counted once, after closing."""

    class Kind(models.TextChoices):
        ADMISSION = "admission", _("Admission of a member city")
        RESOLUTION = "resolution", _("Resolution")
        ELECTION = "election", _("Election")
        BUDGET = "budget", _("Budget")
        OTHER = "other", _("Other motion")

    class BallotType(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / abstain")
        CHOICE = "choice", _("Choice among options")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="votes", verbose_name=_("body"))
    kind = models.CharField(_("motion"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    motion = models.TextField(_("text of the motion"), blank=True)
    subject_city = models.ForeignKey(
        "registry.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city to admit"),
    )
    ballot_type = models.CharField(_("ballot"), max_length=10, choices=BallotType.choices, default=BallotType.YES_NO)
    seats = models.PositiveSmallIntegerField(_("seats to fill"), default=1)
    secret = models.BooleanField(_("secret ballot"), default=False)
    majority_rule = models.CharField(_("majority rule"), max_length=20, choices=MajorityRule.choices)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    # Who may see or do what: governance.permissions.VotePolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at", "-pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="vote_closes_after")
        ]

    def __str__(self) -> str:
        return self.title


class VoteOption(models.Model):
    class Kind(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")
        CHOICE = "choice", _("Option")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("option"), max_length=200)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vote", "rank", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """Yes/No/Abstain are shown in the reader's language; other options as written."""
        if self.kind != self.Kind.CHOICE:
            return str(self.Kind(self.kind).label)
        return self.label


class Elector(models.Model):
    """A city entitled to vote, fixed when the vote is opened (the quorum's denominator)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electorate")
        constraints = [models.UniqueConstraint(fields=["vote", "city"], name="one_elector_per_city")]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.city}"


class Ballot(models.Model):
    """That a city voted (one row per city and vote); `option` only when the vote is not secret."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cast_at = models.DateTimeField(_("voted"))
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        ordering = ["vote", "city__name"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["vote", "city"], name="one_ballot_per_city_and_vote")]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.city}"


class SecretBallot(models.Model):
    """How someone voted in a secret vote. No city, no user, no time; a random key so order reveals nothing.

    `token_hash` is the SHA-256 of the vote id and the ballot code handed to the voter once; presenting the code
    is the only way to find (and change) this row again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="secret_ballots")
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")

    def __str__(self) -> str:
        return str(_("secret ballot"))


class VoteResult(models.Model):
    """The count, recorded once. `counts` maps option ids to votes; `winners` lists option ids elected."""

    class Outcome(models.TextChoices):
        PASSED = tally.PASSED, _("Passed")
        REJECTED = tally.REJECTED, _("Rejected")
        NO_QUORUM = tally.NO_QUORUM, _("No quorum")

    class Action(models.TextChoices):
        NONE = "none", _("Nothing to do")
        DONE = "done", _("Done")
        PENDING = "pending", _("Waiting for the secretariat")
        FAILED = "failed", _("Could not be done")

    vote = models.OneToOneField(Vote, on_delete=models.CASCADE, primary_key=True, related_name="result")
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices)
    electorate = models.PositiveIntegerField(_("electorate"))
    turnout = models.PositiveIntegerField(_("votes cast"))
    quorum_reached = models.BooleanField(_("quorum reached"))
    counts = models.JSONField(_("count"), default=dict)
    winners = models.JSONField(_("elected"), default=list, blank=True)
    counted_at = models.DateTimeField(_("counted"))
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_early = models.BooleanField(_("closed before the set time"), default=False)
    action = models.CharField(_("follow-up"), max_length=10, choices=Action.choices, default=Action.NONE)
    action_note = models.TextField(_("follow-up note"), blank=True)

    class Meta:
        verbose_name = _("vote result")
        verbose_name_plural = _("vote results")

    def __str__(self) -> str:
        return f"{self.vote} · {self.get_outcome_display()}"

    @property
    def turnout_percent(self) -> float:
        return 100.0 * self.turnout / self.electorate if self.electorate else 0.0


# --- Working groups --------------------------------------------------------------------------------------------


class WorkingGroup(TimeStamped):
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    sectors = models.ManyToManyField("registry.Sector", related_name="+", verbose_name=_("sectors"))
    description = models.TextField(_("description"), blank=True)
    chair_city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )

    # Who may see or do what: governance.permissions.WorkingGroupPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_translation(self.names, self.name)


class GroupMember(TimeStamped):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["group", "city__name"]
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "city"], condition=models.Q(left_on__isnull=True), name="one_active_group_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.city}"


class WorkPlanItem(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="plan")
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    lead_city = models.ForeignKey(
        "registry.City", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lead")
    )

    class Meta:
        ordering = ["group", "due_on", "pk"]
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan")

    def __str__(self) -> str:
        return self.title


class Meeting(TimeStamped):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    # Who may see or do what: governance.permissions.MeetingPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class GroupDocument(TimeStamped):
    """A document the group shares: a text, a link, or both. Kept in its own language."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    language = models.ForeignKey("registry.Language", on_delete=models.PROTECT, verbose_name=_("language"))
    url = models.URLField(_("link"), blank=True)
    body = models.TextField(_("text"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["group", "-created_at"]
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")

    def __str__(self) -> str:
        return self.title
