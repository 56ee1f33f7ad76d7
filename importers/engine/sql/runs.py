"""The SQL of a run's life (importers.engine.runs): its advisory lock, the dead runs, the
limits of its transaction.

A run holds the session-level advisory lock (RUN_LOCK_CLASS, its id modulo 2^31): the
two-integer form, so that pg_locks shows it as classid / objid with objsubid = 2.
"""

#: The first key of every run's advisory lock ("CART" in ASCII): apart from other users'.
RUN_LOCK_CLASS = 0x43415254

LOCK = "SELECT pg_try_advisory_lock(%(class)s, %(key)s)"
UNLOCK = "SELECT pg_advisory_unlock(%(class)s, %(key)s)"

#: Runs "en cours" whose lock no session of this database holds: their process died.
MARK_INTERRUPTED = """
UPDATE importers_importrun AS run
   SET status = %(interrupted)s, finished_at = greatest(now(), run.started_at), error = %(error)s
 WHERE run.status = %(running)s
   AND NOT EXISTS (
       SELECT 1
         FROM pg_locks AS held
        WHERE held.locktype = 'advisory'
          AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND held.classid = %(class)s
          AND held.objid::bigint = run.id %% 2147483648
          AND held.objsubid = 2
          AND held.granted)
RETURNING run.id
"""

#: The limits of the run's transaction, restored by LIMITS_SET with the values read before.
LIMITS_READ = "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')"
LIMITS_SET = (
    "SELECT set_config('lock_timeout', %(lock)s, true), "
    "set_config('statement_timeout', %(statement)s, true)"
)
