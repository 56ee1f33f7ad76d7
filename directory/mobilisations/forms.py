"""Forms of the requests to actors: the holder's request (and its space variant), and what
an actor does with it (status, referral)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.contributions.forms import HONEYPOT
from directory.models import HolderProfile, LegalFamily, MobilisationStatus, Sector, Stage

PROJECT_MAX = 2000


class MobilisationForm(forms.Form):
    """Who I am, my project in a few lines, its stage and legal form, how to reach me, and
    my consent. `token` and the honeypot keep robots out (directory.contributions)."""

    holder_profile = forms.ChoiceField(
        label=_("Vous êtes"), choices=HolderProfile.choices, widget=forms.RadioSelect
    )
    holder_name = forms.CharField(label=_("Votre nom ou celui de votre structure"), max_length=160)
    project = forms.CharField(
        label=_("Votre projet en quelques lignes"),
        max_length=PROJECT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que vous faites ou voulez faire, et ce que vous attendez de cet acteur."),
    )
    stage = forms.ModelChoiceField(
        label=_("Où en est le projet"),
        queryset=Stage.objects.all(),
        required=False,
        empty_label=_("Je ne sais pas"),
    )
    legal_family = forms.ModelChoiceField(
        label=_("Forme juridique"),
        queryset=LegalFamily.objects.all(),
        required=False,
        empty_label=_("Pas encore de structure, ou je ne sais pas"),
    )
    sector = forms.ModelChoiceField(
        label=_("Filière"), queryset=Sector.objects.all(), required=False, empty_label="—"
    )
    holder_email = forms.EmailField(
        label=_("Votre courriel"),
        error_messages={
            "required": _("Indiquez votre courriel : c'est par là que l'acteur vous répondra."),
            "invalid": _("Ce courriel n'est pas valide, par exemple : nom@exemple.fr."),
        },
    )
    holder_phone = forms.CharField(label=_("Votre téléphone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations soient transmises à cet acteur et aux personnes "
            "qui tiennent sa fiche, et conservées le temps dit sur la page « Données "
            "personnelles »."
        ),
        error_messages={"required": _("Sans votre accord, la demande ne peut pas être transmise.")},
    )
    token = forms.CharField(widget=forms.HiddenInput)
    # Left empty by people (hidden from them and from screen readers); robots fill it.
    site_web_bis = forms.CharField(required=False, label=_("Ne pas remplir"))

    SPACE_FIELDS: tuple[str, ...] = ()

    def request_values(self) -> dict:
        """The cleaned values a MobilisationData takes (not the space's)."""
        skipped = {"consent", "token", HONEYPOT, *self.SPACE_FIELDS}
        return {name: value for name, value in self.cleaned_data.items() if name not in skipped}

    def space_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SPACE_FIELDS}


class SpaceRequestForm(MobilisationForm):
    """A request to a place (issue 17): what, from when, for how long, for how many people,
    with which budget, on top of the request's fields."""

    space_what = forms.CharField(
        label=_("Ce qu'il vous faut"),
        max_length=200,
        help_text=_("Par exemple : une salle de réunion, un poste de coworking, une cuisine."),
    )
    space_from = forms.DateField(
        label=_("À partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Écrivez la date ainsi : 15/03/2027.")},
    )
    space_duration = forms.CharField(
        label=_("Pour combien de temps"),
        max_length=120,
        required=False,
        help_text=_("Par exemple : une demi-journée, tous les mardis, six mois."),
    )
    space_people = forms.IntegerField(
        label=_("Combien de personnes"), min_value=1, max_value=10000, required=False
    )
    space_budget = forms.IntegerField(
        label=_("Votre budget (€)"), min_value=0, max_value=10_000_000, required=False
    )

    SPACE_FIELDS = ("space_what", "space_from", "space_duration", "space_people", "space_budget")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "J'accepte que ces informations soient transmises à ce lieu et aux personnes qui "
            "tiennent sa fiche, puis, si aucun lieu ne peut m'accueillir, aux services de la "
            "Ville pour chercher des locaux ; et conservées le temps dit sur la page « Données "
            "personnelles »."
        )

    field_order = ["space_what", "space_from", "space_duration", "space_people", "space_budget"]


class StatusForm(forms.Form):
    """The status an actor gives a request ("orientée" comes with a referral)."""

    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            (value, label)
            for value, label in MobilisationStatus.choices
            if value != MobilisationStatus.REFERRED
        ],
    )


class ReferralForm(forms.Form):
    """Refer a request to another actor, with a note for them."""

    organisation = forms.ModelChoiceField(
        label=_("Orienter vers"),
        queryset=None,
        error_messages={"required": _("Choisissez l'acteur vers qui orienter la demande.")},
    )
    note = forms.CharField(
        label=_("Votre note pour cet acteur"),
        max_length=PROJECT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("La personne qui porte le projet en reçoit aussi copie."),
    )

    def __init__(self, *args, targets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = targets
