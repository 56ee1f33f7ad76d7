"""Forms of the land workspace (/foncier/) and of the public premises need form."""

from django import forms
from django.contrib.gis.geos import GEOSGeometry, WKTWriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from cartography.geometry_input import outline_parse, point_from_coordinates
from cartography.models import (
    AreaKind,
    NeedStatus,
    OwnerType,
    PipelineStage,
    PlaceServiceKind,
    PlanningZone,
    Pollution,
    Premises,
    PremisesKind,
    PremisesNeed,
    PremisesStatus,
    ReferenceArea,
)
from cartography.selectors import LandFilters
from cartography.services import premises_geometry_validate
from directory.areas import area_kinds_loaded_get
from directory.models import Organisation

ANY = [("", _("Tous"))]


def _quartiers():
    return ReferenceArea.objects.filter(kind=AreaKind.QUARTIER).only("name").order_by("name")


#: Land filters that read a layer of reference areas: the kind they need, and what the
#: form says when it is not loaded.
_LAYER_FILTERS = {
    "quartier": (
        AreaKind.QUARTIER,
        _("Quartiers : couche non chargée, ce filtre n'est pas disponible."),
    ),
    "qpv": (AreaKind.QPV, _("QPV : couche non chargée, ce filtre n'est pas disponible.")),
}


class QuartierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceArea) -> str:
        return obj.name  # not str(obj), which reads the deferred kind: one query per option


class QuartiersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ReferenceArea) -> str:
        return obj.name


class LandFilterForm(forms.Form):
    """Filters of /foncier/ (GET); every field is optional."""

    kind = forms.MultipleChoiceField(
        label=_("Type de site"),
        choices=PremisesKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.MultipleChoiceField(
        label=_("Étape du suivi"),
        choices=PipelineStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    surface_min = forms.IntegerField(label=_("Surface minimale (m²)"), min_value=0, required=False)
    surface_max = forms.IntegerField(label=_("Surface maximale (m²)"), min_value=0, required=False)
    owner_type = forms.ChoiceField(
        label=_("Type de propriétaire"), choices=ANY + OwnerType.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Disponibilité"), choices=ANY + PremisesStatus.choices, required=False
    )
    planning_zone = forms.ChoiceField(
        label=_("Zone du PLU"), choices=ANY + PlanningZone.choices, required=False
    )
    pollution = forms.ChoiceField(
        label=_("Pollution des sols"), choices=ANY + Pollution.choices, required=False
    )
    quartier = QuartierChoiceField(
        label=_("Quartier"),
        queryset=ReferenceArea.objects.none(),
        required=False,
        empty_label=_("Tous"),
    )
    qpv = forms.ChoiceField(
        label=_("Politique de la ville"),
        choices=[
            ("", _("Indifférent")),
            ("dans", _("Dans un QPV")),
            ("proche", _("Dans un QPV ou à moins de 300 m")),
        ],
        required=False,
    )
    social_lease = forms.BooleanField(
        label=_("Accepte le bail commercial d'utilité sociale"), required=False
    )

    def __init__(self, *args, loaded_areas: frozenset[str] | None = None, **kwargs):
        """`loaded_areas`: the kinds of reference areas loaded (read when not given, see
        `directory.areas.area_kinds_loaded_get`). A filter on a layer that is not loaded is
        shown disabled with why, and refused with that reason when a link still gives it:
        applied, it would answer 0 sites as if it were a fact."""
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = _quartiers()
        loaded = area_kinds_loaded_get() if loaded_areas is None else loaded_areas
        self.layers_missing = {
            name: message for name, (kind, message) in _LAYER_FILTERS.items() if kind not in loaded
        }
        for name, message in self.layers_missing.items():
            self.fields[name].help_text = message
            self.fields[name].widget.attrs["disabled"] = True
            # No quartier loaded: every slug is an invalid choice, for this reason.
            self.fields[name].error_messages["invalid_choice"] = message

    def _layer_filter(self, name: str):
        value = self.cleaned_data.get(name)
        if value and name in self.layers_missing:
            raise ValidationError(self.layers_missing[name], code="layer_missing")
        return value

    def clean_qpv(self):
        return self._layer_filter("qpv")

    def clean(self):
        data = super().clean()
        low, high = data.get("surface_min"), data.get("surface_max")
        if low is not None and high is not None and low > high:
            self.add_error("surface_max", _("La surface maximale doit dépasser la minimale."))
        return data

    def filters(self) -> LandFilters:
        data = self.cleaned_data
        return LandFilters(
            kinds=tuple(data.get("kind") or ()),
            stages=tuple(data.get("stage") or ()),
            surface_min=data.get("surface_min"),
            surface_max=data.get("surface_max"),
            owner_type=data.get("owner_type", ""),
            status=data.get("status", ""),
            planning_zone=data.get("planning_zone", ""),
            pollution=data.get("pollution", ""),
            quartier=data.get("quartier"),
            qpv=data.get("qpv", ""),
            social_lease=bool(data.get("social_lease")),
        )


POINT_DRAWING_HELP = _(
    "Pour placer le site avec la souris : activez le bouton « Dessiner un point » de la "
    "barre d'outils de la carte, puis cliquez à l'emplacement du site ; « Éditer les "
    "objets » permet ensuite de déplacer le point. Au clavier ou avec un lecteur d'écran, "
    "saisissez plutôt la latitude et la longitude dans les champs qui suivent la carte."
)
FOOTPRINT_DRAWING_HELP = _(
    "Pour dessiner l'emprise avec la souris : activez le bouton « Dessiner un polygone », "
    "cliquez sur chaque angle du terrain, puis de nouveau sur le premier point pour fermer "
    "le contour. Au clavier ou avec un lecteur d'écran, collez plutôt le contour en WKT ou "
    "en GeoJSON dans le champ qui suit la carte."
)


class DrawingMapWidget(LeafletWidget):
    """django-leaflet's drawing map, described for screen readers (aria-describedby)."""

    template_name = "cartography/widgets/drawing_map.html"


#: Coordinates written with 6 decimals (about 10 cm), like the map payloads.
COORDINATE_DECIMALS = 6


def _wkt(geometry: GEOSGeometry) -> str:
    writer = WKTWriter(precision=COORDINATE_DECIMALS)
    return writer.write(geometry).decode()


class PremisesForm(forms.ModelForm):
    """A site created or edited by city staff; the point and the outline are drawn on a map,
    or typed: `latitude`/`longitude` and `footprint_text` (WKT or GeoJSON) are the keyboard
    and screen-reader alternative. A typed value the person changed replaces the drawing.
    """

    latitude = forms.FloatField(
        label=_("Latitude du point"),
        required=False,
        localize=True,
        min_value=-90,
        max_value=90,
        help_text=_("En degrés décimaux (WGS 84), par exemple 50,6292."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude du point"),
        required=False,
        localize=True,
        min_value=-180,
        max_value=180,
        help_text=_("En degrés décimaux (WGS 84), par exemple 3,0573."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    footprint_text = forms.CharField(
        label=_("Emprise en texte (WKT ou GeoJSON)"),
        required=False,
        max_length=200_000,
        help_text=_(
            "Un polygone en longitude puis latitude (WGS 84), par exemple "
            "POLYGON ((3.0601 50.6301, 3.0611 50.6301, 3.0611 50.6309, 3.0601 50.6301)), "
            "ou une géométrie GeoJSON Polygon ou MultiPolygon. S'il est modifié, ce texte "
            "remplace l'emprise dessinée."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    class Meta:
        model = Premises
        fields = (
            "name",
            "kind",
            "description",
            "third_place",
            "street",
            "postcode",
            "city",
            "location",
            "footprint",
            "surface_m2",
            "built_surface_m2",
            "owner_type",
            "owner_name",
            "status",
            "available_from",
            "planning_zone",
            "pollution",
            "social_lease",
            "publication_status",
        )
        widgets = {
            "location": DrawingMapWidget(
                attrs={
                    "geom_type": "POINT",
                    "drawing_help": POINT_DRAWING_HELP,
                    "map_label": _("Carte : position du site"),
                }
            ),
            "footprint": DrawingMapWidget(
                attrs={
                    "geom_type": "MULTIPOLYGON",
                    "drawing_help": FOOTPRINT_DRAWING_HELP,
                    "map_label": _("Carte : emprise du site"),
                }
            ),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "footprint": _(
                "Sa surface est calculée en Lambert 93 et comparée à la surface déclarée."
            ),
            "owner_name": _("Réservé aux services de la Ville, jamais publié."),
        }

    def __init__(self, *args, csp_nonce: str | None = None, **kwargs):
        """`csp_nonce`: the request's CSP nonce, which signs the drawing maps' start-up
        scripts (django-leaflet writes them inline); without it the browser refuses them."""
        super().__init__(*args, **kwargs)
        for name in ("location", "footprint"):
            self.fields[name].widget.csp_nonce = csp_nonce
        self.fields["third_place"].queryset = (
            Organisation.objects.filter(kinds__slug="tiers-lieu").only("name").order_by("name")
        )
        # The typed fields show the current geometry: a text reading of the map, and what a
        # person edits without drawing.
        point = self.instance.location or self.initial.get("location")
        if point is not None:
            self.initial.setdefault("latitude", round(point.y, COORDINATE_DECIMALS))
            self.initial.setdefault("longitude", round(point.x, COORDINATE_DECIMALS))
        if self.instance.footprint is not None:
            self.initial.setdefault("footprint_text", _wkt(self.instance.footprint))

    def clean(self):
        data = super().clean()
        typed = {
            "latitude": self._typed_point(data),
            "footprint_text": self._typed_footprint(data),
        }
        if any(name in self.errors for name in ("location", "footprint", "longitude", *typed)):
            return data
        errors = premises_geometry_validate(
            location=data.get("location"), footprint=data.get("footprint")
        )
        for name, message in errors.items():
            # An error on a typed geometry is shown next to the field the person typed in.
            typed_field = "latitude" if name == "location" else "footprint_text"
            self.add_error(typed_field if typed[typed_field] else name, message)
        return data

    def _typed_point(self, data: dict) -> bool:
        """Put the typed coordinates in `location` when the person changed them."""
        if not {"latitude", "longitude"} & set(self.changed_data):
            return False
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is None and longitude is None:
            return False
        if latitude is None or longitude is None:
            missing = "latitude" if latitude is None else "longitude"
            if missing not in self.errors:
                self.add_error(
                    missing, _("Indiquez la latitude et la longitude, ou aucune des deux.")
                )
            return True
        data["location"] = point_from_coordinates(latitude=latitude, longitude=longitude)
        return True

    def _typed_footprint(self, data: dict) -> bool:
        """Put the typed outline in `footprint` when the person changed it."""
        text = data.get("footprint_text", "")
        if "footprint_text" not in self.changed_data or not text:
            return False
        try:
            data["footprint"] = outline_parse(text=text)
        except ValidationError as error:
            self.add_error("footprint_text", error)
        return True


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nouvelle note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Écrivez la note avant de l'ajouter.")},
    )


class StageForm(forms.Form):
    """Move a site along the pipeline; only the moves allowed from its stage are offered."""

    to_stage = forms.ChoiceField(label=_("Nouvelle étape"))
    note = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PipelineStage.choices)
        self.fields["to_stage"].choices = [(stage, labels[stage]) for stage in allowed]


class NeedForm(forms.ModelForm):
    """The public form of a project holder declaring a premises need (no account needed).

    `site_web` is a honeypot: hidden from people, filled by spam robots.
    """

    site_web = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    class Meta:
        model = PremisesNeed
        fields = (
            "title",
            "holder_name",
            "description",
            "surface_min_m2",
            "surface_max_m2",
            "kinds",
            "quartiers",
            "budget_per_month",
            "needed_from",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
        labels = {"title": _("Votre projet, en quelques mots")}
        widgets = {
            "needed_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "quartiers": forms.CheckboxSelectMultiple,
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }

    quartiers = QuartiersField(
        label=_("Quartiers souhaités"),
        queryset=ReferenceArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Types de lieu recherchés"),
        choices=PremisesKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiers"].queryset = _quartiers()

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("site_web"))

    def clean(self):
        data = super().clean()
        low, high = data.get("surface_min_m2"), data.get("surface_max_m2")
        if low is not None and high is not None and low > high:
            self.add_error(
                "surface_max_m2",
                _("La surface maximale doit être supérieure ou égale à la surface minimale."),
            )
        return data


class ProposalForm(forms.Form):
    premises = forms.ModelChoiceField(
        label=_("Site"), queryset=Premises.objects.only("name"), widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=2000)


class ThirdPlaceFilterForm(forms.Form):
    """Filter of /foncier/tiers-lieux/ (GET)."""

    totem = forms.BooleanField(label=_("Lieux totems seulement"), required=False)


class PlaceFilterForm(forms.Form):
    """Filters of the public /lieux/ (GET): a service (of the taxonomy PlaceServiceKind), a
    quartier, the lieux totems, the bail commercial d'utilité sociale."""

    service = forms.ChoiceField(
        label=_("Service proposé"),
        required=False,
        error_messages={"invalid_choice": _("Ce service n'existe pas : choisissez-en un.")},
    )
    quartier = forms.ChoiceField(
        label=_("Quartier"),
        required=False,
        error_messages={"invalid_choice": _("Ce quartier n'existe pas : choisissez-en un.")},
    )
    totem = forms.BooleanField(label=_("Lieux totems de l'ESS seulement"), required=False)
    social_lease = forms.BooleanField(
        label=_("Acceptant le bail commercial d'utilité sociale"), required=False
    )

    def __init__(self, *args, quartiers: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quartier"].choices = [("", _("Tous les quartiers")), *quartiers]
        services = PlaceServiceKind.objects.values_list("slug", "name")
        self.fields["service"].choices = [("", _("Tous les services")), *services]


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut du besoin"), choices=NeedStatus.choices)


class ProposeToNeedForm(forms.Form):
    """From a site's page: propose the site to one of the open needs."""

    need = forms.ModelChoiceField(
        label=_("Besoin"),
        queryset=PremisesNeed.objects.none(),
        error_messages={"required": _("Choisissez le besoin auquel proposer ce site.")},
    )
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        # Its own ids: the stage form on the same page has a "note" field too (id_note).
        kwargs.setdefault("auto_id", "id_proposal_%s")
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = PremisesNeed.objects.filter(
            status__in=[NeedStatus.NEW, NeedStatus.IN_PROGRESS]
        ).only("title")
