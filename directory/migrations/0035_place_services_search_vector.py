# The words of what each place offers (issue 17), kept by the database for the unified
# search's places: `directory_organisation.place_services_vector` is the text vector of the
# organisation's `cartography_placeservice` rows (kind and conditions; NULL without a
# service), and a partial GIN index covers a place's whole document (its listing's
# `search_vector` || its services'), so `/recherche/` no longer parses every place's services
# on each query.
#
# A column the ORM does not know, on purpose: cartography's rows derive it (a GeneratedField
# cannot read another table), so triggers on those rows keep it, and no `Organisation.save()`
# of a row loaded earlier can write an older value back over it.

from django.db import migrations

#: A service's words (same as directory.search_sql._SERVICE_TEXT when this was written).
SERVICE_TEXT = """concat_ws(' ', k.name, ps.audience, ps.price, ps.details,
    CASE WHEN ps.free THEN 'gratuit' END,
    CASE WHEN ps.on_reservation THEN 'sur réservation' END,
    CASE WHEN ps.accessibility = 'accessible' THEN 'accessible fauteuil roulant' END,
    CASE WHEN ps.social_lease THEN 'bail commercial utilité sociale' END)"""

KEPT = f"""
ALTER TABLE directory_organisation ADD COLUMN place_services_vector tsvector;

-- The vectors of the organisations `ids` written again from their services, in the
-- taxonomy's order; only the rows whose vector changes are written.
CREATE FUNCTION cartess_place_services_refresh(ids bigint[]) RETURNS void
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

CREATE FUNCTION cartess_place_services_kept() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cartess_place_services_refresh(ARRAY(SELECT organisation_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cartess_place_services_refresh(ARRAY(SELECT organisation_id FROM old_rows));
    ELSE
        PERFORM cartess_place_services_refresh(ARRAY(
            SELECT organisation_id FROM new_rows
            UNION SELECT organisation_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$body$;

-- A renamed kind of service changes the words of every place offering it.
CREATE FUNCTION cartess_place_service_kinds_kept() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM cartess_place_services_refresh(ARRAY(
        SELECT ps.organisation_id FROM cartography_placeservice ps
        JOIN new_rows n ON n.id = ps.kind_id
        JOIN old_rows o ON o.id = n.id
        WHERE n.name IS DISTINCT FROM o.name));
    RETURN NULL;
END
$body$;

CREATE TRIGGER place_services_inserted AFTER INSERT ON cartography_placeservice
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cartess_place_services_kept();
CREATE TRIGGER place_services_updated AFTER UPDATE ON cartography_placeservice
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cartess_place_services_kept();
CREATE TRIGGER place_services_deleted AFTER DELETE ON cartography_placeservice
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cartess_place_services_kept();
CREATE TRIGGER place_service_kinds_updated AFTER UPDATE ON cartography_placeservicekind
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cartess_place_service_kinds_kept();

-- A place's whole document, for the places that say what they offer; the others are
-- found through organisation_search_idx.
CREATE INDEX organisation_place_document_idx ON directory_organisation
    USING gin ((search_vector || place_services_vector))
    WHERE place_services_vector IS NOT NULL;

SELECT cartess_place_services_refresh(ARRAY(
    SELECT DISTINCT organisation_id FROM cartography_placeservice));
"""

DROPPED = """
DROP TRIGGER place_service_kinds_updated ON cartography_placeservicekind;
DROP TRIGGER place_services_deleted ON cartography_placeservice;
DROP TRIGGER place_services_updated ON cartography_placeservice;
DROP TRIGGER place_services_inserted ON cartography_placeservice;
DROP FUNCTION cartess_place_service_kinds_kept();
DROP FUNCTION cartess_place_services_kept();
DROP FUNCTION cartess_place_services_refresh(bigint[]);
DROP INDEX organisation_place_document_idx;
ALTER TABLE directory_organisation DROP COLUMN place_services_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0034_organisation_edited_by"),
        ("cartography", "0011_third_place_offers_to_services"),
    ]

    operations = [migrations.RunSQL(KEPT, DROPPED)]
