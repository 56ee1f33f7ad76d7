"""Forms of the directory's write screens: they validate input, services do the writing."""

import re

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from directory.contacts import PERSONAL, UNREADABLE, public_email, public_phone
from directory.identifiers import siret_is_valid
from directory.models import Organisation, OrganisationKind, Sector

#: What a person typing a listing's contacts is told when the rule of directory.contacts
#: does not publish them.
CONTACT_ERRORS = {
    ("email", PERSONAL): _(
        "Cette adresse semble être celle d'une personne : indiquez l'adresse de la structure "
        "(contact@, accueil@…), elle sera publiée."
    ),
    ("phone", PERSONAL): _(
        "Numéro de mobile : indiquez le standard de la structure (un numéro fixe), il sera publié."
    ),
    ("phone", UNREADABLE): _("Numéro illisible : 10 chiffres, par exemple 03 20 12 34 56."),
    ("email", UNREADABLE): _("Adresse illisible."),
}


class PublicContactsMixin:
    """`email` and `phone` fields that publish only a structure's mailbox and landline (the
    one rule, directory.contacts); the refusal says why, what was typed stays in the form."""

    def clean_email(self) -> str:
        return _published(self.cleaned_data.get("email", ""), "email", public_email)

    def clean_phone(self) -> str:
        return _published(self.cleaned_data.get("phone", ""), "phone", public_phone)


def _published(value: str, field: str, rule) -> str:
    published, why = rule(value or "")
    if why:
        raise ValidationError(CONTACT_ERRORS[(field, why)], code=why)
    return published


class ListingForm(PublicContactsMixin, forms.Form):
    """Every field of a listing a person may know, as its owner, a network editor or a
    moderator corrects it.

    Each field carries its starting value in a hidden input (`show_hidden_initial`), so
    `listing_changes` returns what the person changed and nothing else: a field they did
    not touch (or that a partial form does not send) is never written, not even blanked.
    The point is typed as latitude and longitude (the map of the form writes them).
    """

    name = forms.CharField(label=_("Nom de la structure"), max_length=255, required=False)
    kinds = forms.ModelMultipleChoiceField(
        label=_("Types d'acteur"),
        queryset=OrganisationKind.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 chiffres, sur un avis de situation SIRENE (ex. 123 456 789 00012)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    street = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    address_complement = forms.CharField(
        label=_("Complément d'adresse"), max_length=255, required=False
    )
    postcode = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Un code postal compte 5 chiffres.")},
    )
    city = forms.CharField(label=_("Commune"), max_length=120, required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_(
            "En degrés décimaux, ex. 50.6330 ; la carte la remplit quand vous y placez le point."
        ),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("En degrés décimaux, ex. 3.0871."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    website = forms.URLField(
        label=_("Site web"), max_length=500, required=False, assume_scheme="https"
    )
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Filières"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    closed_on = forms.DateField(
        label=_("A fermé le"),
        required=False,
        help_text=_(
            "Seulement si la structure a fermé : sa fiche reste consultable, marquée fermée, "
            "mais quitte la carte et l'annuaire."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True

    def hidden_initials(self) -> str:
        """The hidden starting values of the checkbox lists, which the template draws choice
        by choice (other fields draw theirs with the field)."""
        return mark_safe(  # noqa: S308 - Django's own rendering of hidden inputs
            "".join(str(self[name].as_hidden(only_initial=True)) for name in ("kinds", "sectors"))
        )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        """The form's starting values: what the listing says today."""
        names = [name for name in cls.base_fields if hasattr(organisation, name)]
        initial = {name: getattr(organisation, name) for name in names}
        initial["kinds"] = [kind.slug for kind in organisation.kinds.all()]
        initial["sectors"] = [sector.slug for sector in organisation.sectors.all()]
        if organisation.location is not None:
            initial["latitude"] = round(organisation.location.y, 6)
            initial["longitude"] = round(organisation.location.x, 6)
        return initial

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name and "name" in self.changed_data:
            raise ValidationError(_("Une fiche a toujours un nom."), code="required")
        return name

    def clean_kinds(self):
        kinds = self.cleaned_data["kinds"]
        if not kinds and "kinds" in self.changed_data:
            raise ValidationError(_("Cochez au moins un type d'acteur."), code="required")
        return kinds

    def clean_siret(self) -> str:
        siret = re.sub(r"[\s.]", "", self.cleaned_data["siret"])
        if siret and (len(siret) != 14 or not siret.isdigit()):
            raise ValidationError(_("Un SIRET compte 14 chiffres."), code="invalid")
        if siret and not siret_is_valid(siret):
            raise ValidationError(
                _("Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le."),
                code="invalid",
            )
        return siret

    def clean(self) -> dict:
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        moved = {"latitude", "longitude"} & set(self.changed_data)
        if moved and (lat is None) != (lon is None) and not self.has_error("latitude"):
            self.add_error(
                "latitude" if lat is None else "longitude",
                _("Indiquez la latitude et la longitude, ou videz les deux pour retirer le point."),
            )
        return cleaned

    def listing_changes(self) -> dict:
        """The fields the person changed, as `organisation_listing_edit` takes them
        (`location` a Point or None, `kinds` and `sectors` slugs). Needs a valid form."""
        changed = set(self.changed_data)
        values = {
            name: self.cleaned_data[name]
            for name in changed
            if name not in ("latitude", "longitude")
        }
        for name in ("kinds", "sectors"):
            if name in values:
                values[name] = [term.slug for term in values[name]]
        if changed & {"latitude", "longitude"}:
            lat, lon = self.cleaned_data["latitude"], self.cleaned_data["longitude"]
            values["location"] = None if lat is None else Point(lon, lat, srid=4326)
        return values


class NetworkUploadForm(forms.Form):
    """A network's member file, checked and previewed by importers.web.uploads."""

    file = forms.FileField(
        label=_("Fichier CSV des adhérents"),
        help_text=_(
            "UTF-8 ou Latin-1, séparé par des virgules ou des points-virgules, 2 Mo au plus."
        ),
        error_messages={
            "required": _("Choisissez un fichier CSV."),
            "empty": _("Le fichier est vide."),
        },
    )


class NetworkUploadConfirmForm(forms.Form):
    """The token of the previewed file to apply."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
