# The names of what each place offers, kept by the database beside their words (issue 20):
# `directory_organisation.place_service_names` is the names of the organisation's
# `cartography_placeservice` kinds, in the taxonomy's order (position, then name), `{}` without
# a service. The places' map, `/lieux/`, the third places' screens and the unified search read
# it instead of aggregating every place's services on each request: at 1,000,000
# organisations (3,469 places, half of them with services), the places' GeoJSON's SQL went
# from 31.7 to 28.7 ms (medians of 19 runs each, alternated).
#
# The same triggers as `place_services_vector` keep it (migration 0035): the function they
# call now writes both. A kind whose position changes reorders its places' names, so the
# kinds' trigger now fires on a new position too. Unknown to the ORM for the same reason as
# the vector: no `Organisation.save()` of a row loaded earlier can write an older value back.

from django.db import migrations

#: A service's words (as in migration 0035 and directory.search_sql._SERVICE_TEXT).
SERVICE_TEXT = """concat_ws(' ', k.name, ps.audience, ps.price, ps.details,
    CASE WHEN ps.free THEN 'gratuit' END,
    CASE WHEN ps.on_reservation THEN 'sur réservation' END,
    CASE WHEN ps.accessibility = 'accessible' THEN 'accessible fauteuil roulant' END,
    CASE WHEN ps.social_lease THEN 'bail commercial utilité sociale' END)"""


def kinds_kept(changed: str) -> str:
    """The kinds' trigger function, refreshing the places of the kinds whose `changed` (an
    expression on the old row `o` and the new row `n`) is true."""
    return f"""
CREATE OR REPLACE FUNCTION cartess_place_service_kinds_kept() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM cartess_place_services_refresh(ARRAY(
        SELECT ps.organisation_id FROM cartography_placeservice ps
        JOIN new_rows n ON n.id = ps.kind_id
        JOIN old_rows o ON o.id = n.id
        WHERE {changed}));
    RETURN NULL;
END
$body$;
"""  # noqa: S608 - fixed fragments


KEPT = f"""
ALTER TABLE directory_organisation
    ADD COLUMN place_service_names varchar(80)[] NOT NULL DEFAULT '{{}}';

CREATE OR REPLACE FUNCTION cartess_place_services_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $body$
UPDATE directory_organisation o
SET place_services_vector = v.vector, place_service_names = v.names
FROM (
    SELECT i.id, s.vector, coalesce(s.names, '{{}}') AS names
    FROM (SELECT DISTINCT unnest(ids) AS id) i
    CROSS JOIN LATERAL (
        SELECT to_tsvector('french_unaccent',
                   string_agg({SERVICE_TEXT}, ' ' ORDER BY k.position, k.name, ps.id)) AS vector,
               array_agg(k.name ORDER BY k.position, k.name, ps.id) AS names
        FROM cartography_placeservice ps
        JOIN cartography_placeservicekind k ON k.id = ps.kind_id
        WHERE ps.organisation_id = i.id) s
) v
WHERE o.id = v.id
  AND (o.place_services_vector IS DISTINCT FROM v.vector
       OR o.place_service_names IS DISTINCT FROM v.names);
$body$;

-- A renamed or moved kind of service changes the words or the order of every place offering it.
{kinds_kept("(n.name, n.position) IS DISTINCT FROM (o.name, o.position)")}
SELECT cartess_place_services_refresh(ARRAY(
    SELECT DISTINCT organisation_id FROM cartography_placeservice));
"""  # noqa: S608 - fixed fragments

#: Migration 0035's two functions, as they were.
DROPPED = f"""
CREATE OR REPLACE FUNCTION cartess_place_services_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $body$
UPDATE directory_organisation o SET place_services_vector = v.vector
FROM (
    SELECT i.id, (
        SELECT to_tsvector('french_unaccent',
            string_agg({SERVICE_TEXT}, ' ' ORDER BY k.position, k.name, ps.id))
        FROM cartography_placeservice ps
        JOIN cartography_placeservicekind k ON k.id = ps.kind_id
        WHERE ps.organisation_id = i.id) AS vector
    FROM (SELECT DISTINCT unnest(ids) AS id) i
) v
WHERE o.id = v.id AND o.place_services_vector IS DISTINCT FROM v.vector;
$body$;

{kinds_kept("n.name IS DISTINCT FROM o.name")}
ALTER TABLE directory_organisation DROP COLUMN place_service_names;
"""  # noqa: S608 - fixed fragments


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0041_organisation_kinds_kind_org_idx"),
        ("cartography", "0013_premises_need_anonymised_at"),
    ]

    operations = [migrations.RunSQL(KEPT, reverse_sql=DROPPED)]
