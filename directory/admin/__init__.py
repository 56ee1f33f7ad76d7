"""Administration of the directory, as a city officer or a network uses it.

Geometries are edited on Leaflet maps (django-leaflet); every changelist loads its related
rows up front (select_related / prefetch_related) so a page costs the same number of queries
whatever its length.
"""

# The submodules register their admins when imported.
from directory.admin import (  # noqa: F401
    base,
    freshness,
    lockouts,
    offers,
    organisations,
    people,
    synonyms,
    taxonomies,
)
