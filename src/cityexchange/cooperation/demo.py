"""Demo cooperations for `cityexchange init --demo`: a dozen between demo member cities at every stage, made through
the services (so the audit log and the register fill as they would in life). Idempotent: a pair of cities that
already has its demo cooperation gets no second one.

Leaves one fresh contact request from Kazan's officer to São Paulo, so the whole flow can be tried in the browser:
sign in as officer.saopaulo@demo.cityexchange.org to accept it, then take the cooperation through its stages. São
Paulo's officer has asked the translation desk for that message in Portuguese: the request is listed on the desk to
the two cities' officers only (the message is theirs), for Kazan's to translate and Kazan's coordinator to approve.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.utils import timezone

from cityexchange.accounts.models import User
from cityexchange.core.errors import DomainError
from cityexchange.desk import services as desk_services
from cityexchange.desk.models import TranslationRequest
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City

from . import services
from .models import ContactRequest, Cooperation, Participant
from .stages import PATH, Evidence, Result, Signatory, Stage

DOMAIN = "demo.cityexchange.org"

# (sharing city, adopting city, stage to reach, kind of agreement, months ago it started)
PLAN: list[tuple[str, str, str, str, int]] = [
    ("kazan", "tashkent", Stage.EVALUATED, "memorandum", 30),
    ("shanghai", "surabaya", Stage.ADOPTION, "twinning", 24),
    ("pune", "almaty", Stage.PILOT, "memorandum", 16),
    ("curitiba", "lagos", Stage.AGREEMENT, "twinning", 12),
    ("dubai", "alexandria", Stage.AGREEMENT, "contract", 10),
    ("kazan", "minsk", Stage.STUDY_VISIT, "", 6),
    ("shenzhen", "bengaluru", Stage.CONTACT, "", 8),  # stalled: nothing since the first contact
    ("capetown", "durban", Stage.CONTACT, "", 1),
    ("isfahan", "lapaz", Stage.INTEREST, "", 1),
    ("bengaluru", "kampala", Stage.CLOSED, "", 9),
    ("saopaulo", "addisababa", Stage.STUDY_VISIT, "", 4),
    ("alexandria", "havana", Stage.AGREEMENT, "memorandum", 14),
]
STALLED = ("shenzhen", "bengaluru")


def _officer(slug: str) -> User | None:
    return User.objects.filter(email=f"officer.{slug}@{DOMAIN}").first()


def _city_of(user: User) -> City | None:
    role = user.city_roles.select_related("city").first()
    return role.city if role else None


def _practice(city: City, skip: set[int]) -> Practice | None:
    qs = Practice.objects.filter(external_id__startswith="demo-p-", city=city, status=Practice.Status.PUBLISHED)
    return qs.exclude(pk__in=skip).order_by("external_id").first()


def _evidence(stage: Stage, when: dt.date, coop: Cooperation, kind: str) -> Evidence:
    notes = {
        Stage.STUDY_VISIT: "A delegation of five visited the operations centre and two districts.",
        Stage.PILOT: "Pilot in one district, with the sharing city's engineers on site for two weeks.",
        Stage.ADOPTION: "The city council adopted the programme city-wide.",
        Stage.EVALUATED: "One year after adoption the results were measured by the city's statistics office.",
    }
    cities = list(coop.participants.select_related("city"))
    results: list[Result] = []
    if stage == Stage.EVALUATED:
        indicators = list(coop.practice.indicators.all()) if coop.practice else []
        results = [
            Result(value=round((i.baseline or 0) + 0.7 * (i.achieved - (i.baseline or 0)), 1), indicator_id=i.pk)
            for i in indicators
        ] or [Result(value=42.0, name="Residents served online", unit="%")]
    return Evidence(
        occurred_on=when,
        note=notes.get(stage, "Recorded."),
        private_note="Budget lines agreed informally; confirm in the next council session."
        if stage == Stage.AGREEMENT
        else "",
        agreement_kind=kind,
        signed_on=when if stage == Stage.AGREEMENT else None,
        signatories=[Signatory(p.city_id, f"Mayor of {p.city.name}", "Mayor") for p in cities],
        results=results,
        reason="The council moved the budget to flood repairs." if stage == Stage.CLOSED else "",
    )


def _make(provider: User, adopter: User, target: Stage, kind: str, months: int, used: set[int]) -> Cooperation | None:
    p_city, a_city = _city_of(provider), _city_of(adopter)
    if p_city is None or a_city is None:
        return None
    pair = f"({p_city.name} → {a_city.name})"
    if Cooperation.objects.filter(title__endswith=pair).exists():
        return None
    practice = _practice(p_city, used)
    title = f"{(practice.title if practice else 'Exchange')[:250]} {pair}"
    if practice:
        used.add(practice.pk)
    today = timezone.localdate()
    start = today - dt.timedelta(days=30 * months)
    coop = services.cooperation_open(
        actor=adopter,
        cities=[a_city, p_city],
        practice=practice,
        title=title,
        note=f"{a_city.name} is interested in what {p_city.name} has done.",
        occurred_on=start,
    )
    if target == Stage.INTEREST:
        return coop
    # Walk the path up to the target (closing happens after the contact), spreading the dates over the months.
    steps = [Stage.CONTACT, Stage.CLOSED] if target == Stage.CLOSED else [s for s in PATH[1 : PATH.index(target) + 1]]
    gap = max(1, (today - start).days // (len(steps) + 1))
    for n, stage in enumerate(steps, start=1):
        when = min(today, start + dt.timedelta(days=gap * n))
        actor = provider if n % 2 else adopter
        services.cooperation_move(
            actor=actor, cooperation=coop, to_stage=stage, evidence=_evidence(stage, when, coop, kind or "memorandum")
        )
    # The demo's history happened over months: date the last activity to the last step, not to today.
    last = coop.events.order_by("-id").first()
    if last is not None:
        at = timezone.make_aware(dt.datetime.combine(last.occurred_on, dt.time(12)))
        Cooperation.objects.filter(pk=coop.pk).update(last_activity_at=at)
    return coop


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    made = 0
    used: set[int] = set(Cooperation.objects.exclude(practice=None).values_list("practice_id", flat=True))
    for provider_slug, adopter_slug, target, kind, months in PLAN:
        provider, adopter = _officer(provider_slug), _officer(adopter_slug)
        if provider is None or adopter is None:
            continue
        coop = _make(provider, adopter, Stage(target), kind, months, used)
        if coop is not None:
            made += 1
            if (provider_slug, adopter_slug) == STALLED:
                Cooperation.objects.filter(pk=coop.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=200))
    fresh = _fresh_request()
    _ask_for_the_message_in_portuguese()
    stdout.write(
        f"Demo cooperation: {made} new cooperations ({Cooperation.objects.count()} in all), "
        f"{'a fresh' if fresh else 'no new'} contact request Kazan → São Paulo."
    )
    return []


def _fresh_request() -> ContactRequest | None:
    kazan_officer = _officer("kazan")
    sao_paulo = City.objects.filter(name="São Paulo", country_id="BR").order_by("-population").first()
    if kazan_officer is None or sao_paulo is None:
        return None
    if ContactRequest.objects.filter(
        from_city__name="Kazan", to_city=sao_paulo, status=ContactRequest.Status.PENDING
    ).exists():
        return None
    taken = set(
        Participant.objects.filter(city=sao_paulo, cooperation__practice__isnull=False).values_list(
            "cooperation__practice_id", flat=True
        )
    )
    practice = _practice(sao_paulo, taken) or _practice(sao_paulo, set())
    if practice is None:
        return None
    return services.contact_request_create(
        actor=kazan_officer,
        practice=practice,
        message=(
            "Kazan's transport department would like to learn how you planned and enforced the lanes: "
            "could we talk by video next week, and perhaps visit in spring?"
        ),
        language="en",
    )


def _ask_for_the_message_in_portuguese() -> None:
    reader = _officer("saopaulo")
    message = (
        ContactRequest.objects.filter(from_city__name="Kazan", to_city__name="São Paulo", language_id="en")
        .order_by("-created_at")
        .first()
    )
    if reader is None or message is None:
        return
    if TranslationRequest.objects.filter(contact_request=message, language_id="pt", requested_by=reader).exists():
        return  # asked on an earlier run
    try:
        desk_services.translation_request(actor=reader, item=message, language="pt")
    except DomainError:
        return  # e.g. translated meanwhile


__all__: list[Any] = ["load"]
