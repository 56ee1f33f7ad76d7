"""Exports in public schemas, each with a `datapackage.json` that says where it comes from.

`package.py` holds what every export says about itself (sources, licence, extraction date);
one module per schema maps Cartess's records to its columns (`dispositif_aide.py`: etalab
`dispositif-aide` for funding schemes). The schemas themselves are copies in `schemas/`.
"""
