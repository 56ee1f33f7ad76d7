"""Raw SQL of the importers, in one package (STYLE rule 12), a module by purpose.

- `merge`: the bulk merge of staged organisations (importers.engine.bulk);
- `sirene`: the staging tables of the SIRENE files (importers.sources.sirene);
- `review`: possible duplicates and disagreements (importers.engine.review, and the bulk
  merge's disagreements).

Every value comes in as a bound parameter (`%(name)s`); identifiers come from code, never
from input. The benchmark's reset lives with the benchmark (importers.bench.sql).
"""
