"""The importers, by slug, in the order `manage.py import --all` runs them.

Communes come first (their outlines are the territory test of the sources with points),
quartiers next (their parent is a commune), then the seed (its schemes link to its
organisations) and the national files, and last the seed's closures (they close records the
sources before them loaded).
"""

from importers.engine.base import ImportSource
from importers.engine.errors import UnknownSource

from .aides_territoires import AidesTerritoiresSource
from .cartofriches import CartofrichesSource
from .communes import CommunesSource
from .data_inclusion import DataInclusionSource
from .network_csv import NetworkCsvSource
from .qpv import QpvSource
from .quartiers import QuartiersSource
from .recherche_entreprises import RechercheEntreprisesSource
from .rna import RnaSource
from .seed import SeedSource
from .seed_closures import SeedClosuresSource
from .siae import SiaeSource
from .sirene import SireneSource
from .tiers_lieux import TiersLieuxSource

SOURCES: dict[str, type[ImportSource]] = {
    source.slug: source
    for source in (
        CommunesSource,
        QuartiersSource,
        SeedSource,
        TiersLieuxSource,
        SiaeSource,
        SeedClosuresSource,
    )
}
#: What `import --all` loads: the bundled offline snapshot, in dependency order.
ALL = tuple(SOURCES)
#: Remote sources without a bundled file (not in ALL): run one by one, from their live
#: URL or with --file / --url.
SOURCES |= {
    source.slug: source
    for source in (
        RechercheEntreprisesSource,
        RnaSource,
        AidesTerritoiresSource,
        CartofrichesSource,
    )
}
#: National files without a bundled snapshot, and the networks' member files (not in ALL):
#: run one by one with --file (or --url).
SOURCES |= {
    source.slug: source
    for source in (SireneSource, QpvSource, DataInclusionSource, NetworkCsvSource)
}


def source_get(slug: str, *, geocode: bool = False) -> ImportSource:
    """The importer of `slug`; with `geocode`, one that geocodes when its source does it
    on request (ImportSource.geocodes_on_request). Raises UnknownSource when there is none
    (yet)."""
    try:
        source = SOURCES[slug]()
    except KeyError:
        raise UnknownSource(
            f"Source inconnue : {slug!r}. Sources disponibles : {', '.join(SOURCES)}."
        ) from None
    if geocode and source.geocodes_on_request:
        source.geocodes = True
    return source


def source_geocodes(slug: str) -> bool:
    """Whether `slug` places addresses with the BAN, always or on request (False when
    unknown)."""
    source = SOURCES.get(slug)
    return source is not None and (source.geocodes or source.geocodes_on_request)
