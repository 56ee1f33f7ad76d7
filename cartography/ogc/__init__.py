"""OGC API Features, Part 1 Core, at `/ogc/` (GDAL's `OAPIF:` driver, QGIS): the layers of
cartography.layers as collections (`collections.py`), their query parameters and errors
(`params.py`), the reads (`selectors.py`) and the endpoints (`views.py`, `urls.py`)."""
