"""schema.org JSON-LD of the detail pages, for search engines and reusers who read the page
itself: an organisation is an `Organization` (and a `Place` when it is a place of the ESS),
a funding scheme a `FinancialProduct`, a `GovernmentService` or a `Service`
(`funding_scheme_json_ld` says why). Only facts Cartess holds: an empty field is
left out, never guessed.

The template tag `{% json_ld data %}` (directory.templatetags.structured_data) writes it as a
`<script type="application/ld+json">` data block: the browser never runs it, so the strict
Content-Security-Policy (script-src 'self') does not block it and needs no nonce.
"""

from typing import Any

from django.urls import reverse

from directory.models import FundingScheme, Organisation

SCHEMA_ORG = "https://schema.org"
ANNUAIRE_ENTREPRISES = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"
#: Instruments that are repaid or invested: a product of a financial institution, which is
#: what schema.org's FinancialProduct describes (it carries the amount).
FINANCIAL_INSTRUMENTS = frozenset(
    {
        "pret",
        "pret-d-honneur",
        "garantie",
        "avance-remboursable",
        "fonds-propres",
        "quasi-fonds-propres",
    }
)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def _address(organisation: Organisation) -> dict[str, Any]:
    return _without_empty(
        {
            "@type": "PostalAddress",
            "streetAddress": organisation.street,
            "postalCode": organisation.postcode,
            "addressLocality": organisation.city,
            "addressCountry": "FR" if organisation.city or organisation.postcode else "",
        }
    )


def _geo(organisation: Organisation) -> dict[str, Any] | None:
    point = organisation.location
    if point is None:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": round(point.y, 6),
        "longitude": round(point.x, 6),
    }


def _organisation_type(organisation: Organisation) -> str | list[str]:
    """`Organization`, or both `Organization` and `Place` for a place of the ESS (a
    tiers-lieu, lieu totem or lieu-ressource: `place_roles`), a building people go to."""
    return ["Organization", "Place"] if organisation.place_roles else "Organization"


def organisation_json_ld(*, organisation: Organisation, page_url: str) -> dict[str, Any]:
    """The `Organization` of `organisation` (also a `Place` when it has a place role),
    whose Cartess page is `page_url` (absolute): its own website as `url` (else the page),
    the address and point, and as `sameAs` its entry in the Annuaire des entreprises when
    Cartess knows its SIREN."""
    address = _address(organisation)
    same_as = [ANNUAIRE_ENTREPRISES.format(siren=organisation.siren)] if organisation.siren else []
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": _organisation_type(organisation),
            "@id": page_url,
            "mainEntityOfPage": page_url,
            "name": organisation.name,
            "alternateName": organisation.acronym,
            "description": organisation.description,
            "url": organisation.website or page_url,
            "email": organisation.email,
            "telephone": organisation.phone,
            "address": address if len(address) > 1 else None,
            "geo": _geo(organisation),
            "sameAs": same_as,
            "identifier": organisation.siret or organisation.siren,
            "dissolutionDate": organisation.closed_on.isoformat()
            if organisation.closed_on
            else None,
        }
    )


def _amount(scheme: FundingScheme) -> dict[str, Any] | None:
    if scheme.amount_min is None and scheme.amount_max is None:
        return None
    return _without_empty(
        {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "minValue": None if scheme.amount_min is None else float(scheme.amount_min),
            "maxValue": None if scheme.amount_max is None else float(scheme.amount_max),
        }
    )


#: The organisation kind of a public body (a city, a department, a region, the State).
PUBLIC_BODY_KIND = "collectivite"


def _is_public_body(funder: Organisation) -> bool:
    return any(kind.slug == PUBLIC_BODY_KIND for kind in funder.kinds.all())


def _scheme_type(*, financial: bool, funders: list[Organisation]) -> str:
    """`FinancialProduct` when an instrument is repaid or invested; else `GovernmentService`
    when every funder listed in Cartess is a public body (kind collectivité), which is what
    that type asserts; else `Service` (foundations, banks, networks, or funders only named)."""
    if financial:
        return "FinancialProduct"
    if funders and all(_is_public_body(funder) for funder in funders):
        return "GovernmentService"
    return "Service"


def funding_scheme_json_ld(
    *, scheme: FundingScheme, page_url: str, absolute: Any
) -> dict[str, Any]:
    """The scheme as a `FinancialProduct` (with its amount), a `GovernmentService` or a
    `Service` (`_scheme_type`), its funders as providers (`GovernmentOrganization` for a
    public body). `absolute` turns a path into a URL (`request.build_absolute_uri`). Reads
    the prefetched instruments, funders and their kinds."""
    instruments = list(scheme.instruments.all())
    financial = any(instrument.slug in FINANCIAL_INSTRUMENTS for instrument in instruments)
    funders = list(scheme.funders.all())
    providers = [
        {
            "@type": "GovernmentOrganization" if _is_public_body(funder) else "Organization",
            "name": funder.name,
            "@id": absolute(reverse("directory:organisation", kwargs={"slug": funder.slug})),
        }
        for funder in funders
    ]
    if not providers and scheme.funders_label:
        providers = [{"@type": "Organization", "name": scheme.funders_label}]
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": _scheme_type(financial=financial, funders=funders),
            "@id": page_url,
            "mainEntityOfPage": page_url,
            "name": scheme.name,
            "description": scheme.description,
            "url": scheme.url or page_url,
            "category": [instrument.name for instrument in instruments],
            "provider": providers,
            "areaServed": scheme.territory_label,
            "amount": _amount(scheme) if financial else None,
        }
    )
