"""Whether an Aides-territoires aid's perimeter covers Lille: the rule of the
`aides-territoires` source (its `set_aside`), pure.

An aid is for Lille when its perimeter is one that contains the city: the commune itself
(or Hellemmes, Lomme), the Métropole européenne de Lille (the EPCI), the département du
Nord, the région Hauts-de-France, France, or Europe. Any other perimeter (Morbihan,
Occitanie, a LEADER territory, another EPCI...) is another territory. An aid whose
perimeter is not given (the site's CSV export has no such column) is not published either:
where it applies is unknown. It is imported as a draft (`UnplacedAidLoader`) for a moderator
to place and publish (admin: funding schemes, "Publication : Brouillon"); a later import
keeps the moderator's choice.

The API names the perimeter ("Hauts-de-France", "Nord", "France", sometimes with a code in
brackets: "Lille (59350)"); names are compared without accents, case, hyphens or
apostrophes. The API also filters by a perimeter id (`perimeter=<id>` on /aids/, ids from
/perimeters/), which would include the wider perimeters too; ids are not stable across
the site's versions and cannot be checked offline, so the filter is applied here, on the
names, the same way for the API and for saved files.
"""

import re
import unicodedata

from directory.models import FundingScheme, PublicationStatus
from directory.records import FundingSchemeData
from importers.engine.loaders import FundingSchemeLoader

#: Perimeter names (normalised by `perimeter_key`) that contain Lille.
PERIMETERS_WITH_LILLE = frozenset(
    {
        "lille",
        "hellemmes",
        "lomme",
        "metropole europeenne de lille",
        "metropole europeenne de lille mel",
        "mel",
        "nord",
        "departement du nord",
        "hauts de france",
        "region hauts de france",
        "france",
        "france metropolitaine",
        "france hexagonale",
        "france hexagonale et outre mer",
        "france metropolitaine et outre mer",
        "europe",
        "union europeenne",
    }
)


def perimeter_key(name: str) -> str:
    """`name` without accents, case, a trailing "(code)", hyphens or apostrophes. Pure."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip()).replace("\u2019", "'")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-']+", " ", plain.lower()).strip()


def perimeter_covers_lille(name: str) -> bool | None:
    """True when the perimeter `name` contains Lille, False when it is another territory,
    None when no perimeter is given. Pure."""
    key = perimeter_key(name)
    if not key:
        return None
    return key in PERIMETERS_WITH_LILLE


class UnplacedAidLoader(FundingSchemeLoader):
    """The funding-scheme loader of `aides-territoires`: an aid created without a known
    perimeter (its `territory_label`) is a draft, never published by the import. The
    publication status is not a field the import writes: a moderator's choice stays."""

    def create(self, data: FundingSchemeData) -> FundingScheme:
        scheme = super().create(data)
        if perimeter_covers_lille(data.territory_label) is None:
            scheme.publication_status = PublicationStatus.DRAFT
            scheme.save(update_fields=["publication_status"])
        return scheme
