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
(TYPE_KINDS), its cost from `frais`, its link `lien_mobilisation` (else `lien_source`).
The service's producer, licence and `date_maj` stay in its provenance (raw record). A
person's name (`contact_nom_prenom`), email and phone are never read.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import SupportCost
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
    """OTHER_THEMES when none of the service's thematiques is in THEME_STAGES. Pure."""
    if any(theme in THEME_STAGES for theme in terms(text(raw, "thematiques"))):
        return ""
    return str(OTHER_THEMES)


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
    data = SupportOfferData(
        name=name,
        description=text(raw, "description"),
        url=link,
        stages=tuple(sorted({THEME_STAGES[theme] for theme in themes if theme in THEME_STAGES})),
        kinds=(kind,) if kind else (),
        cost=FRAIS_COSTS.get(text(raw, "frais").lower(), SupportCost.UNKNOWN),
        cost_details=text(raw, "frais_precisions")[:255],
        eligibility_text="\n".join(part for part in eligibility if part),
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


def terms(value: str) -> list[str]:
    """A list field (thematiques): a JSON array or comma-separated values, lowered. Pure."""
    value = value.strip()
    if value.startswith("["):
        try:
            parsed = json_parse(value, name="thematiques")
        except ImportFailed:
            parsed = []
        items = parsed if isinstance(parsed, list) else []
    else:
        items = value.split(",")
    return [str(item).strip().lower() for item in items if str(item).strip()]
