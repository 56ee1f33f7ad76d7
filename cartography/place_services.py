"""Writes of what a place of the ESS offers (issue 17): its services with their conditions,
and its spaces. Who may call them is decided by `directory.access.place_offer_editable_by`."""

from collections.abc import Iterable, Mapping

from django.db import transaction

from cartography.models import PlaceService, PlaceSpace
from directory.models import Organisation, PlaceRole
from directory.places import organisation_place_set
from directory.search_words import search_words_add_on_commit

#: The fields a service or a space takes from the place's form.
SERVICE_FIELDS = (
    "kind",
    "audience",
    "free",
    "price",
    "on_reservation",
    "accessibility",
    "social_lease",
    "details",
)
SPACE_FIELDS = ("name", "surface_m2", "capacity", "availability")


def place_offer_replace(
    *,
    organisation: Organisation,
    services: Iterable[Mapping],
    spaces: Iterable[Mapping],
    totem: bool | None = None,
) -> tuple[list[PlaceService], list[PlaceSpace]]:
    """Make `services` and `spaces` (mappings of SERVICE_FIELDS and SPACE_FIELDS; `kind` a
    PlaceServiceKind) everything `organisation` offers as a place, replacing what it said
    before, in one transaction. With `totem` (the moderators' and city staff's choice), also
    whether the city counts the place among the lieux totems (`place_totem_set`). Returns the
    services and spaces written.

    Raises ValidationError (French messages) for an invalid service or space, or the same
    service twice; nothing is written then.
    """
    new_services = [
        PlaceService(organisation=organisation, **{name: row[name] for name in SERVICE_FIELDS})
        for row in services
    ]
    new_spaces = [
        PlaceSpace(organisation=organisation, **{name: row[name] for name in SPACE_FIELDS})
        for row in spaces
    ]
    with transaction.atomic():
        organisation.place_services.all().delete()
        organisation.place_spaces.all().delete()
        for record in (*new_services, *new_spaces):
            record.full_clean()
            record.save()
        if totem is not None:
            place_totem_set(organisation=organisation, totem=totem)
        # The unified search corrects typos against the services' words too.
        search_words_add_on_commit(organisation_ids=[organisation.pk])
    return new_services, new_spaces


def place_totem_set(*, organisation: Organisation, totem: bool) -> Organisation:
    """Say whether the city counts `organisation` among the lieux totems (its `place_roles`).
    A person's decision: when the mark changes, its source (a document) is cleared; the
    place's other roles stay. Returns the organisation."""
    if totem == organisation.is_totem:
        return organisation
    roles = set(organisation.place_roles) ^ {PlaceRole.TOTEM}
    return organisation_place_set(organisation=organisation, roles=roles)
