"""The fields of an organisation in the SQL of the bulk merge, generated from one list.

Every list of organisation fields the bulk merge needs (the staged columns, the JSON
snapshots the human-edit rule compares, the columns a new organisation is inserted with,
the assignments of an update) is built here from `importers.engine.loaders.ORGANISATION_FIELDS`,
the fields `OrganisationLoader` snapshots for the row-by-row path: a field added there is
staged, compared and written by the bulk path too, or a statement fails loudly (a source's
SELECT must then give it). Only identifiers of this code go into the SQL, never input.
"""

from directory.records import COORDINATE_DECIMALS
from importers.engine.loaders import ORGANISATION_FIELDS

#: The many-to-many fields: the link table, the link's column naming the term, and the
#: term table (a term is staged and compared as its slug).
TERMS = {
    "kinds": ("directory_organisation_kinds", "organisationkind_id", "directory_organisationkind"),
    "sectors": ("directory_organisation_sectors", "sector_id", "directory_sector"),
}
#: The legal family is staged and compared as its slug; the model holds its id.
LEGAL_FAMILY = "legal_family"
#: The fields that are columns of directory_organisation as they are.
COLUMNS = tuple(name for name in ORGANISATION_FIELDS if name not in {*TERMS, LEGAL_FAMILY})

#: The type of each staged field that is not NOT NULL text. A row without a name is staged
#: too, to be rejected with its reason.
_STAGE_TYPES = {
    "name": "text",
    "location": "geometry(Point, 4326)",
    "geocoding_score": "double precision",
    "kinds": "text[] NOT NULL",
    "sectors": "text[] NOT NULL",
}
#: The staged columns of the fields, (name, type), in the order of ORGANISATION_FIELDS.
STAGE_COLUMNS = tuple(
    (name, _STAGE_TYPES.get(name, "text NOT NULL")) for name in ORGANISATION_FIELDS
)


def point_json(column: str) -> str:
    """The point `column` as [lon, lat] JSON rounded like directory.records.point_value
    (about a centimetre), or JSON null."""
    rounded = ", ".join(
        f"round({axis}({column})::numeric, {COORDINATE_DECIMALS})" for axis in ("ST_X", "ST_Y")
    )
    return f"CASE WHEN {column} IS NULL THEN 'null'::jsonb ELSE jsonb_build_array({rounded}) END"


def _object(expressions: dict[str, str]) -> str:
    pairs = ",\n    ".join(f"'{name}', {expression}" for name, expression in expressions.items())
    return f"jsonb_build_object(\n    {pairs})"


def _staged(name: str) -> str:
    if name == "location":
        return point_json("s.location")
    if name in TERMS:
        return f"to_jsonb(s.{name})"
    return f"s.{name}"


def _current(name: str) -> str:
    if name == "location":
        return point_json("o.location")
    if name == LEGAL_FAMILY:
        return "coalesce(family.slug, '')"
    if name in TERMS:
        link, term_column, terms = TERMS[name]
        return f"""coalesce((
        SELECT jsonb_agg(t.slug ORDER BY t.slug)
        FROM {link} l JOIN {terms} t ON t.id = l.{term_column}
        WHERE l.organisation_id = o.id), '[]'::jsonb)"""  # noqa: S608 - identifiers of this module
    return f"o.{name}"


#: The values of a staged row `s` as JSON, in the shape of OrganisationLoader.snapshot_data
#: (what Provenance.imported_values remembers).
STAGED_VALUES = _object({name: _staged(name) for name in ORGANISATION_FIELDS})
#: The same values read from the organisation `o` (its legal family joined as `family`), in
#: the shape of OrganisationLoader.snapshot_instance.
CURRENT_VALUES = _object({name: _current(name) for name in ORGANISATION_FIELDS})


def _assignment(name: str) -> str:
    if name == LEGAL_FAMILY:
        return f"""legal_family_id = CASE WHEN d.write ? '{name}' THEN (
        SELECT family.id FROM directory_legalfamily family WHERE family.slug = s.{name}
    ) ELSE o.legal_family_id END"""  # noqa: S608 - identifiers of this module
    return f"{name} = CASE WHEN d.write ? '{name}' THEN s.{name} ELSE o.{name} END"


#: The SET clauses of an organisation `o` from its decision `d` (import_decision) and
#: staged row `s`: a field is written when the decision's `write` names it.
ASSIGNMENTS = ",\n    ".join(_assignment(name) for name in (*COLUMNS, LEGAL_FAMILY))
#: Whether the decision `d` writes a field of the organisation's own row (not only terms).
WRITES_COLUMNS = "(d.write - ARRAY[{}]) <> '{{}}'".format(", ".join(f"'{name}'" for name in TERMS))
