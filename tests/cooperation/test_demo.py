from __future__ import annotations

import io

import pytest
from django.utils import timezone

from cityexchange.accounts.models import CityRole
from cityexchange.cooperation import demo, selectors
from cityexchange.cooperation.models import Agreement, ContactRequest, Cooperation
from cityexchange.practices.models import Practice
from tests.cooperation.factories import published_practice
from tests.registry.factories import MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = {"saopaulo": ("São Paulo", "BR"), "kazan": ("Kazan", "RU")}


@pytest.fixture
def demo_cities(reference):
    slugs = {s for plan in demo.PLAN for s in plan[:2]} | {"kazan", "saopaulo"}
    cities = {}
    for slug in sorted(slugs):
        name, country = NAMES.get(slug, (slug.title(), "RU"))
        city = MemberCityFactory(name=name, country_id=country)
        user = UserFactory(email=f"officer.{slug}@{demo.DOMAIN}")
        CityRole.objects.create(user=user, city=city, role="officer")
        cities[slug] = city
    for slug in ("kazan", "shanghai", "saopaulo"):
        p = published_practice(cities[slug], title=f"Practice of {slug}")
        Practice.objects.filter(pk=p.pk).update(external_id=f"demo-p-{slug}")
    return cities


def test_demo_loads_every_stage_and_is_idempotent(demo_cities):
    demo.load(io.StringIO())
    assert Cooperation.objects.count() == len(demo.PLAN) == 12
    stages = set(Cooperation.objects.values_list("stage", flat=True))
    assert stages == {"interest", "contact", "study_visit", "agreement", "pilot", "adoption", "evaluated", "closed"}
    evaluated = Cooperation.objects.get(stage="evaluated")
    assert evaluated.practice.external_id == "demo-p-kazan" and evaluated.events.last().results.exists()
    assert all(a.signed_on < timezone.localdate() for a in Agreement.objects.all())
    assert Agreement.objects.count() == 6
    assert selectors.stalled_cooperations().count() >= 1
    req = ContactRequest.objects.get(status="pending")
    assert req.from_city.name == "Kazan" and req.to_city.name == "São Paulo"
    demo.load(io.StringIO())
    assert Cooperation.objects.count() == 12 and ContactRequest.objects.count() == 1


def test_demo_without_practices_degrades(reference):
    assert demo.load(io.StringIO()) == []
    assert not Cooperation.objects.exists()


def test_demo_asks_the_desk_for_the_fresh_message_in_portuguese(demo_cities):
    from cityexchange.desk import selectors as desk_selectors
    from cityexchange.desk.models import TranslationRequest

    demo.load(io.StringIO())
    req = ContactRequest.objects.get(status="pending")
    assert req.language_id == "en"
    asked = TranslationRequest.objects.get(contact_request=req)
    assert asked.language_id == "pt" and asked.requested_by.email == f"officer.saopaulo@{demo.DOMAIN}"
    kazan = CityRole.objects.get(city=demo_cities["kazan"]).user
    stranger = CityRole.objects.get(city=demo_cities["shanghai"]).user
    assert [w.item for w in desk_selectors.wanted(["pt"], kazan)[0].items] == [req]
    assert desk_selectors.wanted(["pt"], stranger)[0].items == []  # a message is its two cities' only
    demo.load(io.StringIO())
    assert TranslationRequest.objects.filter(contact_request=req).count() == 1
