"""data·inclusion services (schema v1, `Service`): the support offers of the Lille
structures Cartess keeps (issue 15).

A service belongs to a structure of the same producer (`source`, `structure_id`). It is
imported only when its structure lies in the territory (the structure's `code_insee`; a
service of any other structure is counted out of the territory) and when one of its
`thematiques` is about creating or developing an activity, `creer-une-entreprise--*`
(THEME_STAGES): data·inclusion's other themes (housing, health, mobility, job search...)
are the social support of people, not what Cartess lists, and are set aside by that named
rule. A kept service becomes a SupportOffer provided by its structure: its stages from the
thematiques (THEME_STAGES), its kinds from the service `type` when it says one
(TYPE_KINDS), its cost from `frais`, its link `lien_mobilisation` (else `lien_source`), its
territory from `zone_eligibilite` (`zone_scope`: the widest of its codes that contains Lille,
Hellemmes and Lomme; a service whose zone contains none of them is set aside, one without a
zone says its territory is to be checked).
The service's producer, licence and `date_maj` stay in its provenance (raw record). A
person's name (`contact_nom_prenom`), email and phone are never read.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.exports.data_inclusion import MEL_EPCI, NORD
from directory.models import SupportCost, TerritoryScope
from directory.records import SupportOfferData
from importers.engine.base import Mapped, RawRow
from importers.engine.context import LoadContext
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.loaders import SupportOfferLoader
from importers.engine.mapping import clean_website, required_text, text
from importers.io.bounded import json_parse
from importers.io.json_items import json_records, keys_check, objects_only
from importers.io.readers import csv_rows

SERVICES = "services"
SERVICE_REQUIRED = ("source", "id", "structure_id", "nom")
SERVICE_OPTIONAL = (
    "description",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics_precisions",
    "conditions_acces",
    "lien_mobilisation",
    "lien_source",
    "zone_eligibilite",
)
#: thematiques (referentiel v1) -> the stage of the pathway they name.
THEME_STAGES = {
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": "pre-amorcage",
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": "amorcage",
    "creer-une-entreprise--developper-son-entreprise": "consolidation",
}
#: types_de_services (referentiel v1) -> SupportKind; "accompagnement", "atelier" and the
#: aids say nothing more precise, and no kind is guessed for them.
TYPE_KINDS = {"information": "information-orientation", "formation": "formation"}
FRAIS_COSTS = {"gratuit": SupportCost.FREE, "payant": SupportCost.PAID}
OTHER_THEMES = gettext_lazy(
    "services hors création et développement d'activité (thématiques data·inclusion autres "
    "que creer-une-entreprise)"
)


#: `zone_eligibilite` codes (the COG's: communes, departments, EPCI by SIREN, `france` or the
#: country code 99100) that contain the whole territory, widest first, with the scope and
#: the label they give the offer (the same codes as the data·inclusion export writes).
ZONE_SCOPES = (
    (frozenset({"france", "99100"}), TerritoryScope.NATIONAL, gettext_lazy("France entière")),
    (frozenset({NORD}), TerritoryScope.DEPARTEMENT, "Nord"),
    (frozenset({MEL_EPCI}), TerritoryScope.EPCI, "Métropole Européenne de Lille"),
)
#: The territory's communes as zone codes: name and reference area (communes layer).
ZONE_COMMUNES = {
    "59350": ("Lille", "commune:59350"),
    "59298": ("Hellemmes", "commune-associee:59298"),
    "59355": ("Lomme", "commune-associee:59355"),
}
OUTSIDE_ZONE = gettext_lazy(
    "services dont la zone d'éligibilité ne comprend ni Lille, ni Hellemmes, ni Lomme"
)


def zone_scope(value: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(TerritoryScope, label, reference areas) of a `zone_eligibilite`: the widest of its
    codes that contains the territory (ZONE_SCOPES), else its communes of the territory
    (ZONE_COMMUNES, with their areas, so that PostGIS says which places they hold);
    ("", "", ()) without a zone (the pathway then says the territory is to be checked);
    None when no code is of the territory (the service is not for Lille). Pure."""
    codes = set(terms(value, name="zone_eligibilite"))
    if not codes:
        return "", "", ()
    for zone, scope, label in ZONE_SCOPES:
        if codes & zone:
            return scope, str(label), ()
    communes = [ZONE_COMMUNES[code] for code in sorted(codes) if code in ZONE_COMMUNES]
    if not communes:
        return None
    names, areas = zip(*communes, strict=True)
    return TerritoryScope.COMMUNE, ", ".join(names), areas


def service_rows(path: Path) -> Iterator[RawRow]:
    """The services of a CSV file or a JSON list (or {"items": [...]}), table SERVICES.
    Raises ImportFailed when the file is unreadable or lacks a required field."""
    if path.suffix.lower() != ".json":
        columns = {"columns": SERVICE_REQUIRED, "optional": SERVICE_OPTIONAL}
        yield from csv_rows(path, **columns, table=SERVICES)
        return
    records = json_records(
        path,
        key="items",
        check=lambda _records, items: keys_check(objects_only(items), SERVICE_REQUIRED, path.name),
    )
    if records.items is None:
        raise ImportFailed(_("%(path)s n'est pas une liste de services.") % {"path": path.name})
    for number, record in enumerate(objects_only(records.items()), start=1):
        yield RawRow(number=number, data=_selected(record), table=SERVICES)


def _selected(record: dict) -> dict[str, str]:
    data = {}
    for name in (*SERVICE_REQUIRED, *SERVICE_OPTIONAL):
        value = record.get(name)
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        data[name] = "" if value is None else str(value).strip()
    return data


def structure_ref(raw: dict) -> str:
    """The external id of the service's structure in the `data-inclusion` source."""
    return f"{text(raw, 'source')}:{text(raw, 'structure_id')}"


def service_ref(raw: dict) -> str:
    """The external id of a service ("" without producer or id)."""
    source, identifier = text(raw, "source"), text(raw, "id")
    return f"{SERVICES}:{source}:{identifier}" if source and identifier else ""


def service_set_aside(raw: dict) -> str:
    """OTHER_THEMES when none of the service's thematiques is in THEME_STAGES; OUTSIDE_ZONE
    when its `zone_eligibilite` holds no code of the territory. Pure."""
    if not any(theme in THEME_STAGES for theme in terms(text(raw, "thematiques"))):
        return str(OTHER_THEMES)
    if zone_scope(text(raw, "zone_eligibilite")) is None:
        return str(OUTSIDE_ZONE)
    return ""


def map_service(raw: dict) -> Mapped:
    """A kept data·inclusion service -> SupportOfferData, linked to its structure. Pure.
    Raises RowRejected without a name or a structure."""
    name = required_text(raw, "nom", _("Nom"))[:255]
    if not text(raw, "structure_id"):
        raise RowRejected(_("Service sans structure (structure_id vide)."))
    themes = terms(text(raw, "thematiques"))
    kind = TYPE_KINDS.get(text(raw, "type").lower())
    link = clean_website(text(raw, "lien_mobilisation")) or clean_website(text(raw, "lien_source"))
    eligibility = [text(raw, "publics_precisions"), text(raw, "conditions_acces")]
    scope, label, areas = zone_scope(text(raw, "zone_eligibilite")) or ("", "", ())
    data = SupportOfferData(
        name=name,
        description=text(raw, "description"),
        url=link,
        stages=tuple(sorted({THEME_STAGES[theme] for theme in themes if theme in THEME_STAGES})),
        kinds=(kind,) if kind else (),
        cost=FRAIS_COSTS.get(text(raw, "frais").lower(), SupportCost.UNKNOWN),
        cost_details=text(raw, "frais_precisions")[:255],
        eligibility_text="\n".join(part for part in eligibility if part),
        territory_scope=scope,
        territory_label=label,
        territory_areas=areas,
    )
    return Mapped(data, links={"provider": (structure_ref(raw),)})


class ServiceOfferLoader(SupportOfferLoader):
    """Support offers of data·inclusion services: the engine's loader, refusing a service
    whose structure this source does not hold (rejected in this run, or never loaded)."""

    def resolve(self, mapped: Mapped, context: LoadContext) -> SupportOfferData:
        data = super().resolve(mapped, context)
        if data.provider is None:
            raise RowRejected(
                _("Structure du service absente de Cartess (rejetée ou jamais importée) : %(id)s.")
                % {"id": ", ".join(mapped.links.get("provider", ()))}
            )
        return data


def terms(value: str, *, name: str = "thematiques") -> list[str]:
    """A list field of data·inclusion (thematiques, zone_eligibilite, a structure's
    reseaux_porteurs: `name`): a JSON array or comma-separated values, lowered; none when
    the array is not JSON or nested past the limit. Pure."""
    value = value.strip()
    if value.startswith("["):
        try:
            parsed = json_parse(value, name=name)
        except ImportFailed:
            parsed = []
        items = parsed if isinstance(parsed, list) else []
    else:
        items = value.split(",")
    return [str(item).strip().lower() for item in items if str(item).strip()]
