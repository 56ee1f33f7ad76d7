"""Raw SQL of the directory app, kept in one place (STYLE rule 12)."""

CREATE_SEARCH_CONFIGURATION = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
"""
DROP_SEARCH_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"

# unaccent() is only STABLE (it reads its dictionary through search_path); naming the
# dictionary explicitly makes the result fixed, so the wrapper can be IMMUTABLE and indexed.
CREATE_IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION public.cartess_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
DROP_IMMUTABLE_UNACCENT = "DROP FUNCTION IF EXISTS public.cartess_unaccent(text);"
