"""What an organisation's page says of the QPV its établissement is in, as a source gives
it (SIRENE's geolocation file, `plg_qp24`, imported as `Organisation.qpv_code`): the code,
the QPV's name when the QPV 2024 outlines are loaded and one has this code, and who gave it
with the source's own date ("SIRENE au 1er novembre 2026")."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.areas import reference_areas_by_key_get
from directory.models import Organisation
from directory.selectors.credit import OrganisationCredit

#: The source whose geolocation file gives the code (importers.sources.sirene).
SIRENE_SLUG = "sirene"


@dataclass(frozen=True)
class OrganisationQpv:
    """The QPV a source (or a person) places the organisation in."""

    code: str
    #: The loaded QPV outline's name with this code; "" when the layer is not loaded or
    #: has no such code (the code is still shown: it is the source's fact).
    name: str
    #: Who gave the code, in the page's words ("géolocalisation SIRENE (INSEE)"); "" when
    #: a person typed it (the page's "Saisi par" says so).
    given_by: str
    #: The crediting sources' own dates, "" when they give none.
    dated: str


def organisation_qpv_get(
    *, organisation: Organisation, credit: OrganisationCredit
) -> OrganisationQpv | None:
    """The QPV of `organisation` as its `qpv_code` says, or None without a code. One query
    (the QPV's name) when it has a code, none otherwise."""
    if not organisation.qpv_code:
        return None
    areas = reference_areas_by_key_get(keys=[f"qpv:{organisation.qpv_code}"])
    sources = credit.field_sources("qpv_code")
    names = [
        _("géolocalisation SIRENE (INSEE)") if source.slug == SIRENE_SLUG else source.name
        for source in sources
    ]
    return OrganisationQpv(
        code=organisation.qpv_code,
        name=areas[0].name if areas else "",
        given_by=", ".join(names),
        dated=", ".join(source.dated for source in sources if source.dated),
    )
