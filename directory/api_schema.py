"""The shapes of the directory's API answers, for its OpenAPI schema only (`/api/docs/`).

The views build their JSON with `directory.serializers` (plain dicts); these serializers
describe those dicts field by field so that each operation has a typed response. They never
serialise anything. `tests/directory/test_api_schema.py` checks the answers against them.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer

from directory import vocabulary
from directory.filters import LIST_MAX_OFFSET
from directory.limits import LIST_MAX_LIMIT, SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from directory.models import Recurrence, SupportCost, TerritoryScope


def slugs(values, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=list(values)), **kwargs)


class ErrorSerializer(serializers.Serializer):
    """A refused query: the French message and the refused fields with their messages."""

    erreur = serializers.CharField()
    champs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class NotFoundSerializer(serializers.Serializer):
    """The 404 body of DRF's content negotiation (an unknown record or `?format=`)."""

    detail = serializers.CharField(help_text="Message en français.")
    code = serializers.CharField(help_text="« 404 ».")


class NamedRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FundingSchemeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["funding-scheme"])
    slug = serializers.CharField()
    name = serializers.CharField()
    page = serializers.CharField(help_text="Adresse de la fiche sur Cartess.")
    url = serializers.CharField(help_text="Page de référence (vide si inconnue).")
    stages = slugs(vocabulary.STAGES)
    instruments = slugs(vocabulary.FUNDING_INSTRUMENTS)
    legal_families = slugs(vocabulary.LEGAL_FAMILIES, help_text="Vide : toutes.")
    sectors = slugs(vocabulary.SECTORS, help_text="Vide : toutes.")
    scale_up_strategies = slugs(vocabulary.SCALE_UP_STRATEGIES)
    co_financeable_with = NamedRefSerializer(many=True)
    territory_scope = serializers.ChoiceField(choices=["", *TerritoryScope.values])
    territory_label = serializers.CharField()
    funders = NamedRefSerializer(many=True)
    funders_label = serializers.CharField()
    amount_min = serializers.FloatField(allow_null=True)
    amount_max = serializers.FloatField(allow_null=True)
    amount_text = serializers.CharField()
    eligibility_text = serializers.CharField()
    recurrence = serializers.ChoiceField(choices=["", *Recurrence.values])
    opens_on = serializers.DateField(allow_null=True)
    closes_on = serializers.DateField(allow_null=True)


class SupportOfferSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["support-offer"])
    slug = serializers.CharField()
    name = serializers.CharField()
    page = serializers.CharField()
    url = serializers.CharField()
    stages = slugs(vocabulary.STAGES)
    kinds = slugs(vocabulary.SUPPORT_KINDS)
    legal_families = slugs(vocabulary.LEGAL_FAMILIES)
    sectors = slugs(vocabulary.SECTORS)
    territory_scope = serializers.ChoiceField(choices=["", *TerritoryScope.values])
    territory_label = serializers.CharField()
    provider = NamedRefSerializer(allow_null=True)
    provider_label = serializers.CharField()
    cost = serializers.ChoiceField(choices=SupportCost.values)
    cost_details = serializers.CharField()
    eligibility_text = serializers.CharField()


class _PageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Nombre total de résultats.")
    next = serializers.URLField(allow_null=True, help_text="Page suivante (null : la dernière).")
    previous = serializers.URLField(allow_null=True)


class FundingSchemePageSerializer(_PageSerializer):
    results = FundingSchemeSerializer(many=True)


class SupportOfferPageSerializer(_PageSerializer):
    results = SupportOfferSerializer(many=True)


#: `limit` and `offset` of DRF's LimitOffsetPagination, as the list operations take them.
def integer_or_empty(minimum: int, maximum: int) -> dict:
    """A whole number from `minimum` to `maximum`, or empty: a form's IntegerField reads an
    empty `?limit=` as absent (the default)."""
    number = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return {"anyOf": [number, {"type": "string", "maxLength": 0}]}


PAGING_PARAMETERS = [
    OpenApiParameter(
        "limit",
        integer_or_empty(1, LIST_MAX_LIMIT),
        description=f"Nombre de résultats par page ({LIST_MAX_LIMIT} par défaut et au plus).",
    ),
    OpenApiParameter(
        "offset",
        integer_or_empty(0, LIST_MAX_OFFSET),
        description=f"Rang du premier résultat (0 par défaut, {LIST_MAX_OFFSET} au plus).",
    ),
]
#: What Python's str.split() separates words by, spelt out: a pattern's `\s` differs
#: between Python and JSON Schema (ECMA) regular expressions.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: The `q` of every search (directory.limits.search_field): at most SEARCH_MAX_CHARS
#: characters and SEARCH_MAX_WORDS words, no NUL character (each a French 400).
SEARCH_SCHEMA = {
    "type": "string",
    "maxLength": SEARCH_MAX_CHARS,
    "pattern": (
        rf"^[{_SPACE}]*[^{_SPACE}\x00]*([{_SPACE}]+[^{_SPACE}\x00]+)"
        rf"{{0,{SEARCH_MAX_WORDS - 1}}}[{_SPACE}]*$"
    ),
}
#: directory.filters.SLUG, or empty (no filter).
SLUG_OR_EMPTY = {"type": "string", "pattern": r"^([A-Za-z0-9][A-Za-z0-9_-]{0,63})?$"}
#: A bbox as OGC API Features declares it (an array written `1,2,3,4`), each number within
#: ±180; its order (minimum below maximum), latitudes within ±90 and a span of at most
#: MAP_BBOX_MAX_DEGREES cannot be said in OpenAPI 3.0: a 400 says them.
BBOX_SCHEMA = {
    "type": "array",
    "minItems": 4,
    "maxItems": 4,
    "items": {"type": "number", "minimum": -180, "maximum": 180},
}


class SourceCreditSerializer(serializers.Serializer):
    name = serializers.CharField()
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    seen_on = serializers.DateField()


class TypedBySerializer(serializers.Serializer):
    who = serializers.CharField()
    on = serializers.DateField()


class FieldCreditSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="« Source : … » ou « Saisi par …, le … ».")
    sources = SourceCreditSerializer(many=True)
    typed_by = TypedBySerializer(allow_null=True)


class RecordSourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    external_id = serializers.CharField()
    first_seen_on = serializers.DateField()
    last_seen_on = serializers.DateField()


class LatLonSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class DirectoryOrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    page = serializers.CharField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    description = serializers.CharField()
    kinds = slugs(vocabulary.ORGANISATION_KINDS)
    sectors = slugs(vocabulary.SECTORS)
    legal_family = serializers.ChoiceField(choices=["", *vocabulary.LEGAL_FAMILIES])
    legal_form = serializers.CharField()
    siret = serializers.CharField()
    siren = serializers.CharField()
    rna_id = serializers.CharField()
    street = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    website = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    location = LatLonSerializer(allow_null=True)
    qpv_code = serializers.CharField(
        help_text="Code du QPV 2024 où la source situe l'établissement (géolocalisation "
        "SIRENE, plg_qp24), ou vide : aucune source ne le place dans un QPV."
    )
    last_verified_on = serializers.DateField(allow_null=True)
    credit = serializers.DictField(child=FieldCreditSerializer())
    sources = RecordSourceSerializer(many=True)


class DirectoryOrganisationDetailSerializer(DirectoryOrganisationSerializer):
    """One organisation of the directory API, with the date it closed (or null)."""

    closed_on = serializers.DateField(allow_null=True)


class DirectoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_capped = serializers.BooleanField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = DirectoryOrganisationSerializer(many=True)
    avertissement = serializers.CharField(
        required=False,
        help_text="Ce que la réponse ne peut pas savoir (ex. : contours QPV non chargés).",
    )


class MatchSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["funding-scheme", "support-offer"])
    slug = serializers.CharField()
    name = serializers.CharField()
    page = serializers.CharField()
    url = serializers.CharField()
    score = serializers.IntegerField()
    status = serializers.CharField()
    stages = slugs(vocabulary.STAGES)
    reasons = serializers.ListField(child=serializers.CharField())
    to_check = serializers.ListField(child=serializers.CharField())
    excluded_because = serializers.ListField(child=serializers.CharField())
    combine_with = NamedRefSerializer(many=True)


class PathwayOrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    page = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    distance_m = serializers.IntegerField(allow_null=True)


class PathwayProjectSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=vocabulary.STAGES)
    legal_family = serializers.CharField(allow_null=True)
    sector = serializers.CharField(allow_null=True)
    needs = serializers.ListField(child=serializers.CharField())
    instruments = slugs(vocabulary.FUNDING_INSTRUMENTS)
    amount = serializers.IntegerField(allow_null=True)
    support_kinds = slugs(vocabulary.SUPPORT_KINDS)
    strategy = serializers.CharField(allow_null=True)
    place_services = serializers.ListField(
        child=serializers.CharField(), help_text="Services d'un lieu demandés (place_service)."
    )


class PathwayVenueServiceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Type de service (domiciliation, salles...).")
    name = serializers.CharField()
    free = serializers.BooleanField()
    price = serializers.CharField(help_text="Tarif dans les mots du lieu (vide si gratuit).")
    on_reservation = serializers.BooleanField()
    social_lease = serializers.BooleanField(
        help_text="Le lieu accepte le bail commercial d'utilité sociale pour ce service."
    )
    audience = serializers.CharField()
    conditions = serializers.ListField(
        child=serializers.CharField(), help_text="Les conditions en français, dans l'ordre."
    )


class PathwayVenueSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    page = serializers.CharField()
    place_roles = serializers.ListField(
        child=serializers.CharField(), help_text="tiers-lieu, lieu-totem, lieu-ressource."
    )
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    distance_m = serializers.IntegerField(allow_null=True)
    services = PathwayVenueServiceSerializer(many=True)
    request_space = serializers.CharField(help_text="Page « Demander un espace » de ce lieu.")


class PlaceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    found = serializers.BooleanField()
    in_territory = serializers.BooleanField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)


class RoadStepSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=vocabulary.STAGES)
    stage_name = serializers.CharField()
    carried_on = serializers.IntegerField(help_text="Dispositifs de cette étape déjà ouverts.")
    opening = MatchSerializer(many=True)


class PathwaySerializer(serializers.Serializer):
    date = serializers.DateField()
    project = PathwayProjectSerializer()
    place = PlaceSerializer()
    count = serializers.IntegerField()
    funding_schemes = MatchSerializer(many=True)
    support_offers = MatchSerializer(many=True)
    soon = MatchSerializer(many=True)
    organisations = PathwayOrganisationSerializer(many=True)
    road_ahead = RoadStepSerializer(many=True)
    recurring = MatchSerializer(many=True)
    excluded = MatchSerializer(many=True)
    places = PathwayVenueSerializer(
        many=True,
        help_text="Lieux qui peuvent vous accueillir : ceux qui proposent un service demandé "
        "(place_service), les plus proches d'abord.",
    )


def browsable_pages_add(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular postprocessing hook: the 200 of each GET whose view shows a browser
    (`Accept: text/html`) DRF's browsable page declares that page, `text/html`, beside its
    JSON (drf-spectacular leaves the browsable renderer out). Errors stay JSON only
    (config.api_errors.BrowsableApiRenderer)."""
    for path, _regex, method, callback in generator.endpoints or ():
        renderers = getattr(getattr(callback, "cls", None), "renderer_classes", ())
        if method != "GET" or not any(issubclass(r, BrowsableAPIRenderer) for r in renderers):
            continue
        success = result["paths"].get(path, {}).get("get", {}).get("responses", {}).get("200")
        if success and "content" in success:
            success["content"].setdefault("text/html", {"schema": {"type": "string"}})
    return result
