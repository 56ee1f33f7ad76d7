"""Organisations and support offers in the data·inclusion schema v1 (`Structure`, `Service`
of the `data-inclusion-schema` package), the format the national inclusion platforms share.

The rows are plain values (lists as lists, numbers as numbers) that the package's pydantic
models accept; `directory.exports.tables` writes them as CSV for a French spreadsheet. Each row
also says where it comes from: `sources` (each with its licence), `licence` (of the export)
and `date_extraction`, columns the schema does not forbid.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from directory.exports.package import ExportSource, iso_z
from directory.models import (
    EditedBy,
    Organisation,
    Provenance,
    PublicationStatus,
    SupportCost,
    SupportOffer,
    TerritoryScope,
)

#: The producer's name in the `source` column and the prefix of every `id` (data·inclusion
#: ids are "<producer>--<id at the producer>").
PRODUCER = "cartess"

#: The departments of Hauts-de-France: data·inclusion lists a region's departments.
HAUTS_DE_FRANCE = ["02", "59", "60", "62", "80"]
#: The Métropole Européenne de Lille (SIREN, the COG's EPCI code) and the Nord.
MEL_EPCI = "200093201"
NORD = "59"

#: A support kind (slug) that makes the service a formation or an information; every other
#: kind is an accompagnement.
SERVICE_TYPE_BY_KIND = {"formation": "formation", "information-orientation": "information"}
#: data·inclusion's "créer une entreprise" themes for the stages of Cartess's life cycle.
THEMES_BY_STAGE = {
    "pre-amorcage": "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
    "amorcage": "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
    "consolidation": "creer-une-entreprise--developper-son-entreprise",
    "changement-d-echelle": "creer-une-entreprise--developper-son-entreprise",
}
FEES_BY_COST = {SupportCost.FREE: "gratuit", SupportCost.PAID: "payant"}

STRUCTURE_COLUMNS = [
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "sources",
    "licence",
    "date_extraction",
]
SERVICE_COLUMNS = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics_precisions",
    "zone_eligibilite",
    "lien_mobilisation",
    "sources",
    "licence",
    "date_extraction",
]


def _absolute(path: str) -> str:
    return settings.CARTESS_SITE_URL.rstrip("/") + path


def _credits(model, ids: Iterable[int]) -> dict[int, list[str]]:
    """Per record, its sources as "name (licence : X)", by name. One query."""
    by_record: dict[int, list[str]] = defaultdict(list)
    provenances = (
        Provenance.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
        )
        .select_related("source")
        .order_by("source__name")
    )
    for provenance in provenances:
        source = provenance.source
        credit = ExportSource(source.name, source.url, source.licence, source.licence_url).credit
        if credit not in by_record[provenance.object_id]:
            by_record[provenance.object_id].append(credit)
    return by_record


def _origin(sources: list[str], extracted_at: datetime | None) -> dict:
    return {
        "sources": sources or [_("Cartess (saisi par une personne)")],
        "licence": settings.CARTESS_EXPORT_LICENCE,
        "date_extraction": iso_z(extracted_at),
    }


def _name(name: str, *, place: str) -> str:
    """data·inclusion names have 3 to 150 characters: a shorter name gets its place."""
    if len(name) < 3:
        name = f"{name} ({place or 'Lille'})"
    return name[:150]


def _text(value: str) -> str | None:
    """A text of at least five characters (the schema's minimum), else none."""
    value = value.strip()
    return value[:10000] if len(value) >= 5 else None


def structure_queryset() -> QuerySet[Organisation]:
    """Published organisations that have not closed, by name."""
    return Organisation.objects.filter(
        publication_status=PublicationStatus.PUBLISHED, closed_on__isnull=True
    ).order_by("name", "pk")


def structure_id(organisation_pk: int) -> str:
    return f"{PRODUCER}--{organisation_pk}"


def structure_rows(*, extracted_at: datetime | None) -> list[dict]:
    """Every published, open organisation as a data·inclusion `Structure`, its `sources`
    followed by who last corrected it by hand. Two queries."""
    organisations = list(structure_queryset().select_related("edited_by_network"))
    credits = _credits(Organisation, (o.pk for o in organisations))
    typed = [_("Cartess (saisi par une personne)")]
    return [
        _structure(
            organisation,
            [*(credits[organisation.pk] or typed), *_edited(organisation)],
            extracted_at,
        )
        for organisation in organisations
    ]


def _edited(organisation: Organisation) -> list[str]:
    """Who last corrected `organisation` by hand and when (directory.edit_credit, issue 13),
    in the words of the map's popup; [] when nobody did."""
    if not organisation.edited_by:
        return []
    date = formats.date_format(organisation.edited_on)
    network = organisation.edited_by_network
    if organisation.edited_by == EditedBy.OWNER:
        text = _("Mis à jour par la structure le {date}")
    elif organisation.edited_by == EditedBy.NETWORK and network is not None:
        text = _("Mis à jour par le réseau {network} le {date}")
    elif organisation.edited_by == EditedBy.NETWORK:
        text = _("Mis à jour par un réseau le {date}")
    else:
        text = _("Mis à jour par l'équipe Cartess le {date}")
    name = (network.acronym or network.name) if network is not None else ""
    return [text.format(network=name, date=date)]


def _structure(
    organisation: Organisation, sources: list[str], extracted_at: datetime | None
) -> dict:
    location = organisation.location
    page = reverse("directory:organisation", kwargs={"slug": organisation.slug})
    return {
        "source": PRODUCER,
        "id": structure_id(organisation.pk),
        "nom": _name(organisation.name, place=organisation.city),
        "date_maj": timezone.localdate(organisation.updated_at).isoformat(),
        "description": _text(organisation.description),
        "lien_source": _absolute(page),
        "siret": organisation.siret or None,
        "commune": organisation.city or None,
        "code_postal": organisation.postcode or None,
        "code_insee": organisation.insee_code or None,
        "adresse": organisation.street or None,
        "complement_adresse": organisation.address_complement or None,
        "longitude": round(location.x, 6) if location else None,
        "latitude": round(location.y, 6) if location else None,
        "telephone": organisation.phone or None,
        "courriel": organisation.email or None,
        "site_web": organisation.website or None,
        **_origin(sources, extracted_at),
    }


def service_queryset() -> QuerySet[SupportOffer]:
    """Published support offers by name, with their provider, kinds and stages."""
    return (
        SupportOffer.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        .select_related("provider")
        .prefetch_related(
            "kinds",
            "stages",
            Prefetch(
                "territory_areas",
                queryset=SupportOffer._meta.get_field("territory_areas").related_model.objects.only(
                    "kind", "code"
                ),
            ),
        )
        .order_by("name", "pk")
    )


def service_rows(*, extracted_at: datetime | None) -> list[dict]:
    """Every published support offer as a data·inclusion `Service`. Four queries.

    `structure_id` names the provider's row of the structures file when the provider is a
    published, open listing; empty when the source names no operator (its name, as the
    source writes it, stays in the description)."""
    offers = list(service_queryset())
    listed = set(structure_queryset().values_list("pk", flat=True))
    credits = _credits(SupportOffer, (o.pk for o in offers))
    return [_service(offer, listed, credits[offer.pk], extracted_at) for offer in offers]


def _service(offer: SupportOffer, listed: set[int], sources: list[str], extracted_at) -> dict:
    kinds = [kind.slug for kind in offer.kinds.all()]
    themes = sorted(
        {THEMES_BY_STAGE[s.slug] for s in offer.stages.all() if s.slug in THEMES_BY_STAGE}
    )
    page = reverse("directory:support-offer", kwargs={"slug": offer.slug})
    provider = offer.provider_id if offer.provider_id in listed else None
    return {
        "source": PRODUCER,
        "structure_id": structure_id(provider) if provider else "",
        "id": f"{PRODUCER}--accompagnement-{offer.pk}",
        "nom": _name(offer.name, place=""),
        "description": _service_description(offer),
        "lien_source": _absolute(page),
        "date_maj": timezone.localdate(offer.updated_at).isoformat(),
        "type": next((SERVICE_TYPE_BY_KIND[k] for k in kinds if k in SERVICE_TYPE_BY_KIND), None)
        or "accompagnement",
        "thematiques": themes or None,
        "frais": FEES_BY_COST.get(offer.cost),
        "frais_precisions": offer.cost_details or None,
        "publics_precisions": offer.eligibility_text or None,
        "zone_eligibilite": eligibility_zone(offer),
        "lien_mobilisation": offer.url or None,
        **_origin(sources, extracted_at),
    }


def _service_description(offer: SupportOffer) -> str:
    """The offer's presentation, else what Cartess knows of it in one sentence."""
    if text := _text(offer.description):
        return text
    kinds = ", ".join(kind.name for kind in offer.kinds.all()) or _("accompagnement")
    operator = offer.provider.name if offer.provider else offer.provider_label
    summary = _("%(name)s : %(kinds)s.") % {"name": offer.name, "kinds": kinds}
    if operator:
        summary += " " + _("Proposé par %(operator)s.") % {"operator": operator}
    return summary


def eligibility_zone(offer: SupportOffer) -> list[str] | None:
    """COG codes of where the offer reaches (communes, EPCI, departments, `france`); none
    when its scope is not known."""
    communes = [a.code for a in offer.territory_areas.all() if a.kind == "commune"]
    scope = offer.territory_scope
    if scope in (TerritoryScope.QUARTIER, TerritoryScope.COMMUNE):
        return communes or [settings.CARTESS_TERRITORY_INSEE_CODES[0]]
    return {
        TerritoryScope.EPCI: [MEL_EPCI],
        TerritoryScope.DEPARTEMENT: [NORD],
        TerritoryScope.REGION: HAUTS_DE_FRANCE,
        TerritoryScope.NATIONAL: ["france"],
        TerritoryScope.EUROPE: ["france"],
    }.get(scope)
