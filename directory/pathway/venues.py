"""The places that can host a project (issue 17): what the pathway proposes when the holder
needs premises or a service a place offers ("Avez-vous besoin d'un lieu ?").

Read from each place's own service rows (cartography's `PlaceService`, through the
organisation's `place_services` relation: the directory does not import cartography) and
its place roles. Loaded in the same query as the organisations to contact
(`selectors.contacts_get`). Reads only.
"""

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject
from django.utils.translation import gettext as _

from directory.models import Organisation, PublicationStatus


@dataclass(frozen=True)
class VenueService:
    """One service a place offers that the holder asked for, with its conditions."""

    slug: str
    name: str
    free: bool = False
    price: str = ""
    on_reservation: bool = False
    social_lease: bool = False
    audience: str = ""

    @property
    def conditions(self) -> list[str]:
        """Its conditions in French, in the order the page lists them."""
        said = []
        if self.free:
            said.append(_("gratuit"))
        elif self.price:
            said.append(self.price)
        if self.on_reservation:
            said.append(_("sur réservation"))
        if self.social_lease:
            said.append(_("bail commercial d'utilité sociale accepté"))
        if self.audience:
            said.append(_("pour : %(audience)s") % {"audience": self.audience})
        return said


@dataclass(frozen=True)
class VenueHit:
    """A place offering some of the services asked for; `distance_m` from the project."""

    organisation: Organisation
    services: tuple[VenueService, ...]
    distance_m: float | None

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000


def _service_rows(services: tuple[str, ...]):
    model = Organisation._meta.get_field("place_services").related_model
    return model.objects.filter(organisation=OuterRef("pk"), kind__slug__in=services)


def venue_condition(*, services: tuple[str, ...]) -> Q:
    """The published, open organisations that offer one of `services` (slugs of the place
    service kinds) as a Q; matches nothing when none is asked."""
    if not services:
        return Q(pk__in=[])
    return Q(
        Exists(_service_rows(services)),
        publication_status=PublicationStatus.PUBLISHED,
        closed_on__isnull=True,
    )


def venue_services_annotated(*, services: tuple[str, ...]) -> ArraySubquery:
    """An organisation's services among `services`, in the taxonomy's order, as a list of
    JSON objects (VenueService's fields): an annotation, no query of its own."""
    rows = _service_rows(services).order_by("kind__position", "kind__name")
    return ArraySubquery(
        rows.values(
            json=JSONObject(
                slug="kind__slug",
                name="kind__name",
                free="free",
                price="price",
                on_reservation="on_reservation",
                social_lease="social_lease",
                audience="audience",
            )
        )
    )


def venue_services(values: list[dict] | None) -> tuple[VenueService, ...]:
    """The annotation of venue_services_annotated as VenueService."""
    return tuple(VenueService(**value) for value in values or ())
