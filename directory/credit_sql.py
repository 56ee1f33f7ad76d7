"""Raw SQL of the credits (directory.selectors.credit), beside directory/sql.py: bound
parameters only."""

#: The newest `%(rows)s` history rows of each organisation of `%(ids)s`, newest first, by
#: organisation (directory.selectors.credit: who typed a value). Written out because
#: compiling the ORM's window query cost more than running it (issue 20).
TYPED_HISTORY = """
SELECT * FROM (
    SELECT h.*, row_number() OVER (
        PARTITION BY h.id ORDER BY h.history_date DESC, h.history_id DESC) AS rank
    FROM directory_historicalorganisation h
    WHERE h.id = ANY(%(ids)s)
) ranked
WHERE rank <= %(rows)s
ORDER BY id, history_date DESC, history_id DESC
"""
