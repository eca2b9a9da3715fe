from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityexchange.core.errors import NotFound, PermissionDenied
from cityexchange.core.restrict import get_for
from cityexchange.practices import selectors
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(kazan):
    return {s: PracticeFactory(city=kazan, status=s) for s in Practice.Status.values}


def _visible(user):
    return set(selectors.practices_visible_to(user).values_list("status", flat=True))


def test_anonymous_and_other_cities_see_only_published(one_of_each, sao_paulo_coordinator):
    assert _visible(AnonymousUser()) == {"published"}
    assert _visible(sao_paulo_coordinator) == {"published"}
    assert _visible(UserFactory()) == {"published"}


def test_own_city_and_secretariat_see_everything(one_of_each, kazan_officer, secretariat):
    assert _visible(kazan_officer) == set(Practice.Status.values)
    assert _visible(secretariat) == set(Practice.Status.values)


def test_suspended_city_officers_see_only_published(one_of_each, kazan, kazan_officer):
    kazan.membership.status = "suspended"
    kazan.membership.save()
    assert _visible(kazan_officer) == {"published"}


def test_get_for_refuses_with_404_or_403(one_of_each, kazan_officer, sao_paulo_coordinator, secretariat):
    draft, published = one_of_each["draft"], one_of_each["published"]
    assert get_for(kazan_officer, Practice, draft.pk, action="edit") == draft
    with pytest.raises(NotFound):
        get_for(sao_paulo_coordinator, Practice, draft.pk)  # a stranger does not learn it exists
    with pytest.raises(NotFound):
        get_for(AnonymousUser(), Practice, draft.pk)
    with pytest.raises(PermissionDenied):
        get_for(sao_paulo_coordinator, Practice, published.pk, action="edit")
    with pytest.raises(PermissionDenied):
        get_for(AnonymousUser(), Practice, published.pk, action="edit")
    with pytest.raises(PermissionDenied):
        get_for(kazan_officer, Practice, published.pk, action="moderate")
    assert get_for(secretariat, Practice, draft.pk, action="moderate") == draft


@pytest.mark.parametrize("bad", [0, -1, 2**70, "abc", None, "1; DROP TABLE"])
def test_bad_ids_are_not_found(reference, bad):
    with pytest.raises(NotFound):
        get_for(AnonymousUser(), Practice, bad)


def test_queue_is_for_the_secretariat(one_of_each, kazan_coordinator, secretariat):
    with pytest.raises(PermissionDenied):
        selectors.moderation_queue(kazan_coordinator)
    assert list(selectors.moderation_queue(secretariat)) == [one_of_each["submitted"]]


def test_filters_validate_and_name_the_field(reference):
    from cityexchange.core.errors import InvalidInput

    for field, value in [
        ("sector", "space"),
        ("country", "XX"),
        ("maturity", "ripe"),
        ("language", "klingon"),
        ("sdg", "18"),
        ("sdg", "x"),
        ("sort", "random"),
        ("status", "lost"),
        ("city", "abc"),
    ]:
        with pytest.raises(InvalidInput) as err:
            selectors.practice_list(AnonymousUser(), selectors.PracticeFilters(**{field: value}))
        assert err.value.field == field


def test_facets_and_filters(kazan, sao_paulo):
    a = PracticeFactory(city=kazan, status="published", language_id="ru", sectors=["water"], sdgs=[6, 11])
    PracticeFactory(city=sao_paulo, status="published", language_id="pt", sectors=["water", "energy"], sdgs=[7])
    PracticeFactory(city=kazan, status="draft", sectors=["water"])
    anon = AnonymousUser()
    qs = selectors.practice_list(anon, selectors.PracticeFilters(sector="water"))
    assert qs.count() == 2
    facets = selectors.practice_facets(qs)
    assert {(f.value, f.count) for f in facets["sector"]} == {("water", 2), ("energy", 1)}
    assert {(f.value, f.count) for f in facets["country"]} == {("RU", 1), ("BR", 1)}
    assert [f.value for f in facets["sdg"]] == ["6", "7", "11"]
    assert list(selectors.practice_list(anon, selectors.PracticeFilters(sdg="6", country="ru"))) == [a]
    assert list(selectors.practice_list(anon, selectors.PracticeFilters(language="ru"))) == [a]


def test_searchable_text_has_language_and_fields(kazan):
    p = PracticeFactory(city=kazan, language_id="ru", title="Заголовок", results_text="Итоги")
    text = selectors.practice_searchable_text(p)
    assert text.language == "ru" and text.title == "Заголовок"
    assert "Заголовок" in text.text and "Итоги" in text.text and "The solution." in text.text


def test_coordinator_of_a_second_city_acts_only_there(kazan, sao_paulo):
    user = CityRoleFactory(city=sao_paulo, role="officer").user
    p = PracticeFactory(city=kazan, status="draft")
    with pytest.raises(NotFound):
        get_for(user, Practice, p.pk, action="edit")
    CityRoleFactory(city=kazan, user=user)
    assert get_for(user, Practice, p.pk, action="edit") == p
