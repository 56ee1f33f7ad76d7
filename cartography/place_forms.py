"""The form a place of the ESS fills to say what it offers (issue 17): one form per service
and per space, in two formsets. Errors are in French; what was typed stays in the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cartography.models import Accessibility, PlaceServiceKind

#: Empty rows offered at the end of each formset.
EXTRA_ROWS = 2


class PlaceServiceForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Service"),
        queryset=PlaceServiceKind.objects.all(),
        to_field_name="slug",
        empty_label=_("Choisissez un service"),
        error_messages={
            "required": _("Choisissez le service proposé."),
            "invalid_choice": _("Ce service n'existe pas : choisissez-en un de la liste."),
        },
    )
    audience = forms.CharField(
        label=_("Public concerné"),
        required=False,
        max_length=255,
        help_text=_("Par exemple : associations adhérentes, porteurs de projet de l'ESS."),
    )
    free = forms.BooleanField(label=_("Gratuit"), required=False)
    price = forms.CharField(
        label=_("Tarif"),
        required=False,
        max_length=255,
        help_text=_("Par exemple : 15 € la demi-journée. Laissez vide si c'est gratuit."),
    )
    on_reservation = forms.BooleanField(label=_("Sur réservation"), required=False)
    accessibility = forms.ChoiceField(
        label=_("Accessibilité"), choices=Accessibility.choices, initial=Accessibility.UNKNOWN
    )
    social_lease = forms.BooleanField(
        label=_("Accepte le bail commercial d'utilité sociale"), required=False
    )
    details = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("free") and data.get("price"):
            self.add_error(
                "price",
                _("Un service gratuit n'a pas de tarif : videz le tarif ou décochez « Gratuit »."),
            )
        return data


class PlaceSpaceForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de l'espace"),
        max_length=160,
        error_messages={"required": _("Donnez un nom à l'espace (par exemple : salle Nelson).")},
    )
    surface_m2 = forms.IntegerField(
        label=_("Surface (m²)"),
        required=False,
        min_value=1,
        max_value=100000,
        error_messages={"invalid": _("Saisissez la surface en mètres carrés, un nombre entier.")},
    )
    capacity = forms.IntegerField(
        label=_("Capacité (personnes)"),
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={"invalid": _("Saisissez le nombre de personnes, un nombre entier.")},
    )
    availability = forms.CharField(
        label=_("Disponibilité"),
        required=False,
        max_length=255,
        help_text=_("Par exemple : en semaine de 9 h à 18 h, sur réservation."),
    )


class BasePlaceFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette ligne")


class BasePlaceServiceFormSet(BasePlaceFormSet):
    def clean(self):
        """The same service twice is refused: each service has one set of conditions."""
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            kind = form.cleaned_data.get("kind")
            if not kind or form.cleaned_data.get("DELETE"):
                continue
            if kind.pk in seen:
                form.add_error(
                    "kind",
                    _("« %(name)s » figure deux fois : gardez une seule ligne par service.")
                    % {"name": kind.name},
                )
            seen.add(kind.pk)


PlaceServiceFormSet = forms.formset_factory(
    PlaceServiceForm,
    formset=BasePlaceServiceFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=20,
    validate_max=True,
)
PlaceSpaceFormSet = forms.formset_factory(
    PlaceSpaceForm,
    formset=BasePlaceFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def kept_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The cleaned rows of a valid `formset` that were filled and not marked for deletion."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class PlaceTotemForm(forms.Form):
    """The city's mark "lieu totem", shown to moderators and city staff only."""

    totem = forms.BooleanField(
        label=_("Lieu totem de l'ESS"),
        required=False,
        help_text=_(
            "Cochez si la Ville compte ce lieu parmi les lieux totems qu'elle met en réseau. "
            "Information publique."
        ),
    )
