"""The form "Recevoir les nouveautés par e-mail" of `/parcours/` and `/financements/`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import SavedSearchPage

#: Left empty by people (hidden from them and from screen readers); robots fill it.
HONEYPOT = "telephone_bis"


class AlertRequestForm(forms.Form):
    """An address, the page and its query string (hidden, carried from the page)."""

    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_(
            "Sans compte. Nous vous enverrons un lien pour confirmer ; l'adresse ne sert qu'à "
            "ces envois."
        ),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."),
        },
    )
    page = forms.ChoiceField(choices=SavedSearchPage.choices, widget=forms.HiddenInput)
    criteres = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
    telephone_bis = forms.CharField(required=False, label=_("Ne pas remplir"))
