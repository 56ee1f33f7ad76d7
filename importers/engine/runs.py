"""The life of an import run as PostgreSQL sees it: which runs are still alive, the limits
of a run's transaction, and what a database error means for a run.

**Alive or dead.** A run holds a session-level PostgreSQL advisory lock keyed by its id from
the moment it exists (`run_open`: the row and the lock are committed together) until it is
recorded (`run_close`). A process that dies (kill -9, a worker timeout, PostgreSQL stopped
or restarted) loses its session, and PostgreSQL releases the lock with it: a run "en cours"
whose lock nobody holds is dead, exactly, whatever the time it took. `runs_interrupted_mark`
records those as "interrompu"; it runs before every run, after `manage.py migrate` (the
start-up of every deployment) and from `manage.py import --check-runs`. No run waits for
another's lock, so a dead run never blocks a new one. (A transaction-pooling proxy such as
PgBouncer in transaction mode would break session locks: Cartess connects directly.)

**Limits.** The run's transaction gets a `lock_timeout` (`CARTESS_IMPORT_LOCK_TIMEOUT`) and
a `statement_timeout` of the time left before the run's deadline: a statement waiting for
another's lock, or running past the deadline, is cancelled by PostgreSQL.

**Database errors.** A row the database refuses for what it says (a unique or check
constraint, a value out of range: IntegrityError, DataError) is that row's rejection. Any
other database error (a lock or statement timeout, a deadlock, a lost connection) is the
run's: `database_failure` turns it into DatabaseFailed (or RunInterrupted when the deadline
cancelled the statement), the run rolls back and is recorded as failed with its French cause.
"""

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Source
from importers.engine.deadline import Deadline
from importers.engine.errors import DatabaseFailed, ImportFailed, RunInterrupted
from importers.engine.sql import execute
from importers.engine.sql import runs as sql
from importers.models import ImportRun, RunStatus

logger = logging.getLogger(__name__)

#: SQLSTATE codes -> what they mean for the person who runs the import.
_SQLSTATE_CAUSES = {
    "55P03": gettext_lazy("un verrou tenu par une autre opération n'a pas été libéré à temps"),
    "57014": gettext_lazy("une requête a dépassé le délai accordé et a été annulée"),
    "40P01": gettext_lazy("blocage mutuel (deadlock) avec une autre opération"),
    "40001": gettext_lazy("conflit avec une autre opération simultanée"),
    "53100": gettext_lazy("le disque du serveur de base de données est plein"),
    "53200": gettext_lazy("le serveur de base de données manque de mémoire"),
    "57P01": gettext_lazy("le serveur de base de données s'est arrêté"),
    "57P02": gettext_lazy("le serveur de base de données s'est arrêté"),
    "57P03": gettext_lazy("le serveur de base de données démarre ou s'arrête"),
}


def run_open(*, source: Source, dry_run: bool, parameters: dict[str, Any]) -> ImportRun:
    """Create the run "en cours" and take its advisory lock, committed together: no other
    session can see the run without its lock. Returns the run."""
    process = {"process": f"{socket.gethostname()}:{os.getpid()}"}
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=source, dry_run=dry_run, parameters=parameters | process
        )
        execute(sql.LOCK, _lock_params(run))
    return run


def run_close(run: ImportRun) -> None:
    """Release the run's lock once it is recorded. A lost connection released it already."""
    try:
        execute(sql.UNLOCK, _lock_params(run))
    except DatabaseError as error:
        logger.info("Run %s: its lock went with its session (%s)", run.pk, error)


def runs_interrupted_mark() -> list[int]:
    """Record as interrupted every run "en cours" whose process is gone (its lock released).

    Returns their ids. Side effect: writes their status, end and cause (in French).
    """
    rows = execute(
        sql.MARK_INTERRUPTED,
        {
            "interrupted": RunStatus.INTERRUPTED,
            "running": RunStatus.RUNNING,
            "class": sql.RUN_LOCK_CLASS,
            "error": _(
                "Import interrompu : le processus qui le menait s'est arrêté avant la fin "
                "(arrêt forcé, redémarrage de PostgreSQL ou du serveur, délai dépassé) ; "
                "rien n'a été enregistré."
            ),
        },
    )
    ids = [row[0] for row in rows]
    if ids:
        logger.warning("Import runs %s were interrupted: marked so", ids)
    return ids


@contextmanager
def run_limits(deadline: Deadline | None) -> Iterator[None]:
    """Inside the run's transaction: its lock timeout, and the time left before its deadline
    as its statement timeout (a run without deadline keeps the session's), while the block
    runs.

    The values in force before are put back at the end (a run inside a larger transaction,
    as in tests, leaves them as it found them); a failure rolls them back with the rest.
    """
    previous_lock, previous_statement = execute(sql.LIMITS_READ)[0]
    lock_ms = max(int(settings.CARTESS_IMPORT_LOCK_TIMEOUT * 1000), 0)
    statement = previous_statement
    if deadline is not None:
        statement = f"{max(int(deadline.remaining() * 1000), 1)}ms"
    execute(sql.LIMITS_SET, {"lock": f"{lock_ms}ms", "statement": statement})
    yield
    if not connection.needs_rollback:  # a dry run's rollback puts them back by itself
        execute(sql.LIMITS_SET, {"lock": previous_lock, "statement": previous_statement})


def database_failure(error: DatabaseError, deadline: Deadline | None) -> ImportFailed:
    """What a database error that reached the run means, as the run's typed error.

    A statement cancelled once the deadline passed is RunInterrupted; anything else is
    DatabaseFailed, its message naming the cause in French (the log keeps PostgreSQL's).
    """
    logger.warning("The database failed the run: %s", error)
    if deadline is not None and deadline.passed():
        return RunInterrupted(deadline.message())
    return DatabaseFailed(
        _("Erreur de la base de données, l'import est annulé : %(cause)s.")
        % {"cause": database_cause(error)}
    )


def database_cause(error: DatabaseError) -> str:
    """A French description of a database error, from its SQLSTATE when PostgreSQL gave one."""
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    if sqlstate in _SQLSTATE_CAUSES:
        return str(_SQLSTATE_CAUSES[sqlstate])
    if isinstance(error, InterfaceError) or sqlstate.startswith("08"):
        return _("la connexion à la base de données a été perdue")
    return _("erreur %(type)s (code %(code)s)") % {
        "type": type(error).__name__,
        "code": sqlstate or "?",
    }


def _lock_params(run: ImportRun) -> dict[str, int]:
    return {"class": sql.RUN_LOCK_CLASS, "key": run.pk % 2**31}
