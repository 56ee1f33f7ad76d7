"""The pathway's questions, shared by `/parcours/` and `/api/v1/pathway/` (French errors)."""

from datetime import date

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from directory import vocabulary
from directory.filters import SLUG, form_booleans_check, form_terms_check
from directory.limits import SEARCH_MAX_CHARS, search_field
from directory.models import (
    FundingInstrument,
    LegalFamily,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
    TerritoryScope,
)
from directory.pathway import sql
from directory.pathway.places import PlaceQuery, address_place_get
from directory.pathway.selectors import MONEY, SUPPORT, Project
from directory.pathway.strategies import EXPLANATIONS, UNSURE
from directory.selectors.funding import FundingFilters

#: `need` values of the query string -> the selector's needs.
NEEDS = {"financement": MONEY, "accompagnement": SUPPORT}
WHERE_ADDRESS, WHERE_QUARTIER, WHERE_LILLE = "adresse", "quartier", "lille"
#: The stage at which the form asks which scale-up strategy the project follows.
SCALE_UP_STAGE = "changement-d-echelle"


class BlankFreeMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice where an empty value (`?place_service=`, as a query string built
    from an empty select sends it) means nothing chosen, like every other empty filter."""

    def to_python(self, value) -> list[str]:
        return [item for item in super().to_python(value) if item]


#: The key of the place service kinds among the form's choices.
PLACE_SERVICES = "place_services"
#: The taxonomies whose terms the form offers as choices, read in one query.
_TAXONOMIES = (Stage, ScaleUpStrategy, LegalFamily, Sector, FundingInstrument, SupportKind)


def _all_choices() -> dict[type | str, list[tuple[str, str]]]:
    """Taxonomy -> its (slug, name) choices in its own order, for _TAXONOMIES,
    PLACE_SERVICES -> the services a place can offer (cartography's PlaceServiceKind, read
    by its table: the directory does not import cartography), and "quartier" -> the
    quartiers' (slug, name) by name (one query)."""
    by_table: dict[str, type | str] = {model._meta.db_table: model for model in _TAXONOMIES}
    by_table.update(quartier="quartier", cartography_placeservicekind=PLACE_SERVICES)
    found: dict[type | str, list[tuple[str, str]]] = {key: [] for key in by_table.values()}
    with connection.cursor() as cursor:
        cursor.execute(sql.TAXONOMY_CHOICES)
        for table, slug, name in cursor.fetchall():
            found[by_table[table]].append((slug, name))
    return found


class PathwayForm(forms.Form):
    """Stage (at changement d'échelle, the scale-up strategy); legal family; filière; needs
    (money: instruments, amount; support: kinds); the services of a place it needs;
    where (an address, a quartier, or all of Lille). Only `stage` is required.

    Builds its choices from the taxonomies and the quartiers (one query).
    Validation asks no web service: an address the browser did not place is placed
    afterwards by the view
    (`pathway_form_is_placed`: one short request to the BAN through the pathway's
    selectors); when that fails, the form says so and asks for a quartier.
    """

    stage = forms.ChoiceField(label=_("Étape de votre projet"), widget=forms.RadioSelect)
    strategy = forms.ChoiceField(
        label=_("Si vous changez d'échelle : quelle stratégie ?"),
        widget=forms.RadioSelect,
        required=False,
    )
    legal_family = forms.ChoiceField(label=_("Famille juridique"), required=False)
    sector = forms.ChoiceField(label=_("Filière"), required=False)
    need = forms.MultipleChoiceField(
        label=_("Ce que vous cherchez"),
        choices=[("financement", _("Un financement")), ("accompagnement", _("Un accompagnement"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    instrument = forms.MultipleChoiceField(
        label=_("Types de financement"), widget=forms.CheckboxSelectMultiple, required=False
    )
    amount = forms.IntegerField(
        label=_("Montant recherché (€)"), min_value=0, max_value=100_000_000, required=False
    )
    support_kind = forms.MultipleChoiceField(
        label=_("Types d'accompagnement"), widget=forms.CheckboxSelectMultiple, required=False
    )
    place_service = BlankFreeMultipleChoiceField(
        label=_("Avez-vous besoin d'un lieu ?"),
        help_text=_(
            "Cochez ce qu'il vous faut : les lieux de l'ESS qui le proposent s'affichent "
            "avec votre parcours, les plus proches d'abord."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    where = forms.ChoiceField(
        label=_("Où est votre projet ?"),
        choices=[
            (WHERE_ADDRESS, _("À une adresse")),
            (WHERE_QUARTIER, _("Dans un quartier")),
            (WHERE_LILLE, _("Partout à Lille, Hellemmes et Lomme")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    address = forms.CharField(label=_("Adresse"), max_length=SEARCH_MAX_CHARS, required=False)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    quartier = forms.RegexField(
        label=_("Quartier"),
        regex=SLUG,
        max_length=64,
        required=False,
        error_messages={"invalid": _("Quartier : un code ou un identifiant est attendu.")},
    )
    date = forms.DateField(label=_("À la date du"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("Non précisé"))]
        choices = _all_choices()
        self.fields["stage"].choices = choices[Stage]
        self.fields["strategy"].choices = [
            *choices[ScaleUpStrategy],
            (UNSURE, _("Je ne sais pas")),
        ]
        #: The five strategies in plain words, shown to a holder who does not know.
        self.strategy_explanations = list(EXPLANATIONS.values())
        self.fields["legal_family"].choices = blank + choices[LegalFamily]
        self.fields["sector"].choices = blank + choices[Sector]
        self.fields["instrument"].choices = choices[FundingInstrument]
        self.fields["support_kind"].choices = choices[SupportKind]
        self.fields["place_service"].choices = choices[PLACE_SERVICES]
        #: (slug, name) of the quartiers, for the select; a code (59350-6) is accepted too.
        self.quartier_choices = choices["quartier"]

    def clean_where(self) -> str:
        return self.cleaned_data.get("where") or WHERE_LILLE

    def clean(self) -> dict:
        data = super().clean()
        where = data.get("where")
        if where == WHERE_QUARTIER and not data.get("quartier"):
            self.add_error("quartier", _("Choisissez un quartier, ou « partout à Lille »."))
        placed = data.get("lat") is not None and data.get("lon") is not None
        if where == WHERE_ADDRESS and not placed and not data.get("address"):
            self.add_error("address", _("Saisissez une adresse, ou choisissez un quartier."))
        return data

    def unplaced_address(self) -> str:
        """The typed address the browser did not place ("" when none needs placing); call
        after `is_valid()` returned True. The view places it (pathway_form_is_placed)."""
        data = self.cleaned_data
        if data.get("where") != WHERE_ADDRESS or data.get("lat") is not None:
            return ""
        return data.get("address", "")

    def place(self, found: PlaceQuery | None) -> bool:
        """Take the point found for the typed address, or say on the form that there is
        none; whether the form is still valid."""
        if found is None:
            self.add_error(
                "address",
                _(
                    "Nous n'avons pas pu localiser cette adresse (service d'adresses "
                    "injoignable ou adresse introuvable à Lille) : choisissez un quartier."
                ),
            )
            return False
        self.cleaned_data.update(address=found.address, lat=found.lat, lon=found.lon)
        return True

    def project(self) -> Project:
        """The validated answers as a Project; call after `is_valid()` returned True."""
        data = self.cleaned_data
        return Project(
            stage=data["stage"],
            legal_family=data.get("legal_family") or "",
            sector=data.get("sector") or "",
            needs=frozenset(NEEDS[need] for need in data.get("need") or NEEDS),
            instruments=tuple(data.get("instrument") or ()),
            amount=data.get("amount"),
            support_kinds=tuple(data.get("support_kind") or ()),
            place=self._place(data),
            strategy=(data.get("strategy") or "") if data["stage"] == SCALE_UP_STAGE else "",
            place_services=tuple(data.get("place_service") or ()),
        )

    def today(self) -> date:
        return self.cleaned_data.get("date") or date.today()

    @staticmethod
    def _place(data: dict) -> PlaceQuery:
        if data["where"] == WHERE_ADDRESS:
            return PlaceQuery(lat=data["lat"], lon=data["lon"], address=data.get("address", ""))
        if data["where"] == WHERE_QUARTIER:
            return PlaceQuery(quartier=data["quartier"])
        return PlaceQuery()

    def error_text(self) -> str:
        """Every error, one per line, prefixed by the field's label."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            lines.extend(f"{label} : {error}" if label else str(error) for error in errors)
        return "\n".join(lines)


class FundingFilterForm(forms.Form):
    """Query-string filters of `/financements/` and the funding API (slugs of DESIGN.md).

    On the pages, slugs are checked for their shape only: an unknown slug matches nothing.
    With `strict` (the API), a value that is not a term is an error naming the terms.
    """

    def __init__(self, *args, strict: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strict = strict

    def clean(self) -> dict:
        data = super().clean()
        if self.strict:
            form_terms_check(
                self,
                {
                    "stage": vocabulary.STAGES,
                    "instrument": vocabulary.FUNDING_INSTRUMENTS,
                    "legal_family": vocabulary.LEGAL_FAMILIES,
                    "sector": vocabulary.SECTORS,
                    "scope": TerritoryScope.values,
                },
            )
            form_booleans_check(self, ("open",))
        return data

    q = search_field()
    stage = forms.RegexField(regex=SLUG, max_length=64, required=False, label=_("Étape"))
    instrument = forms.RegexField(regex=SLUG, max_length=64, required=False, label=_("Instrument"))
    legal_family = forms.RegexField(
        regex=SLUG, max_length=64, required=False, label=_("Famille juridique")
    )
    sector = forms.RegexField(regex=SLUG, max_length=64, required=False, label=_("Filière"))
    scope = forms.RegexField(
        regex=SLUG, max_length=64, required=False, label=_("Échelle du territoire")
    )
    open = forms.BooleanField(required=False, label=_("Ouverts aujourd'hui"))
    page = forms.IntegerField(min_value=1, required=False)

    def filters(self, *, today: date) -> FundingFilters:
        """The validated filters; `open` becomes "open on `today`"."""
        data = self.cleaned_data
        return FundingFilters(
            stage=data.get("stage") or "",
            instrument=data.get("instrument") or "",
            legal_family=data.get("legal_family") or "",
            sector=data.get("sector") or "",
            scope=data.get("scope") or "",
            open_on=today if data.get("open") else None,
            q=data.get("q") or "",
        )

    def error_text(self) -> str:
        return "\n".join(
            f"{name} : {error}" for name, errors in self.errors.items() for error in errors
        )


def pathway_form_is_placed(form: PathwayForm) -> bool:
    """Whether `form` is valid once its typed address is placed: the one request to the BAN
    a pathway may make (address_place_get), asked by the view, not by the form's
    validation."""
    if not form.is_valid():
        return False
    address = form.unplaced_address()
    return not address or form.place(address_place_get(address=address))
