"""Plain-JSON shapes of the directory's API (`/api/v1/`): pathway, funding schemes, offers.

Built from the selectors' results, field by field, so that the page and the API say the
same thing; no business logic here.
"""

import re
from urllib.parse import urlencode

from django.urls import reverse

from directory.models import FundingScheme, Organisation, SupportOffer
from directory.pathway.places import Place
from directory.pathway.selectors import SCHEME, Match, OrganisationHit, Pathway
from directory.pathway.venues import VenueHit
from directory.records import term_slugs
from directory.selectors.credit import OrganisationCredit

#: What `/api/v1/directory/organisations/` says of an organisation: API name -> model field,
#: each credited in `credit` (the source, or who typed it).
ORGANISATION_API_FIELDS = {
    "name": "name",
    "acronym": "acronym",
    "description": "description",
    "kinds": "kinds",
    "sectors": "sectors",
    "legal_family": "legal_family",
    "legal_form": "legal_form",
    "siret": "siret",
    "siren": "siren",
    "rna_id": "rna_id",
    "street": "street",
    "postcode": "postcode",
    "city": "city",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "location": "location",
    "qpv_code": "qpv_code",
}


def _slugs(manager) -> list[str]:
    return [item.slug for item in manager.all()]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _amount(value) -> float | None:
    return None if value is None else float(value)


def funding_scheme_as_dict(scheme: FundingScheme) -> dict:
    """A funding scheme as `/api/v1/funding-schemes/` lists it (stages etc. prefetched)."""
    return {
        "type": "funding-scheme",
        "slug": scheme.slug,
        "name": scheme.name,
        "page": reverse("directory:funding-scheme", kwargs={"slug": scheme.slug}),
        "url": scheme.url,
        "stages": _slugs(scheme.stages),
        "instruments": _slugs(scheme.instruments),
        "legal_families": _slugs(scheme.eligible_legal_families),
        "sectors": _slugs(scheme.sectors),
        "scale_up_strategies": _slugs(scheme.scale_up_strategies),
        "co_financeable_with": [
            {"slug": other.slug, "name": other.name} for other in scheme.co_financeable_with.all()
        ],
        "territory_scope": scheme.territory_scope,
        "territory_label": scheme.territory_label,
        "funders": [{"slug": o.slug, "name": o.name} for o in scheme.funders.all()],
        "funders_label": scheme.funders_label,
        "amount_min": _amount(scheme.amount_min),
        "amount_max": _amount(scheme.amount_max),
        "amount_text": scheme.amount_text,
        "eligibility_text": scheme.eligibility_text,
        "recurrence": scheme.recurrence,
        "opens_on": _date(scheme.opens_on),
        "closes_on": _date(scheme.closes_on),
    }


def support_offer_as_dict(offer: SupportOffer) -> dict:
    """A support offer as `/api/v1/support-offers/` lists it (relations prefetched)."""
    provider = offer.provider
    return {
        "type": "support-offer",
        "slug": offer.slug,
        "name": offer.name,
        "page": reverse("directory:support-offer", kwargs={"slug": offer.slug}),
        "url": offer.url,
        "stages": _slugs(offer.stages),
        "kinds": _slugs(offer.kinds),
        "legal_families": _slugs(offer.eligible_legal_families),
        "sectors": _slugs(offer.sectors),
        "territory_scope": offer.territory_scope,
        "territory_label": offer.territory_label,
        "provider": {"slug": provider.slug, "name": provider.name} if provider else None,
        "provider_label": offer.provider_label,
        "cost": offer.cost,
        "cost_details": offer.cost_details,
        "eligibility_text": offer.eligibility_text,
    }


#: What Django's `slug` path converter accepts: such a slug goes into a URL unquoted.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "cartess-slug-placeholder"


class DetailPages:
    """The detail page of many schemes or offers: `reverse()` resolves each route once and
    the slug is put in its place (issue 20: reversing 600 URLs cost more than the SQL).
    A slug the `slug` converter would refuse goes through `reverse()`, which says so."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def url(self, route: str, slug: str) -> str:
        if not _SLUG.fullmatch(slug):
            return reverse(route, kwargs={"slug": slug})
        pattern = self._patterns.get(route)
        if pattern is None:
            pattern = self._patterns[route] = reverse(route, kwargs={"slug": _PLACEHOLDER})
        return pattern.replace(_PLACEHOLDER, slug)


def match_as_dict(match: Match, *, pages: DetailPages | None = None) -> dict:
    """One judged scheme or offer: its identity, score, status and reasons in French.
    `pages` shares the resolved routes between the items of one answer."""
    offer = match.offer
    route = "directory:funding-scheme" if match.kind == SCHEME else "directory:support-offer"
    return {
        "type": "funding-scheme" if match.kind == SCHEME else "support-offer",
        "slug": offer.slug,
        "name": offer.name,
        "page": (pages or DetailPages()).url(route, offer.slug),
        "url": offer.url,
        "score": match.score,
        "status": match.status,
        "stages": [term.slug for term in match.stages],
        "reasons": [verdict.text for verdict in match.reasons],
        "to_check": [verdict.text for verdict in match.checks],
        "excluded_because": [verdict.text for verdict in match.exclusions],
        "combine_with": [{"slug": other.slug, "name": other.name} for other in match.partners],
    }


def organisation_hit_as_dict(hit: OrganisationHit) -> dict:
    organisation = hit.organisation
    location = organisation.location
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "page": reverse("directory:organisation", kwargs={"slug": organisation.slug}),
        "roles": list(hit.roles),
        "lat": round(location.y, 6) if location else None,
        "lon": round(location.x, 6) if location else None,
        "distance_m": None if hit.distance_m is None else round(hit.distance_m),
    }


def place_as_dict(place: Place) -> dict:
    return {
        "kind": place.kind,
        "label": place.label,
        "found": place.found,
        "in_territory": place.in_territory,
        "lat": place.lat,
        "lon": place.lon,
    }


def pathway_as_dict(pathway: Pathway, *, today) -> dict:
    """The whole pathway as `/api/v1/pathway/` serves it, in the page's order."""
    project = pathway.project
    pages = DetailPages()

    def matches(items: list[Match]) -> list[dict]:
        return [match_as_dict(match, pages=pages) for match in items]

    return {
        "date": today.isoformat(),
        "project": {
            "stage": project.stage,
            "legal_family": project.legal_family or None,
            "sector": project.sector or None,
            "needs": sorted(project.needs),
            "instruments": list(project.instruments),
            "amount": project.amount,
            "support_kinds": list(project.support_kinds),
            "strategy": project.strategy or None,
            "place_services": list(project.place_services),
        },
        "place": place_as_dict(pathway.place),
        "count": pathway.count,
        "funding_schemes": matches(pathway.schemes),
        "support_offers": matches(pathway.support_offers),
        "soon": matches(pathway.soon),
        "organisations": [organisation_hit_as_dict(hit) for hit in pathway.organisations],
        "road_ahead": [
            {
                "stage": step.stage.slug,
                "stage_name": step.stage.name,
                "carried_on": step.carried_on,
                "opening": matches(step.matches),
            }
            for step in pathway.road_ahead
        ],
        "recurring": matches(pathway.recurring),
        "excluded": matches(pathway.excluded),
        "places": [venue_as_dict(hit, stage=project.stage) for hit in pathway.venues],
    }


def venue_as_dict(hit: VenueHit, *, stage: str) -> dict:
    """A place that can host the project: the services asked for that it offers, with
    their conditions, and where to ask it for room."""
    organisation = hit.organisation
    location = organisation.location
    ask = reverse("mobilisations:space-request", kwargs={"slug": organisation.slug})
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "page": reverse("directory:organisation", kwargs={"slug": organisation.slug}),
        "place_roles": list(organisation.place_roles),
        "lat": round(location.y, 6) if location else None,
        "lon": round(location.x, 6) if location else None,
        "distance_m": None if hit.distance_m is None else round(hit.distance_m),
        "services": [
            {
                "kind": service.slug,
                "name": service.name,
                "free": service.free,
                "price": service.price,
                "on_reservation": service.on_reservation,
                "social_lease": service.social_lease,
                "audience": service.audience,
                "conditions": service.conditions,
            }
            for service in hit.services
        ],
        "request_space": f"{ask}?{urlencode({'etape': stage})}",
    }


def pathway_points(pathway: Pathway) -> list[dict]:
    """The structures to contact and the places that can host the project (issue 17) that
    have a point, for the pathway's small map: one point per organisation, `venue` true for
    a place (with the services asked for that it offers), `contact` true for a structure to
    contact; an organisation that is both is one point with both. No query."""
    points: dict[str, dict] = {}
    for hit in pathway.organisations:
        if hit.organisation.location:
            point = organisation_hit_as_dict(hit)
            points[point["slug"]] = {**point, "contact": True, "venue": False, "services": []}
    for venue in pathway.venues:
        organisation = venue.organisation
        if not organisation.location:
            continue
        services = [service.name for service in venue.services]
        point = points.get(organisation.slug)
        if point is None:
            point = points[organisation.slug] = {
                **organisation_hit_as_dict(OrganisationHit(organisation, (), venue.distance_m)),
                "contact": False,
            }
        point.update(venue=True, services=services)
    return list(points.values())


def _organisation_values(organisation: Organisation) -> dict:
    location = organisation.location
    family = organisation.legal_family
    return {
        **{name: getattr(organisation, name) for name in ORGANISATION_API_FIELDS},
        "kinds": term_slugs(organisation, "kinds"),
        "sectors": term_slugs(organisation, "sectors"),
        "legal_family": family.slug if family else "",
        "location": {"lat": round(location.y, 6), "lon": round(location.x, 6)}
        if location
        else None,
    }


def organisation_as_dict(organisation: Organisation, credit: OrganisationCredit) -> dict:
    """A published organisation as `/api/v1/directory/organisations/` lists it: its facts,
    `credit` for each fact that has a value (the page's words in `text`, the sources with
    licence and date, or who typed it and when) and `sources`, every source of the record
    (kinds, sectors and legal family loaded)."""
    values = _organisation_values(organisation)
    return {
        "slug": organisation.slug,
        "page": reverse("directory:organisation", kwargs={"slug": organisation.slug}),
        **values,
        "last_verified_on": _date(organisation.last_verified_on),
        "credit": {
            name: credit.field_as_dict(field)
            for name, field in ORGANISATION_API_FIELDS.items()
            if values[name] not in ("", None, [])
        },
        "sources": [
            {
                "name": source.name,
                "url": source.url,
                "licence": source.licence,
                "licence_url": source.licence_url,
                "external_id": source.external_id,
                "first_seen_on": source.first_seen_at.date().isoformat(),
                "last_seen_on": source.last_seen_at.date().isoformat(),
                "data_dated": source.dated,
            }
            for source in credit.sources
        ],
    }
