"""The places of the seed (issue 17): which organisations are tiers-lieux, lieux-ressources
or lieux totems of the ESS, and the document that says so.

The seed's `lieu_totem` column ("oui", sourced by `lieu_totem_source`) and its `kind` terms
("tiers-lieu", "lieu-ressource") give `Organisation.place_roles`; the human-edit rule of the
engine applies to them as to any field, so a value a person set is never overwritten.
"""

from dataclasses import dataclass
from typing import Any

from directory.models import Organisation, PlaceRole
from directory.places import organisation_place_set
from directory.records import OrganisationData
from importers.engine.loaders import OrganisationLoader
from importers.engine.mapping import text

PLACE_FIELDS = ("place_roles", "place_source")
#: The `kind` terms of the seed that name a kind of place.
PLACE_KIND_TERMS = {"tiers-lieu": PlaceRole.THIRD_PLACE, "lieu-ressource": PlaceRole.RESOURCE}


@dataclass(frozen=True)
class SeedOrganisationData(OrganisationData):
    """An organisation of the seed, with the kinds of place it is and their source."""

    place_roles: tuple[str, ...] = ()
    place_source: str = ""


def place_fields(raw: dict, terms: list[str]) -> dict[str, Any]:
    """`place_roles` and `place_source` of a seed row (its `kind` terms lowered). Pure.

    The source is `lieu_totem_source` when the row is a lieu totem; a kind of place read
    from the `kind` column is credited to the row's own sources (its provenance).
    """
    roles = {PLACE_KIND_TERMS[term] for term in terms if term in PLACE_KIND_TERMS}
    totem = text(raw, "lieu_totem").lower() == "oui"
    if totem:
        roles.add(PlaceRole.TOTEM)
    source = text(raw, "lieu_totem_source") if totem else ""
    return {"place_roles": tuple(sorted(str(role) for role in roles)), "place_source": source}


class SeedOrganisationLoader(OrganisationLoader):
    """Organisations of the seed: the engine's loader, plus the kinds of place."""

    field_groups = (*OrganisationLoader.field_groups, frozenset(PLACE_FIELDS))

    def create(self, data: SeedOrganisationData) -> Organisation:
        organisation = super().create(data)
        if data.place_roles:
            _write_place(organisation, data)
        return organisation

    def update(self, instance: Organisation, data: SeedOrganisationData, write: dict) -> None:
        super().update(instance, data, write)
        if any(name in write for name in PLACE_FIELDS):
            _write_place(instance, data)

    def snapshot_data(self, data: SeedOrganisationData) -> dict[str, Any]:
        places = {"place_roles": sorted(data.place_roles), "place_source": data.place_source}
        return {**super().snapshot_data(data), **places}

    def snapshot_instance(self, instance: Organisation) -> dict[str, Any]:
        places = {name: getattr(instance, name) for name in PLACE_FIELDS}
        places["place_roles"] = sorted(places["place_roles"])
        return {**super().snapshot_instance(instance), **places}


def _write_place(organisation: Organisation, data: SeedOrganisationData) -> None:
    organisation_place_set(
        organisation=organisation, roles=data.place_roles, source=data.place_source
    )
