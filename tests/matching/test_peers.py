import pytest

from cityexchange.matching.peers import (
    City,
    Conditions,
    climate_band,
    peer_similarity,
    similar_cities,
    size_similarity,
    transfer_fit,
)

KAZAN = City(1, "Kazan", "RU", 1_300_000, 55.79, 49.12, frozenset({"transport", "water", "sport"}))
NIZHNY = City(2, "Nizhny Novgorod", "RU", 1_250_000, 56.33, 44.0, frozenset({"transport", "culture"}))
CURITIBA = City(3, "Curitiba", "BR", 1_900_000, -25.43, -49.27, frozenset({"transport", "waste"}))
MUMBAI = City(4, "Mumbai", "IN", 12_400_000, 19.07, 72.88, frozenset({"health"}))
TOWN = City(5, "Yelabuga", "RU", 74_000, 55.76, 52.06, frozenset({"industry"}))


def codes(score):
    return [r.code for r in score.reasons]


def test_size_similarity_is_a_log_ratio():
    assert size_similarity(1_000_000, 1_000_000) == 1.0
    assert size_similarity(1_000_000, 10_000_000) == 0.0
    assert size_similarity(1_000_000, 3_162_278) == pytest.approx(0.5, abs=1e-3)
    assert size_similarity(None, 10) is None


def test_climate_band_uses_absolute_latitude():
    assert climate_band(-25.4) == climate_band(25.4) == "subtropical"
    assert climate_band(55.8) == "boreal"


def test_similar_city_scores_high_with_reasons():
    score = peer_similarity(KAZAN, NIZHNY)
    assert score.score > 0.7
    assert codes(score) == ["similar_size", "same_climate_band", "shared_sectors", "same_country"]
    assert score.reasons[2].params["sectors"] == ["transport"]


def test_ranking_prefers_alike_cities_and_excludes_itself():
    ranked = [c.name for c, _s in similar_cities(KAZAN, [MUMBAI, KAZAN, TOWN, CURITIBA, NIZHNY])]
    assert ranked[0] == "Nizhny Novgorod"
    assert ranked[-1] == "Mumbai"
    assert "Kazan" not in ranked


def test_missing_data_is_not_punished():
    unknown = City(6, "Somewhere", "RU")
    score = peer_similarity(KAZAN, unknown)
    assert score.parts == {"country": 1.0}
    assert score.score == 1.0


def test_transfer_fit_in_range_and_within_budget():
    conditions = Conditions(min_population=500_000, max_population=3_000_000, latitude=55.0, cost=2e6)
    city = City(7, "Ufa", "RU", 1_100_000, 54.7, 55.9, annual_budget=5e6)
    fit = transfer_fit(conditions, city)
    assert fit.score == pytest.approx(1.0, abs=0.01)
    assert codes(fit) == ["size_in_range", "climate_matches", "within_budget"]


def test_transfer_fit_penalises_size_climate_and_budget():
    conditions = Conditions(min_population=500_000, max_population=3_000_000, latitude=55.0, cost=2e6)
    fit = transfer_fit(conditions, City(8, "Small hot town", "IN", 60_000, 10.0, 77.0, annual_budget=1e6))
    assert fit.score < 0.3
    assert codes(fit) == ["size_out_of_range", "climate_differs", "over_budget"]
    assert fit.parts["budget"] == 0.5


def test_country_condition_is_a_hard_cap():
    conditions = Conditions(countries=frozenset({"BR"}), latitude=-20.0)
    assert transfer_fit(conditions, CURITIBA).score > 0.5
    outside = transfer_fit(conditions, City(9, "Durban", "ZA", 600_000, -29.86, 31.0))
    assert outside.score <= 0.2
    assert "country_not_covered" in codes(outside)


def test_explicit_climate_bands_override_latitude_distance():
    conditions = Conditions(climate_bands=frozenset({"tropical"}))
    assert transfer_fit(conditions, MUMBAI).parts["climate"] == 1.0
    assert transfer_fit(conditions, KAZAN).parts["climate"] == 0.0
