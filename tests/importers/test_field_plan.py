"""The rule that protects people's edits from re-imports, field by field (pure, no database)."""

from importers.loading import content_hash, plan_fields


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
