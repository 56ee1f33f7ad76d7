"""`aides-territoires`: public funding schemes from Aides-territoires (ANCT / beta.gouv).

Two shapes of the same aids:

- the site's CSV export (`--file aides.csv`): columns Nom, Lien, Financeurs, Bénéficiaire,
  Types d'aides, AAP/AMI, Récurrence, Descriptif, Date Clôture; lists are `;`-separated
  French labels, dates DD/MM/YYYY;
- the API (live default, or `--url <base>/api`; `--file aids.json` reads saved pages):
  `POST <base>/connexion/` with the header `X-AUTH-TOKEN: $AIDES_TERRITOIRES_API_TOKEN`
  gives a bearer JWT, then `GET <base>/aids/` pages `{count, next, previous, results}`.

An aid is identified by its slug (the last part of its page URL), the same in both shapes.

Which aids are kept (the rule of `set_aside`: the others are counted in the run's report,
one label for each part of the rule): its perimeter must contain Lille (commune, MEL, Nord,
Hauts-de-France, France, Europe: importers.sources.aides_perimeter), an aid of another
territory is left out, and an aid of unknown perimeter is never published: it is imported as
a draft for a moderator to place (the site's CSV export has no perimeter: an optional
`Périmètre` column is read when a person adds one). Then an aid
concerns ESS structures when its audiences include "Associations" (ESS by statute), or
include "Entreprises privées" and its name or description speaks of the ESS (ESS, économie
sociale et solidaire, ESUS, SCOP, SCIC, coopérative, insertion). And it must bring money: an
aid whose only types are engineering (Ingénierie technique, financière, juridique /
administrative) is support, not a funding scheme.

Mapping back to Cartess codes: aid types -> FundingInstrument (AAP/AMI -> appel-a-projets;
"Autre aide financière" has no instrument of its own and adds none); steps -> stages
(conception -> pré-amorçage; mise en œuvre -> amorçage and consolidation; usage /
valorisation -> changement d'échelle; the CSV has no steps: stages stay empty); audiences
-> legal families (Associations -> association; Entreprises privées -> coopérative and
société de l'ESS); recurrence labels -> Recurrence. Expired aids are kept with their
closing date: the site shows them as closed, they never vanish silently.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Recurrence
from directory.records import FundingSchemeData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo
from importers.engine.errors import BadPayload, ImportFailed, RowRejected
from importers.engine.mapping import clean_website, split_terms, text
from importers.io.answers import check_envelope
from importers.io.http import Fetcher
from importers.io.readers import csv_rows, detect_encoding, load_json, require_keys
from importers.sources.aides_perimeter import UnplacedAidLoader, perimeter_covers_lille

API_URL = "https://aides-territoires.beta.gouv.fr/api"
SITE_URL = "https://aides-territoires.beta.gouv.fr"
TOKEN_VARIABLE = "AIDES_TERRITOIRES_API_TOKEN"  # noqa: S105 (a variable name, not a secret)
CSV_COLUMNS = (
    "Nom",
    "Lien",
    "Financeurs",
    "Bénéficiaire",
    "Types d'aides",
    "AAP/AMI",
    "Récurrence",
    "Descriptif",
    "Date Clôture",
)
#: Fields of an /api/aids/ record that decide what it is: absent from every record of a
#: file or a page, the JSON is not the API's (another file, a renamed field).
API_FIELDS = ("name", "url", "targeted_audiences", "aid_types")
ASSOCIATIONS = "associations"
PRIVATE_COMPANIES = "entreprises privées"
ESS_WORDS = re.compile(
    r"\b(ess|esus|scop|scic|économie sociale|coopérati\w*|insertion)\b", re.IGNORECASE
)
#: Aid type labels (lowercased) -> FundingInstrument slugs; () for a type that is money
#: without an instrument of its own. Engineering types are not listed: they are not money.
AID_TYPES = {
    "subvention": ("subvention",),
    "prêt": ("pret",),
    "avance récupérable": ("avance-remboursable",),
    "avance remboursable": ("avance-remboursable",),
    "garantie": ("garantie",),
    "autre aide financière": (),
    "certificat d'économie d'énergie (cee)": (),
}
CALL_FOR_PROJECTS = "appel-a-projets"
#: Not in the site's export: read when a person adds it (see the module's docstring).
CSV_PERIMETER = "Périmètre"
#: Mobilisation steps (lowercased, "œ" written "oe") -> Stage slugs.
STEPS = {
    "réflexion / conception": ("pre-amorcage",),
    "mise en oeuvre / réalisation": ("amorcage", "consolidation"),
    "usage / valorisation": ("changement-d-echelle",),
}
AUDIENCE_FAMILIES = {
    ASSOCIATIONS: ("association",),
    PRIVATE_COMPANIES: ("cooperative", "societe-ess"),
}
RECURRENCES = {
    "permanente": Recurrence.PERMANENT,
    "ponctuelle": Recurrence.ONE_OFF,
    "récurrente": Recurrence.RECURRING,
}


@dataclass(frozen=True)
class Aid:
    """An aid in the terms both shapes share (labels still French)."""

    slug: str
    name: str
    url: str
    funders: tuple[str, ...]
    audiences: tuple[str, ...]
    types: tuple[str, ...]
    steps: tuple[str, ...] = ()
    call_for_projects: bool = False
    recurrence: str = ""
    description: str = ""
    eligibility: str = ""
    perimeter: str = ""
    opens_on: str = ""
    closes_on: str = ""
    amount_text: str = ""
    loan_amount: str = ""


class AidesTerritoiresSource(ImportSource):
    slug = "aides-territoires"
    #: 3: the perimeter must contain Lille; 4: an unknown perimeter makes a draft.
    mapping_version = 4
    info = SourceInfo(
        name="Aides-territoires",
        publisher="Agence nationale de la cohésion des territoires (ANCT), beta.gouv.fr",
        licence="Licence Ouverte 2.0 (selon la licence de partage de chaque aide)",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://aides-territoires.beta.gouv.fr/",
        description="Aides publiques ouvertes aux associations et entreprises de l'ESS.",
    )
    default_url = API_URL
    is_api = True

    def read(self, path: Path) -> Iterator[RawRow]:
        if path.suffix.lower() == ".json":
            return _json_rows(path)
        # The site exports UTF-8; a copy saved again by a spreadsheet is often cp1252.
        encoding = detect_encoding(path)
        return csv_rows(
            path, columns=CSV_COLUMNS, optional=(CSV_PERIMETER,), table="csv", encoding=encoding
        )

    def fetch(self, url: str, fetcher: Fetcher) -> Iterator[RawRow]:
        base = url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_token(fetcher, base)}"}
        pages = fetcher.pages_by_link(f"{base}/aids/", headers=headers)
        items = (item for page in pages for item in _api_records(page["results"], base))
        return (RawRow(number=n, data=item, table="api") for n, item in enumerate(items, start=1))

    def external_id(self, row: RawRow) -> str:
        if row.table == "csv":  # the slug alone: a copy of an aid is refused before parsing
            return slug_of(text(row.data, "Lien"))
        return aid_from_row(row).slug

    def set_aside(self, row: RawRow) -> str:
        """The aids that are not ESS funding schemes (module docstring), by reason. An aid
        without a name or a link is left to `map`, which rejects it."""
        aid = aid_from_row(row)
        if not (aid.name and aid.slug):
            return ""
        if not for_ess_structures(aid):
            return _("aides non destinées aux structures de l'ESS")
        if not brings_money(aid):
            return _("aides sans financement (ingénierie seule)")
        return perimeter_set_aside(aid)

    def map(self, row: RawRow) -> Mapped:
        return map_aid(aid_from_row(row))

    def loaders(self) -> Mapping[type, Any]:
        return {FundingSchemeData: UnplacedAidLoader()}


def api_token(fetcher: Fetcher, base: str) -> str:
    """The bearer JWT of the API, from the account token of settings.AIDES_TERRITOIRES_API_TOKEN.

    Raises ImportFailed when the variable is unset or the API gives no token.
    """
    token = settings.AIDES_TERRITOIRES_API_TOKEN.strip()
    if not token:
        raise ImportFailed(
            _("L'API Aides-territoires demande un jeton : définissez %(var)s, ou donnez --file.")
            % {"var": TOKEN_VARIABLE}
        )
    answer = fetcher.json(f"{base}/connexion/", method="POST", headers={"X-AUTH-TOKEN": token})
    if not isinstance(answer, dict) or not answer.get("token"):
        raise BadPayload(_("%(url)s/connexion/ : pas de jeton dans la réponse.") % {"url": base})
    return str(answer["token"])


def aid_from_row(row: RawRow) -> Aid:
    """The Aid of a CSV row or of an API record. Pure."""
    return aid_from_csv(row.data) if row.table == "csv" else aid_from_api(row.data)


def aid_from_csv(raw: Mapping[str, Any]) -> Aid:
    """An Aid from a row of the site's CSV export. Pure."""
    return Aid(
        slug=slug_of(text(raw, "Lien")),
        name=text(raw, "Nom"),
        url=text(raw, "Lien"),
        funders=tuple(split_terms(text(raw, "Financeurs"))),
        audiences=tuple(split_terms(text(raw, "Bénéficiaire"))),
        types=tuple(split_terms(text(raw, "Types d'aides"))),
        call_for_projects=text(raw, "AAP/AMI").lower() == "oui",
        recurrence=text(raw, "Récurrence"),
        description=text(raw, "Descriptif"),
        closes_on=text(raw, "Date Clôture"),
        perimeter=text(raw, CSV_PERIMETER),
    )


def aid_from_api(raw: Mapping[str, Any]) -> Aid:
    """An Aid from a record of /api/aids/. Pure."""
    return Aid(
        slug=text(raw, "slug") or slug_of(text(raw, "url")),
        name=text(raw, "name"),
        url=urljoin(SITE_URL, text(raw, "url")) if text(raw, "url") else "",
        funders=_labels(raw.get("financers")),
        audiences=_labels(raw.get("targeted_audiences")),
        types=_labels(raw.get("aid_types")),
        steps=_labels(raw.get("mobilization_steps")),
        call_for_projects=raw.get("is_call_for_project") is True,
        recurrence=text(raw, "recurrence"),
        description=_plain(text(raw, "description")),
        eligibility=_plain(text(raw, "eligibility")),
        perimeter=_perimeter(raw.get("perimeter")),
        opens_on=text(raw, "start_date"),
        closes_on=text(raw, "submission_deadline"),
        amount_text=_rate_text(raw),
        loan_amount=text(raw, "loan_amount"),
    )


#: The warning of an aid of unknown perimeter, imported as a draft (UnplacedAidLoader).
UNPLACED = gettext_lazy(
    "périmètre inconnu (l'export CSV n'en donne pas) : aide importée en brouillon, à placer "
    "et publier par la modération"
)


def perimeter_set_aside(aid: Aid) -> str:
    """Why the aid's perimeter keeps it out ("" when it contains Lille)."""
    covers = perimeter_covers_lille(aid.perimeter)
    if covers is False:
        return _("aides hors territoire (périmètre sans Lille)")
    return ""


def concerns_ess(aid: Aid) -> bool:
    """Whether the aid is kept (module docstring: ESS audience, and money)."""
    return for_ess_structures(aid) and brings_money(aid)


def for_ess_structures(aid: Aid) -> bool:
    """Whether the aid is open to associations, or to companies and speaks of the ESS."""
    audiences = {label.lower() for label in aid.audiences}
    return ASSOCIATIONS in audiences or bool(
        PRIVATE_COMPANIES in audiences and ESS_WORDS.search(f"{aid.name} {aid.description}")
    )


def brings_money(aid: Aid) -> bool:
    """Whether one of the aid's types is money (engineering alone is support)."""
    return any(label.lower() in AID_TYPES for label in aid.types)


def map_aid(aid: Aid) -> Mapped:
    """An Aid -> FundingSchemeData. Pure.

    Raises RowRejected for a missing name or slug, or an unreadable date.
    """
    if not aid.name or not aid.slug:
        raise RowRejected(_("Nom ou lien de l'aide manquant."))
    unknown = [label for label in aid.types if label.lower() not in AID_TYPES]
    opens_on, closes_on = parse_date(aid.opens_on), parse_date(aid.closes_on)
    if opens_on and closes_on and opens_on > closes_on:
        opens_on = None
    data = FundingSchemeData(
        name=aid.name[:255],
        description=aid.description,
        url=clean_website(aid.url),
        stages=_terms(aid.steps, STEPS),
        eligible_legal_families=_terms(aid.audiences, AUDIENCE_FAMILIES),
        territory_label=aid.perimeter[:255],
        funders_label=", ".join(aid.funders)[:255],
        instruments=instruments(aid),
        amount_max=_decimal(aid.loan_amount),
        amount_text=aid.amount_text,
        eligibility_text=aid.eligibility,
        recurrence=RECURRENCES.get(aid.recurrence.lower(), ""),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    warnings = []
    if unknown:
        ignored = ", ".join(unknown)
        warnings.append(_("types d'aide non financiers ignorés : %(t)s") % {"t": ignored})
    if perimeter_covers_lille(aid.perimeter) is None:
        warnings.append(str(UNPLACED))
    return Mapped(data, warnings=tuple(warnings))


def instruments(aid: Aid) -> tuple[str, ...]:
    """FundingInstrument slugs of the aid's types, plus appel-a-projets for an AAP/AMI."""
    slugs = {slug for label in aid.types for slug in AID_TYPES.get(label.lower(), ())}
    if aid.call_for_projects:
        slugs.add(CALL_FOR_PROJECTS)
    return tuple(sorted(slugs))


def parse_date(value: str) -> date | None:
    """A date written DD/MM/YYYY or YYYY-MM-DD; None when empty. Raises RowRejected."""
    value = value.strip()
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    raise RowRejected(_("Date illisible : %(value)r.") % {"value": value})


def slug_of(url: str) -> str:
    """The aid's slug: the part after /aides/ in its page URL (/aides/<slug>/); "" when the
    URL names none (e.g. /aides//)."""
    parts = [part for part in urlsplit(url).path.split("/") if part]
    return parts[-1] if len(parts) >= 2 and parts[-2] == "aides" else ""


def _json_rows(path: Path) -> Iterator[RawRow]:
    """Saved API answers: one page `{count, next, results}`, a list of pages, or of aids.

    Raises ImportFailed when the file is not JSON, is an object that is not a page of the
    API, or lists records that are not aids (API_FIELDS absent from all of them).
    """
    items = [item for page in _pages(load_json(path), path.name) for item in page["results"]]
    for number, item in enumerate(_api_records(items, path.name), start=1):
        yield RawRow(number=number, data=item, table="api")


def _pages(payload: Any, name: str) -> list[dict]:
    """The API pages a saved file holds; a plain list of aids is one page."""
    if not isinstance(payload, list):
        payload = [payload]
    elif not (payload and all(isinstance(page, dict) and "results" in page for page in payload)):
        return [{"results": payload}]
    for page in payload:
        check_envelope(page, name)
    return payload


def _api_records(items: list, name: str) -> list[dict]:
    """`items` of an API list, checked: an element that is not an object is an empty record
    (rejected for its missing name); fields absent from all of them fail the run."""
    records = [item if isinstance(item, dict) else {} for item in items]
    require_keys(records, API_FIELDS, name)
    return records


def _labels(value: Any) -> tuple[str, ...]:
    """Labels of an API list (strings, or objects with a name/label)."""
    if not isinstance(value, list):
        return ()
    labels = []
    for item in value:
        label = item.get("name") or item.get("label") if isinstance(item, dict) else item
        if label:
            labels.append(str(label).strip())
    return tuple(labels)


def _perimeter(value: Any) -> str:
    """The perimeter's name: the API gives a label, or an object with a name."""
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    return str(value or "").strip()


def _terms(labels: tuple[str, ...], table: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    keys = (label.lower().replace("œ", "oe") for label in labels)
    return tuple(sorted({slug for key in keys for slug in table.get(key, ())}))


def _plain(html: str) -> str:
    """Text of an HTML fragment, with paragraphs kept as blank lines."""
    spaced = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", html, flags=re.IGNORECASE)
    return re.sub(r"\n\s*\n+", "\n\n", unescape(strip_tags(spaced))).strip()


def _rate_text(raw: Mapping[str, Any]) -> str:
    low, high = text(raw, "subvention_rate_lower_bound"), text(raw, "subvention_rate_upper_bound")
    if not (low or high):
        return ""
    if low and high:
        return _("Taux de subvention : de %(low)s %% à %(high)s %%") % {"low": low, "high": high}
    return _("Taux de subvention : %(rate)s %%") % {"rate": low or high}


def _decimal(value: str) -> Decimal | None:
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    # NaN and Infinity are Decimals too, and comparing NaN raises.
    return amount if amount.is_finite() and amount > 0 else None
