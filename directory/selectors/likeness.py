"""The listing a row without SIRET or RNA most likely describes: a close name at the same
place (importers.sources.network_csv asks the network's editor to confirm it)."""

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q, Value
from django.db.models.functions import Lower

from directory.models import Organisation
from directory.search import ImmutableUnaccent, fold

#: Trigram similarity of the folded names from which a listing is proposed: "La Coroutine"
#: and "Coroutine (La)" score 1.0, "Association Les Jardins de Fives" and "Les Jardins de
#: Fives" 0.7; "Maison de l'ESS" and "Maison de la Nature" 0.4 (not proposed).
LIKENESS_THRESHOLD = 0.5
#: A listing farther than this from the row's point is another place (metres), as for the
#: possible duplicates (importers.engine.review).
LIKENESS_DISTANCE_M = 200.0
#: Degrees around a point that cover the distance above in France (the GiST prefilter).
_DEGREES = LIKENESS_DISTANCE_M / 40_000


@dataclass(frozen=True)
class Likeness:
    """A listing and how much it looks like the row: name similarity (0..1) and, when both
    have a point, the distance in metres."""

    organisation: Organisation
    similarity: float
    distance_m: float | None = None

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def organisation_likeness_get(
    *,
    name: str,
    location: Point | None = None,
    postcode: str = "",
    city: str = "",
    insee_code: str = "",
) -> Likeness | None:
    """The listing most like `name` at the same place, or None.

    Same place: within LIKENESS_DISTANCE_M of `location` when both have a point; else the
    same INSEE code, postcode or commune name (accents and case aside). The name's trigram
    similarity (folded) must reach LIKENESS_THRESHOLD; the closest name wins, then the
    nearest. Reads only (one query).
    """
    if not name.strip():
        return None
    similarity = TrigramSimilarity(ImmutableUnaccent(Lower("name")), Value(fold(name)))
    candidates = Organisation.objects.annotate(likeness=similarity).filter(
        likeness__gte=LIKENESS_THRESHOLD
    )
    place = _same_commune(postcode=postcode, city=city, insee_code=insee_code)
    if location is not None:
        near = Q(location__bboverlaps=location.buffer(_DEGREES)) & Q(
            location__distance_lte=(location, D(m=LIKENESS_DISTANCE_M))
        )
        place = near | (Q(location__isnull=True) & place) if place else near
        candidates = candidates.annotate(distance=Distance("location", location))
    elif not place:
        return None
    found = candidates.filter(place).order_by("-likeness", "pk").first()
    if found is None:
        return None
    distance = getattr(found, "distance", None)
    return Likeness(found, found.likeness, distance.m if distance is not None else None)


def _same_commune(*, postcode: str, city: str, insee_code: str) -> Q | None:
    conditions = Q()
    if insee_code:
        conditions |= Q(insee_code=insee_code)
    if postcode:
        conditions |= Q(postcode=postcode)
    if city.strip():
        conditions |= Q(city__unaccent__iexact=city.strip())
    return conditions or None
