"""Forms of the directory's write screens: they validate input, services do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.contacts import PERSONAL, UNREADABLE, public_email, public_phone
from directory.models import Organisation, Sector

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
    """The public fields of a listing, as a network editor or a moderator corrects them."""

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

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        """The form's starting values: what the listing says today."""
        initial = {name: getattr(organisation, name) for name in cls.base_fields}
        initial["sectors"] = [sector.slug for sector in organisation.sectors.all()]
        return initial

    def listing_values(self) -> dict:
        """The cleaned values as `organisation_listing_edit` takes them (sector slugs)."""
        values = dict(self.cleaned_data)
        values["sectors"] = [sector.slug for sector in values["sectors"]]
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
