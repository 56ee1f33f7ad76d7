"""The importers, by slug, in the order `manage.py import --all` runs them.

Communes come first (their outlines are the territory test of the sources with points),
quartiers next (their parent is a commune), then the seed (its schemes link to its
organisations) and the national files.
"""

from importers.base import ImportSource
from importers.errors import UnknownSource

from .communes import CommunesSource
from .quartiers import QuartiersSource
from .seed import SeedSource
from .siae import SiaeSource
from .tiers_lieux import TiersLieuxSource

SOURCES: dict[str, type[ImportSource]] = {
    source.slug: source
    for source in (CommunesSource, QuartiersSource, SeedSource, TiersLieuxSource, SiaeSource)
}
#: What `import --all` loads: the bundled offline snapshot, in dependency order.
ALL = tuple(SOURCES)


def source_get(slug: str) -> ImportSource:
    """The importer of `slug`. Raises UnknownSource when there is none (yet)."""
    try:
        return SOURCES[slug]()
    except KeyError:
        raise UnknownSource(
            f"Source inconnue : {slug!r}. Sources disponibles : {', '.join(SOURCES)}."
        ) from None
