"""The rule that protects people's edits from re-imports, field by field (pure, no database)."""

from importers.engine.human_edits import plan_fields
from importers.engine.upsert import content_hash


def test_a_field_nobody_touched_follows_the_source():
    plan = plan_fields(
        current={"website": "http://old.example"},
        previous={"website": "http://old.example"},
        incoming={"website": "https://new.example"},
    )
    assert plan.write == {"website": "https://new.example"}
    assert plan.kept == ()


def test_a_person_s_edit_wins_over_the_source():
    plan = plan_fields(
        current={"description": "Texte revu par l'APES."},
        previous={"description": "Ancien texte importé."},
        incoming={"description": "Nouveau texte de la source."},
    )
    assert plan.write == {}
    assert plan.kept == ("description",)
    # What the source wrote last stays the reference, so the edit keeps winning next time.
    assert plan.imported == {"description": "Ancien texte importé."}


def test_a_value_a_person_cleared_is_not_filled_again():
    plan = plan_fields(
        current={"phone": ""}, previous={"phone": "03 20"}, incoming={"phone": "03 20"}
    )
    assert plan.write == {}
    assert plan.kept == ("phone",)


def test_a_second_source_fills_blanks_but_keeps_the_first_source_s_values():
    plan = plan_fields(
        current={"name": "EuraTechnologies", "website": ""},
        previous={},
        incoming={"name": "Euratechnologies", "website": "http://www.euratechnologies.com"},
    )
    assert plan.write == {"website": "http://www.euratechnologies.com"}
    assert plan.kept == ("name",)


def test_a_default_counts_as_empty():
    plan = plan_fields(
        current={"ess_status": "inconnu"},
        previous={},
        incoming={"ess_status": "ess"},
        empty_values={"ess_status": "inconnu"},
    )
    assert plan.write == {"ess_status": "ess"}


def test_terms_are_added_never_removed_and_a_removed_term_stays_removed():
    plan = plan_fields(
        current={"kinds": ["reseau"]},
        previous={"kinds": ["accompagnement", "reseau"]},
        incoming={"kinds": ["accompagnement", "financeur", "reseau"]},
        set_fields={"kinds"},
    )
    assert plan.write == {"kinds": ["financeur"]}
    assert plan.kept == ("kinds",)


def test_content_hash_ignores_key_order():
    assert content_hash({"a": 1, "b": "é"}) == content_hash({"b": "é", "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})


POINT_GROUP = (frozenset({"location", "geocoding_quality", "geocoding_score"}),)


def test_a_point_a_person_moved_keeps_its_quality_when_the_source_loses_its_point():
    plan = plan_fields(
        current={"location": [3.07, 50.63], "geocoding_quality": "source", "geocoding_score": None},
        previous={
            "location": [3.06, 50.62],
            "geocoding_quality": "source",
            "geocoding_score": None,
        },
        incoming={"location": None, "geocoding_quality": "", "geocoding_score": None},
        groups=POINT_GROUP,
    )
    assert plan.write == {}
    assert set(plan.kept) == {"location", "geocoding_quality"}
    assert plan.imported["geocoding_quality"] == "source"
    assert plan.imported["location"] == [3.06, 50.62]


def test_a_point_nobody_touched_follows_the_source_with_its_quality():
    plan = plan_fields(
        current={"location": [3.06, 50.62], "geocoding_quality": "source"},
        previous={"location": [3.06, 50.62], "geocoding_quality": "source"},
        incoming={"location": None, "geocoding_quality": ""},
        groups=POINT_GROUP,
    )
    assert plan.write == {"location": None, "geocoding_quality": ""}
    assert plan.kept == ()


def test_a_point_another_source_gave_is_kept_with_its_quality():
    plan = plan_fields(
        current={"location": [3.07, 50.63], "geocoding_quality": "adresse"},
        previous={},
        incoming={"location": None, "geocoding_quality": "source"},
        groups=POINT_GROUP,
    )
    assert plan.write == {}
    assert "geocoding_quality" not in plan.imported
