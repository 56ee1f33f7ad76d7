"""Forms of the land workspace (/foncier/) and of the public premises need form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from cartography.models import (
    AreaKind,
    NeedStatus,
    OwnerType,
    PipelineStage,
    PlanningZone,
    Pollution,
    Premises,
    PremisesKind,
    PremisesNeed,
    PremisesStatus,
    ReferenceArea,
    ThirdPlaceOfferKind,
)
from cartography.selectors import LandFilters
from cartography.services import premises_geometry_validate
from directory.models import Organisation

ANY = [("", _("Tous"))]


def _quartiers():
    return ReferenceArea.objects.filter(kind=AreaKind.QUARTIER).only("name").order_by("name")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = _quartiers()

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
        )


class PremisesForm(forms.ModelForm):
    """A site created or edited by city staff; the point and the outline are drawn on a map."""

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
            "publication_status",
        )
        widgets = {
            "location": LeafletWidget(attrs={"geom_type": "POINT"}),
            "footprint": LeafletWidget(attrs={"geom_type": "MULTIPOLYGON"}),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "location": _("Cliquez sur l'outil « marqueur » puis sur la carte."),
            "footprint": _(
                "Dessinez le contour avec l'outil « polygone » ; sa surface est calculée "
                "en Lambert 93 et comparée à la surface déclarée."
            ),
            "owner_name": _("Réservé aux services de la Ville, jamais publié."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["third_place"].queryset = (
            Organisation.objects.filter(kinds__slug="tiers-lieu").only("name").order_by("name")
        )

    def clean(self):
        data = super().clean()
        if "location" in self.errors or "footprint" in self.errors:
            return data
        errors = premises_geometry_validate(
            location=data.get("location"), footprint=data.get("footprint")
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data


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


class ThirdPlaceOfferForm(forms.Form):
    offers = forms.MultipleChoiceField(
        label=_("Ce que le lieu propose"),
        choices=ThirdPlaceOfferKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Précisions (conditions, tarifs, contact)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


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
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = PremisesNeed.objects.filter(
            status__in=[NeedStatus.NEW, NeedStatus.IN_PROGRESS]
        ).only("title")
