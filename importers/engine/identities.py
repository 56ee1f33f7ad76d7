"""Records that two sources describe under their own ids and that are known to be one.

Organisations are deduplicated on SIRET, then RNA id, whatever the source. When a source
has neither, a pair is merged only when a person checked it and wrote it down here, with
the reason: no fuzzy matching on names.
"""

#: Groups of (source slug, external id) that name the same record.
SAME_RECORDS: tuple[frozenset[tuple[str, str]], ...] = (
    # The seed takes EuraTechnologies' address and coordinates from this very row of the
    # CGET 2019 inventory (its source_url says so): one place, two listings.
    frozenset({("seed", "organisations:euratechnologies"), ("tiers-lieux", "129")}),
)


def same_records(source_slug: str, external_id: str) -> list[tuple[str, str]]:
    """The (source, external id) pairs known to name the same record as this one."""
    key = (source_slug, external_id)
    return [other for group in SAME_RECORDS if key in group for other in group if other != key]
