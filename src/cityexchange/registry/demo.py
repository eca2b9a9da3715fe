"""Demo members and accounts for `cityexchange init --demo`. Idempotent: a rerun adds nothing.

Memberships are made the way a real city gets one (application, then the secretariat's approval), through the
services, so the demo also fills the audit log.
"""

from __future__ import annotations

from typing import Any, TextIO

from cityexchange.accounts.models import CityRole, User

from . import services
from .models import City, Membership, MembershipApplication, Sector

PASSWORD = "demo-cities-2026"  # noqa: S105 - demo accounts, printed by `make demo`
SECRETARIAT_EMAIL = "secretariat@demo.cityexchange.org"

# (city name, country, coordinator slug, sector codes) — real cities of member and partner countries.
MEMBERS: list[tuple[str, str, str, list[str]]] = [
    ("Kazan", "RU", "kazan", ["digital-government", "transportation", "sports"]),
    ("São Paulo", "BR", "saopaulo", ["transportation", "housing", "healthcare"]),
    ("Shanghai", "CN", "shanghai", ["industry", "waste", "digital-government"]),
    ("Pune", "IN", "pune", ["water", "transportation", "education"]),
    ("Cape Town", "ZA", "capetown", ["water", "tourism", "public-safety"]),
    ("Alexandria", "EG", "alexandria", ["infrastructure", "culture", "tourism"]),
    ("Addis Ababa", "ET", "addisababa", ["housing", "transportation", "healthcare"]),
    ("Isfahan", "IR", "isfahan", ["culture", "water", "tourism"]),
    ("Dubai", "AE", "dubai", ["digital-government", "energy", "tourism"]),
    ("Surabaya", "ID", "surabaya", ["waste", "ecology", "urban-management"]),
    ("Minsk", "BY", "minsk", ["industry", "education", "sports"]),
    ("Almaty", "KZ", "almaty", ["ecology", "energy", "transportation"]),
    ("Tashkent", "UZ", "tashkent", ["infrastructure", "water", "housing"]),
    ("Kuala Lumpur", "MY", "kualalumpur", ["urban-management", "transportation", "digital-government"]),
    ("Chiang Mai", "TH", "chiangmai", ["tourism", "ecology", "culture"]),
    ("Da Nang", "VN", "danang", ["digital-government", "tourism", "ecology"]),
    ("Lagos", "NG", "lagos", ["transportation", "waste", "public-safety"]),
    ("Kampala", "UG", "kampala", ["waste", "healthcare", "urban-management"]),
    ("La Paz", "BO", "lapaz", ["transportation", "water", "culture"]),
    ("Havana", "CU", "havana", ["healthcare", "culture", "education"]),
    ("Novosibirsk", "RU", "novosibirsk", ["education", "industry", "energy"]),
    ("Curitiba", "BR", "curitiba", ["transportation", "ecology", "urban-management"]),
    ("Shenzhen", "CN", "shenzhen", ["industry", "energy", "transportation"]),
    ("Bengaluru", "IN", "bengaluru", ["digital-government", "water", "transportation"]),
    ("Durban", "ZA", "durban", ["ecology", "water", "sports"]),
    ("Ufa", "RU", "ufa", ["industry", "ecology", "sports"]),
]
# A city whose application waits for the secretariat, so the review can be tried.
APPLICANT = ("Yekaterinburg", "RU", "yekaterinburg", ["industry", "culture"])


def _user(email: str, name: str, *, secretariat: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email, email=email, display_name=name, is_secretariat=secretariat)
        user.set_password(PASSWORD)
        user.save()
    return user


def find_city(name: str, country: str) -> City:
    city = City.objects.filter(name=name, country_id=country).order_by("-population").first()
    if city is None:
        raise LookupError(f"Demo city {name} ({country}) is not in the reference data.")
    return city


def _admit(secretariat: User, city: City, coordinator: User, sectors: list[str]) -> None:
    if Membership.objects.filter(city=city).exists():
        return
    application = services.application_submit(
        actor=coordinator,
        city=city,
        letter=f"{city.name} wishes to join the association and share what it has learnt.",
        contact_name=str(coordinator),
        contact_email=coordinator.email,
        priority_sectors=Sector.objects.filter(code__in=sectors),
    )
    services.application_approve(actor=secretariat, application=application)


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    secretariat = _user(SECRETARIAT_EMAIL, "Association Secretariat", secretariat=True)
    if not secretariat.is_superuser:
        secretariat.is_staff = secretariat.is_superuser = True
        secretariat.save(update_fields=["is_staff", "is_superuser"])
    logins = [(SECRETARIAT_EMAIL, PASSWORD, "secretariat (also Django admin)")]
    for name, country, slug, sectors in MEMBERS:
        city = find_city(name, country)
        coordinator = _user(f"coordinator.{slug}@demo.cityexchange.org", f"Coordinator of {name}")
        _admit(secretariat, city, coordinator, sectors)
        officer = _user(f"officer.{slug}@demo.cityexchange.org", f"Officer of {name}")
        CityRole.objects.get_or_create(user=officer, city=city, defaults={"role": CityRole.Role.OFFICER})
        if slug in {"kazan", "saopaulo", "shanghai", "pune"}:
            logins.append((coordinator.email, PASSWORD, f"coordinator, {name}"))
            logins.append((officer.email, PASSWORD, f"officer, {name}"))
    name, country, slug, sectors = APPLICANT
    city = find_city(name, country)
    applicant = _user(f"mayor.{slug}@demo.cityexchange.org", f"Mayor's office of {name}")
    if (
        not MembershipApplication.objects.filter(city=city).exists()
        and not Membership.objects.filter(city=city).exists()
    ):
        services.application_submit(
            actor=applicant,
            city=city,
            letter=f"{name} applies for membership: we bring experience in industry and culture.",
            contact_name=str(applicant),
            contact_email=applicant.email,
            priority_sectors=Sector.objects.filter(code__in=sectors),
        )
    logins.append((applicant.email, PASSWORD, f"applicant, {name} (application pending)"))
    stdout.write(f"Demo registry: {Membership.objects.count()} members, 1 pending application.")
    return logins


__all__: list[Any] = ["PASSWORD", "SECRETARIAT_EMAIL", "load"]
