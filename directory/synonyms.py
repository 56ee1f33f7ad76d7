"""The ESS thesaurus of the search: synonyms declared as data in PostgreSQL's text search.

A table of terms grouped by concept (`directory_search_synonym`, filled by the migration
`0024_search_synonyms`), a view of rewrite rules (`directory_search_rewrite`: each term's
query -> the whole concept, OR-ed) and a function `cartess_synonyms(tsquery)` that applies
them with PostgreSQL's `ts_rewrite(query, 'SELECT target, substitute FROM ...')`.

Query rewriting rather than a synonym or thesaurus *dictionary*: those read a file from the
server's `share/tsearch_data` directory, which a migration cannot write on a managed
PostgreSQL; a table is plain data, dumped and restored with the rest, and changed by a
migration. "vélo" becomes `velo:* | cycl:* | bicyclet:* | (mobilit:* & douc:*)`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.search import WORD

SYNONYM_TABLE = "directory_search_synonym"

CREATE_SYNONYMS = r"""
CREATE TABLE directory_search_synonym (
    id bigserial PRIMARY KEY,
    concept text NOT NULL,
    term text NOT NULL UNIQUE,
    -- What a query must hold for the rule to apply: the term's words, stemmed, all present.
    target tsquery GENERATED ALWAYS AS (plainto_tsquery('french_unaccent'::regconfig, term))
        STORED
);

-- The term as prefixes, like the words of a query ("ressourcerie" -> 'ressourcer':*); words
-- of fewer than four letters stay exact ('dla', 'iae'): as prefixes they match anything.
CREATE FUNCTION public.cartess_term_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT regexp_replace(
        plainto_tsquery('public.french_unaccent'::regconfig, $1)::text,
        '''([^'']{4,})''', '''\1'':*', 'g')::tsquery $$;

CREATE AGGREGATE public.cartess_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

CREATE VIEW directory_search_rewrite AS
SELECT s.target, c.substitute
FROM directory_search_synonym s
JOIN (
    SELECT concept, public.cartess_tsquery_or(public.cartess_term_query(term)) AS substitute
    FROM directory_search_synonym GROUP BY concept
) c ON c.concept = s.concept
WHERE numnode(s.target) > 0;

-- Only the rules whose words the query holds are read (ts_rewrite runs its SELECT once).
CREATE FUNCTION public.cartess_synonyms(tsquery) RETURNS tsquery
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    AS $$ SELECT ts_rewrite($1, format(
        'SELECT target, substitute FROM public.directory_search_rewrite'
        ' WHERE %L::tsquery @> target', $1::text)) $$;
"""

DROP_SYNONYMS = """
DROP FUNCTION IF EXISTS public.cartess_synonyms(tsquery);
DROP VIEW IF EXISTS directory_search_rewrite;
DROP AGGREGATE IF EXISTS public.cartess_tsquery_or(tsquery);
DROP FUNCTION IF EXISTS public.cartess_term_query(text);
DROP TABLE IF EXISTS directory_search_synonym;
"""

INSERT_SYNONYM = "INSERT INTO directory_search_synonym (concept, term) VALUES (%s, %s)"

#: What the search would read of a term, and the concept already holding the same words
#: (another row than `%(pk)s`): (query text, concept, term).
TERM_CHECK = """
SELECT plainto_tsquery('french_unaccent', %(term)s)::text,
    s.concept, s.term
FROM (SELECT 1) one
LEFT JOIN directory_search_synonym s
    ON s.target = plainto_tsquery('french_unaccent', %(term)s)
   AND s.id IS DISTINCT FROM %(pk)s
LIMIT 1
"""


def search_synonym_clean(*, concept: str, term: str, pk: int | None = None) -> tuple[str, str]:
    """The concept (as a slug: "Vélo" -> "velo") and the term (spaces collapsed) a person
    typed, checked as the search reads them. One query.

    Raises ValidationError (messages by field, in French) when the term is empty, has no
    word the search keeps (only stop words such as "de", "la"), holds a one-letter word
    (the search drops them, so the rule would never apply), or has the same words as a
    term already in the thesaurus (row `pk` apart): a term belongs to one concept only.
    """
    concept, term = slugify(concept), " ".join(term.split())
    errors = {}
    if not concept:
        errors["concept"] = _("Nommez le concept avec au moins une lettre ou un chiffre.")
    if not WORD.search(term):
        errors["term"] = _("Le terme est vide : saisissez au moins un mot.")
        raise ValidationError(errors)
    with connection.cursor() as cursor:
        cursor.execute(TERM_CHECK, {"term": term, "pk": pk})
        query, other_concept, other_term = cursor.fetchone()
    lexemes = re.findall(r"'([^']*)'", query)
    if not lexemes:
        errors["term"] = _(
            "Ce terme n'a que des mots vides (comme « de », « la », « et ») : la recherche "
            "l'ignorerait. Ajoutez un mot qui a du sens."
        )
    elif any(len(lexeme) == 1 for lexeme in lexemes):
        errors["term"] = _(
            "Un mot d'une seule lettre (comme « à » ou « l' ») est ignoré par la recherche : "
            "écrivez le terme sans lui."
        )
    elif other_term is not None:
        errors["term"] = _(
            "Ce terme a les mêmes mots que « %(term)s », déjà dans le concept « %(concept)s » : "
            "un terme n'appartient qu'à un concept."
        ) % {"term": other_term, "concept": other_concept}
    if errors:
        raise ValidationError(errors)
    return concept, term
