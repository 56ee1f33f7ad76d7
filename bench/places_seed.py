"""What the bench's places offer (issue 20): services for half of the synthetic tiers-lieux,
so the places' pages, map and search are timed on places that say what they offer, as the
places of a running instance do once their owners have filled in their page (issue 17).

Without them, the places' GeoJSON and `/lieux/` read no service at all and their figures are
the lower ones (twelfth sitting: the places' SQL went from 28 to 32 ms with services for half
of them). Only for a throw-away database (the bench's commands check its name).
"""

import random

from django.db import transaction

from cartography.models import PlaceService, PlaceServiceKind
from directory.models import Organisation

#: One synthetic place in two declares services; nobody has counted what share of France's
#: tiers-lieux would, so half makes the services' joins and words do real work.
DECLARING_ONE_IN = 2
#: How many services a declaring place offers, drawn from these (of the nine kinds).
SERVICES_PER_PLACE = (1, 2, 2, 3, 4)
AUDIENCES = ("", "Associations et coopératives", "Porteurs de projet de l'ESS", "Habitants")
PRICES = ("", "10 € l'heure", "150 € par mois", "Prix libre")


def place_services_seed(*, seed: int = 59350) -> int:
    """Give one tiers-lieu in `DECLARING_ONE_IN` (by id) one to four services of different
    kinds, with conditions, unless some place already has a service. Deterministic for a
    `seed`. Side effects: writes rows in one transaction (the database's triggers write
    each place's service words for the search). Returns the number of services created (0
    when already seeded)."""
    if PlaceService.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
    kinds = list(PlaceServiceKind.objects.order_by("position", "pk"))
    places = Organisation.objects.filter(kinds__slug="tiers-lieu").order_by("pk")
    services = [
        _service(rng, place_id, kind)
        for number, place_id in enumerate(places.values_list("pk", flat=True).iterator())
        if number % DECLARING_ONE_IN == 0
        for kind in rng.sample(kinds, min(len(kinds), rng.choice(SERVICES_PER_PLACE)))
    ]
    with transaction.atomic():
        PlaceService.objects.bulk_create(services, batch_size=5000)
    return len(services)


def _service(rng: random.Random, place_id: int, kind: PlaceServiceKind) -> PlaceService:
    free = rng.random() < 0.3
    return PlaceService(
        organisation_id=place_id,
        kind=kind,
        audience=rng.choice(AUDIENCES),
        free=free,
        price="" if free else rng.choice(PRICES),
        on_reservation=rng.random() < 0.5,
        social_lease=rng.random() < 0.1,
    )
