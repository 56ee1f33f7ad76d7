"""Organisations of the ESS and the networks they belong to."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Cast, Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.search import SEARCH_CONFIG, ImmutableUnaccent

siren_validator = RegexValidator(r"^\d{9}$", _("Un SIREN compte 9 chiffres."))
siret_validator = RegexValidator(r"^\d{14}$", _("Un SIRET compte 14 chiffres."))
rna_validator = RegexValidator(
    r"^W\d[0-9A-Z]\d{7}$", _("Un identifiant RNA commence par W suivi de 9 caractères.")
)
naf_validator = RegexValidator(r"^\d{2}\.\d{2}[A-Z]$", _("Un code NAF s'écrit comme 94.99Z."))
insee_validator = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Un code INSEE compte 5 caractères."))
#: A QPV code of the 2024 geography (QN + department + number + letter, e.g. QN05906M).
QPV_CODE_PATTERN = r"^QN\d{2}[0-9AB]\d{2}[0-9A-Z]$"
qpv_code_validator = RegexValidator(QPV_CODE_PATTERN, _("Un code QPV 2024 s'écrit comme QN05906M."))
legal_category_validator = RegexValidator(
    r"^\d{4}$", _("La catégorie juridique INSEE compte 4 chiffres.")
)


class TermsHistory(models.Model):
    """What a history row of an organisation adds: the kinds and sectors the change made
    (simple-history keeps no many-to-many field here), so that their credit is known."""

    #: {"kinds": {"old": [slugs], "new": [slugs]}, "sectors": {...}}: only what changed.
    history_terms = models.JSONField(_("types et filières modifiés"), null=True, blank=True)

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publie", _("Publié")
    ARCHIVED = "archive", _("Archivé")


class EssStatus(models.TextChoices):
    ESS = "ess", _("Relève de l'ESS")
    NOT_ESS = "hors-ess", _("Hors ESS")
    UNKNOWN = "inconnu", _("Non renseigné")


class EssStatusSource(models.TextChoices):
    """Where the ESS status comes from (the official directory's rule: ESS France or SIRENE)."""

    STATUTE = "statut", _("Forme juridique de l'ESS (loi du 31 juillet 2014)")
    SIRENE = "sirene", _("Répertoire SIRENE")
    ESS_FRANCE = "ess-france", _("Liste des entreprises de l'ESS (ESS France)")
    ESUS = "esus", _("Agrément ESUS")
    NETWORK = "reseau", _("Déclaré par un réseau de l'ESS")
    CURATION = "curation", _("Sélection documentée de Cartess")


class GeocodingQuality(models.TextChoices):
    """How precise a point is: given by the source, a BAN match type, or placed by a person."""

    SOURCE = "source", _("Coordonnées de la source")
    HOUSENUMBER = "housenumber", _("Adresse au numéro (BAN)")
    STREET = "street", _("Voie (BAN)")
    LOCALITY = "locality", _("Lieu-dit (BAN)")
    MUNICIPALITY = "municipality", _("Commune (BAN)")
    MANUAL = "manual", _("Placé à la main")


class PlaceRole(models.TextChoices):
    """What kind of place an organisation is, whatever its kinds (strategy, objective 1.7)."""

    THIRD_PLACE = "tiers-lieu", _("Tiers-lieu")
    TOTEM = "lieu-totem", _("Lieu totem de l'ESS")
    RESOURCE = "lieu-ressource", _("Lieu-ressource")


class EditedBy(models.TextChoices):
    """Who last corrected a listing by hand: its owner, one of its networks (its editors,
    its CSV or its API), or the Cartess team (a moderator, an accepted public suggestion)."""

    OWNER = "owner", _("la structure")
    NETWORK = "network", _("le réseau")
    TEAM = "team", _("l'équipe Cartess")


class Organisation(models.Model):
    """An actor of the ESS: a support organisation, a funder, a third place, a network, an SIAE...

    A point is optional: an organisation without a sourced location is listed in the
    directory but not on the map. When it has a point, `geocoding_quality` says how precise
    it is (a database constraint).
    """

    name = models.CharField(_("nom"), max_length=255)
    slug = models.SlugField(_("identifiant"), max_length=255, unique=True)
    acronym = models.CharField(_("sigle"), max_length=60, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    kinds = models.ManyToManyField(
        "directory.OrganisationKind", verbose_name=_("types d'acteur"), related_name="organisations"
    )

    legal_family = models.ForeignKey(
        "directory.LegalFamily",
        verbose_name=_("famille juridique"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    legal_category_code = models.CharField(
        _("catégorie juridique INSEE"),
        max_length=4,
        blank=True,
        validators=[legal_category_validator],
        help_text=_("Code à 4 chiffres du répertoire SIRENE, ex. 9220 pour une association."),
    )
    legal_form = models.CharField(
        _("forme juridique"), max_length=120, blank=True, help_text=_("Ex. SCOP SARL, SCIC SAS.")
    )
    ess_status = models.CharField(
        _("statut ESS"), max_length=12, choices=EssStatus.choices, default=EssStatus.UNKNOWN
    )
    ess_status_source = models.CharField(
        _("origine du statut ESS"), max_length=12, choices=EssStatusSource.choices, blank=True
    )

    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[siren_validator])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    rna_id = models.CharField(
        _("numéro RNA"), max_length=10, blank=True, validators=[rna_validator]
    )
    naf_code = models.CharField(_("code NAF"), max_length=6, blank=True, validators=[naf_validator])
    sectors = models.ManyToManyField(
        "directory.Sector", verbose_name=_("filières"), blank=True, related_name="organisations"
    )

    street = models.CharField(_("adresse"), max_length=255, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    insee_code = models.CharField(
        _("code INSEE de la commune"), max_length=5, blank=True, validators=[insee_validator]
    )
    location = models.PointField(_("position"), srid=4326, null=True, blank=True)
    geocoding_quality = models.CharField(
        _("précision de la position"), max_length=12, choices=GeocodingQuality.choices, blank=True
    )
    geocoding_score = models.FloatField(_("score de géocodage"), null=True, blank=True)
    #: The QPV (2024) its source places the établissement in: SIRENE's geolocation gives
    #: it (`plg_qp24`). Empty when no source gives one or the source says "not in a QPV";
    #: whether the point lies in a loaded QPV outline is computed, never stored.
    qpv_code = models.CharField(
        _("code QPV (source)"),
        max_length=8,
        blank=True,
        validators=[qpv_code_validator],
        # The bulk imports insert rows in SQL; other inserts may not name the column.
        db_default="",
    )

    website = models.URLField(_("site web"), max_length=500, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    publication_status = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )
    last_verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    #: The day the organisation closed, as its owner or an editor said: the listing stays
    #: (shown as closed) but leaves the map, the directory's lists and their exports.
    closed_on = models.DateField(_("a fermé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    #: Who last corrected the listing by hand, and when (the map's credit, issue 13): kept
    #: by directory.edit_credit where a person's change is saved, in its transaction; an
    #: import never writes them. Empty: nobody did (imported, or typed before it was kept).
    edited_by = models.CharField(
        _("corrigée à la main par"),
        max_length=8,
        choices=EditedBy.choices,
        blank=True,
        # The bulk imports insert rows in SQL without naming the column.
        db_default="",
    )
    edited_by_network = models.ForeignKey(
        "self",
        verbose_name=_("réseau qui l'a corrigée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_on = models.DateField(_("corrigée à la main le"), null=True, blank=True)

    #: A place the ESS can use (tiers-lieu, lieu totem, lieu-ressource): any organisation can
    #: be one. `place_source` says who said so (a source's words, or empty when a person did).
    place_roles = ArrayField(
        models.CharField(max_length=16, choices=PlaceRole.choices),
        verbose_name=_("lieu de l'ESS"),
        default=list,
        # The bulk imports insert rows in SQL without naming the column.
        db_default=Value([], output_field=ArrayField(models.CharField(max_length=16))),
        blank=True,
    )
    place_source = models.CharField(
        _("source de la qualité de lieu"),
        max_length=500,
        blank=True,
        db_default="",
        help_text=_("Le document qui nomme ce lieu, par exemple la stratégie ESS de la Ville."),
    )

    networks = models.ManyToManyField(
        "self",
        through="directory.NetworkMembership",
        through_fields=("member", "network"),
        symmetrical=False,
        related_name="members",
        verbose_name=_("réseaux"),
        blank=True,
    )

    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("acronym", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    #: Every change, by whom and from which screen or source (django-simple-history); the
    #: search vector is derived, so it is left out (simple-history has no GeneratedField
    #: support). Bulk SQL imports write no history row: their ImportRun records them.
    #: A change of kinds or sectors is in the row's `history_terms` (TermsHistory). Who last
    #: corrected it by hand is a note of the history itself, not a fact to diff or revert.
    history = HistoricalRecords(
        excluded_fields=["search_vector", "edited_by", "edited_by_network", "edited_on"],
        bases=[TermsHistory],
    )
    #: A revert of the history keeps "Vérifié le": only a confirmation writes it
    #: (directory.freshness.services.organisation_confirm); and who last corrected it by
    #: hand, which the history does not hold (the revert then notes its own credit).
    HISTORY_REVERT_KEEPS = ("last_verified_on", "edited_by", "edited_by_network_id", "edited_on")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            (
                "moderate_organisation",
                _("Modérer les fiches : suggestions du public, historique, annulation"),
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="organisation_search_idx"),
            GinIndex(
                OpClass(ImmutableUnaccent(Lower("name")), name="gin_trgm_ops"),
                name="organisation_name_trgm_idx",
            ),
            # The directory's accent-insensitive order by name (ORDER BY ... LIMIT).
            models.Index(ImmutableUnaccent(Lower("name")), name="organisation_name_sort_idx"),
            # Nearest first (`ORDER BY location::geography <-> point`): a geography index walks
            # the points in true distance on the sphere, where the geometry one would order by
            # degrees (a degree of longitude is 0.64 of a degree of latitude at Lille).
            GistIndex(
                Cast("location", models.PointField(geography=True, srid=4326)),
                name="organisation_geography_idx",
            ),
            # Only the listings with a SIREN, or a commune: where none has one (a directory
            # without any SIREN, the bench's), the planner counted a join on the value as
            # reading every row and scanned the table for each listing an import run
            # changed (issue 20: 178 ms each at 1,000,000). A query on a value (`siren =
            # '…'`, `IN (…)`) uses them; a join says `<> ''` on the indexed side.
            models.Index(fields=["siren"], condition=~Q(siren=""), name="organisation_siren_idx"),
            models.Index(
                fields=["insee_code"], condition=~Q(insee_code=""), name="organisation_insee_idx"
            ),
            # The few with a QPV code: the QPV filter, and whether any has one (directory.sql).
            models.Index(
                fields=["qpv_code"], condition=~Q(qpv_code=""), name="organisation_qpv_code_idx"
            ),
            models.Index(fields=["publication_status"], name="organisation_publication_idx"),
            GinIndex(fields=["place_roles"], name="organisation_place_roles_idx"),
            # What an import run changed (`updated_at` since its start): the incremental
            # duplicate search (importers.engine.review) reads only those rows.
            models.Index(fields=["updated_at"], name="organisation_updated_idx"),
            # The extent of the published open ones (OGC collection, TileJSON): each bound
            # read at one end of an index rather than every point's box (issue 20).
            *(
                models.Index(
                    Func("location", function=function, output_field=models.FloatField()),
                    condition=Q(publication_status=PublicationStatus.PUBLISHED, closed_on=None),
                    name=name,
                )
                for function, name in (
                    ("ST_X", "organisation_lon_idx"),
                    ("ST_Y", "organisation_lat_idx"),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message=_("Une autre fiche a déjà ce SIRET."),
            ),
            models.UniqueConstraint(
                fields=["rna_id"],
                condition=~Q(rna_id=""),
                name="organisation_unique_rna",
                violation_error_message=_("Une autre fiche a déjà ce numéro RNA."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(location__isnull=True, geocoding_quality="")
                    | (Q(location__isnull=False) & ~Q(geocoding_quality=""))
                ),
                name="organisation_point_has_quality",
                violation_error_message=_("Une position doit dire d'où elle vient."),
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siren="") | Q(siret__startswith=F("siren")),
                name="organisation_siret_matches_siren",
                violation_error_message=_("Le SIRET doit commencer par le SIREN."),
            ),
            models.CheckConstraint(
                condition=Q(geocoding_score__isnull=True)
                | Q(geocoding_score__gte=0, geocoding_score__lte=1),
                name="organisation_geocoding_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_totem(self) -> bool:
        """Whether the city names it a "lieu totem" of the ESS."""
        return PlaceRole.TOTEM in self.place_roles

    @property
    def is_place(self) -> bool:
        """Whether it is a place of the ESS: a place role, or the kind tiers-lieu (read from
        its kinds: no query when they are prefetched, or came with the row as `kind_list`).
        Places take space requests and say what they offer (issue 17)."""
        kinds = getattr(self, "kind_list", None)
        return bool(self.place_roles) or any(
            kind.slug == PlaceRole.THIRD_PLACE
            for kind in (self.kinds.all() if kinds is None else kinds)
        )

    @property
    def place_labels(self) -> list[str]:
        """The labels of the kinds of place it is, in the order of PlaceRole."""
        return [str(role.label) for role in PlaceRole if role in self.place_roles]


class NetworkMembership(models.Model):
    """`member` belongs to the network `network` (APES, CRESS, URSCOP...)."""

    network = models.ForeignKey(
        Organisation,
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="memberships_as_network",
    )
    member = models.ForeignKey(
        Organisation, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="memberships"
    )
    since = models.DateField(_("membre depuis"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adhésion à un réseau")
        verbose_name_plural = _("adhésions à un réseau")
        constraints = [
            models.UniqueConstraint(fields=["network", "member"], name="membership_unique"),
            models.CheckConstraint(
                condition=~Q(network=F("member")),
                name="membership_not_self",
                violation_error_message=_("Un réseau ne peut pas être membre de lui-même."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"
