"""BAN geocoding against a local fake BAN: acceptance rules, bulk CSV by header, the cache."""

import pytest

from directory.models import GeocodingQuality
from importers.engine.errors import BadPayload
from importers.io.geocoding import (
    AddressQuery,
    BanAnswer,
    BanGeocoder,
    LocatedAddress,
    accept,
    address_locate,
    cache_key,
    parse_search,
)
from importers.io.http import Fetcher, RetryPolicy
from importers.models import GeocodingCacheEntry
from tests.importers.ban import SEARCH_SAMPLE, bulk_handler

TERRITORY = ("59350", "59298", "59355")


@pytest.fixture
def geocoder(httpserver) -> BanGeocoder:
    fetcher = Fetcher(retry=RetryPolicy(attempts=2, base_delay=0.001), sleep=lambda s: None)
    return BanGeocoder(base_url=httpserver.url_for("/ban"), fetcher=fetcher, territory=TERRITORY)


def test_the_real_sample_parses_with_lon_first_and_is_refused_outside_the_territory():
    answer = parse_search(SEARCH_SAMPLE, "ban")
    assert (answer.longitude, answer.latitude) == (-0.356241, 43.277531)
    assert (answer.result_type, answer.citycode) == ("street", "64373")
    assert accept(answer, TERRITORY) is None
    assert accept(answer, ["64373"]).quality == GeocodingQuality.STREET


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        (BanAnswer(True, 3.07, 50.62, 0.5, "housenumber", "59350"), True),
        (BanAnswer(True, 3.07, 50.62, 0.49, "housenumber", "59350"), False),
        (BanAnswer(True, 3.07, 50.62, 0.9, "municipality", "59350"), False),
        (BanAnswer(True, 3.07, 50.62, 0.9, "locality", "59350"), False),
        (BanAnswer(True, 3.09, 50.60, 0.9, "housenumber", "59343"), False),  # Lezennes
        (BanAnswer(True, 3.11, 50.62, 0.9, "street", "59350", "59298"), True),
        (BanAnswer(False), False),
    ],
)
def test_only_precise_matches_in_the_territory_are_accepted(answer, accepted):
    assert (accept(answer, TERRITORY) is not None) is accepted


def test_even_one_address_goes_to_the_bulk_endpoint_then_to_the_cache(httpserver, geocoder):
    calls = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    query = AddressQuery("1", "235 bd Paul Painlevé", postcode="59000", citycode="59350")
    found = geocoder.search_many([query])["1"]
    again = geocoder.search_many([AddressQuery("2", "235  BD paul painleve", "59000", "59350")])
    assert (found.quality, found.score) == (GeocodingQuality.HOUSENUMBER, 0.96)
    assert (found.point.x, found.point.y) == (3.072722, 50.619712)
    assert again["2"] == found
    assert len(calls) == 1
    assert not [r for r, _answer in httpserver.log if r.path == "/ban/search/"]


def test_the_minimum_score_is_a_setting(httpserver, settings):
    settings.CARTESS_BAN_MIN_SCORE = 0.97
    calls = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    geocoder = BanGeocoder(base_url=httpserver.url_for("/ban"), territory=TERRITORY)
    assert geocoder.search_many([AddressQuery("1", "235 bd Paul Painlevé")]) == {"1": None}


def test_bulk_csv_is_read_by_header_name_in_the_ign_order(httpserver, geocoder):
    calls = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    queries = [
        AddressQuery("W1", "235 boulevard Paul Painlevé", "59000", "59350"),
        AddressQuery("W2", "20 rue Roger Salengro", "59260", "59298"),
        AddressQuery("W3", "rue du Bois", "59000", "59350"),
        AddressQuery("W4", "nulle part", "59000", "59350"),
    ]
    result = geocoder.search_many(queries)
    assert result["W1"].point.coords == (3.072722, 50.619712)
    assert result["W2"].quality == GeocodingQuality.HOUSENUMBER
    assert result["W3"] is None  # municipality, score 0.31
    assert result["W4"] is None
    form = calls[0]["form"]
    assert form["columns"] == ["adresse"]
    assert (form["citycode"], form["postcode"]) == (["citycode"], ["postcode"])
    assert "59298" not in calls[0]["data"]  # Hellemmes asked under 59350
    assert GeocodingCacheEntry.objects.count() == 4


def test_a_second_bulk_asks_only_the_new_addresses(httpserver, geocoder):
    calls = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    first = [AddressQuery("A", "235 boulevard Paul Painlevé"), AddressQuery("B", "nulle part")]
    geocoder.search_many(first)
    geocoder.search_many(
        [*first, AddressQuery("C", "20 rue Roger Salengro"), AddressQuery("D", "rue du Bois")]
    )
    assert len(calls) == 2
    assert "Painlev" not in calls[1]["data"]
    assert "Salengro" in calls[1]["data"]


def test_batches_split_a_long_list(httpserver, geocoder):
    calls = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    geocoder.batch_size = 2
    geocoder.search_many([AddressQuery(str(n), f"{n} rue du Bois") for n in range(5)])
    assert len(calls) == 3


def test_a_bulk_answer_without_result_columns_is_a_bad_payload(httpserver, geocoder):
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_data(
        "id,adresse\nA,x\n", content_type="text/csv"
    )
    queries = [AddressQuery("A", "x"), AddressQuery("B", "y")]
    with pytest.raises(BadPayload, match="result_score"):
        geocoder.search_many(queries)
    assert not GeocodingCacheEntry.objects.exists()


def test_cache_key_ignores_case_accents_and_spaces():
    assert cache_key("235 Bd  Paul Painlevé", "59350") == cache_key("235 bd paul painleve", "59350")
    assert cache_key("235 bd paul painleve", "59350") != cache_key("235 bd paul painleve", "")


pytestmark = pytest.mark.django_db


def test_a_visitor_s_address_is_asked_once_in_lille_and_placed(httpserver, settings):
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/")
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [3.0727, 50.6197]},
        "properties": {"label": "235 Boulevard Paul Painlevé 59000 Lille", "score": 0.4},
    }
    httpserver.expect_oneshot_request(
        "/search/", query_string={"q": "235 bd Painlevé", "limit": "1", "citycode": "59350"}
    ).respond_with_json({"type": "FeatureCollection", "features": [feature]})
    found = address_locate(address="235 bd Painlevé")
    assert found == LocatedAddress("235 Boulevard Paul Painlevé 59000 Lille", 50.6197, 3.0727)


@pytest.mark.parametrize(
    "answer",
    [{"type": "FeatureCollection", "features": []}, {"erreur": "pas un GeoJSON"}, None],
    ids=["no match", "odd answer", "server error"],
)
def test_a_visitor_s_address_the_ban_cannot_place_is_none_after_one_try(
    httpserver, settings, answer
):
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/")
    handler = httpserver.expect_request("/search/")
    if answer is None:
        handler.respond_with_data("panne", status=503)
    else:
        handler.respond_with_json(answer)
    assert address_locate(address="nulle part") is None
    assert len(httpserver.log) == 1
