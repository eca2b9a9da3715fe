"""The data the contract run works on: two member cities, a published practice, a challenge, a cooperation, a
forum event with registrations and a governance vote, and an API token for the first city's coordinator."""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.services import api_token_create
from tests.cooperation.factories import challenge, officer_of, published_practice
from tests.forum.factories import EventFactory, RegistrationFactory
from tests.governance.factories import assembly_with, open_vote


def build(*, kazan: Any, sao_paulo: Any, secretariat: Any) -> dict[str, Any]:
    coordinator = officer_of(kazan, role="coordinator")
    partner = officer_of(sao_paulo, role="coordinator")
    practice = published_practice(kazan, contact_email="transit@kazan.example")
    need = challenge(sao_paulo)
    event = EventFactory()
    RegistrationFactory(event=event, city=kazan, user=coordinator)
    RegistrationFactory(event=event, city=sao_paulo, user=partner)
    vote = open_vote(secretariat, assembly_with(kazan, sao_paulo))
    _token, plain = api_token_create(actor=coordinator, name="contract run")
    return {"token": plain, "practice": practice, "challenge": need, "event": event, "vote": vote}
