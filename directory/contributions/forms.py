"""Forms of `/contribuer/` and of the moderation screen."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.forms import PublicContactsMixin
from directory.identifiers import siret_is_valid

HONEYPOT = "site_web_bis"


class ContributionForm(PublicContactsMixin, forms.Form):
    """A new listing or a correction; every proposed field is optional but the new name."""

    name = forms.CharField(label=_("Nom de la structure"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    street = forms.CharField(label=_("Adresse"), max_length=255, required=False)
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
    email = forms.EmailField(label=_("Courriel de la structure"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    message = forms.CharField(
        label=_("Votre message aux modérateurs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Ce qui est faux, ce qui manque, d'où vient l'information."),
    )
    author_email = forms.EmailField(
        label=_("Votre courriel"),
        required=False,
        help_text=_("Pour vous dire si la suggestion est retenue ; il n'est jamais publié."),
    )
    token = forms.CharField(widget=forms.HiddenInput)
    # Left empty by people (hidden from them and from screen readers); robots fill it.
    site_web_bis = forms.CharField(required=False, label=_("Ne pas remplir"))

    def __init__(self, *args, correction: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.correction = correction
        if correction:
            del self.fields["name"]
        else:
            self.fields["name"].required = True

    def clean(self) -> dict:
        cleaned = super().clean()
        proposed = [name for name, value in cleaned.items() if value and name != "token"]
        if self.correction and not set(proposed) - {"author_email", HONEYPOT}:
            raise forms.ValidationError(_("Indiquez au moins une correction ou un message."))
        return cleaned

    def suggestion_values(self) -> dict:
        """The proposed values and the author's email, as SuggestionData takes them."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("token", HONEYPOT)
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Envoyé à l'auteur s'il a laissé son courriel."),
    )


class ClaimForm(forms.Form):
    """ "This is my organisation": its SIRET (checked) and a word for the moderators."""

    siret = forms.CharField(
        label=_("SIRET de l'organisation"),
        max_length=20,
        help_text=_(
            "14 chiffres, sur un avis de situation SIRENE ou une facture (ex. 123 456 789 00012)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Votre rôle dans l'organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_("Ex. : « Je suis la coordinatrice de l'association. »"),
    )

    def clean_siret(self) -> str:
        siret = re.sub(r"[\s.]", "", self.cleaned_data["siret"])
        if len(siret) != 14 or not siret.isdigit():
            raise forms.ValidationError(_("Un SIRET compte 14 chiffres."))
        if not siret_is_valid(siret):
            raise forms.ValidationError(
                _("Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le.")
            )
        return siret


class ClaimRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Envoyé par courriel à la personne."),
    )


class MembershipRequestRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Gardé avec la demande ; le réseau le lit s'il renvoie la structure."),
    )


class NetworkTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=80,
        help_text=_("Pour le reconnaître, ex. « Synchronisation du CRM »."),
    )


class RemovalRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi retirer la fiche ?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Ex. : « L'association ne relève pas de l'ESS » ; lu par l'équipe de Cartess."),
    )


class RemovalRefuseForm(forms.Form):
    note = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Envoyé par courriel à la personne qui a demandé le retrait."),
    )
