"""One state for a site everywhere: what the public sees of a site's availability.

A site's availability (`Premises.status`) is what its source or a person recorded; its
pipeline stage (`Premises.pipeline_stage`, staff-only) is where the city services stand. Once
a site is attributed or abandoned it is no longer on offer, whatever its recorded
availability says: `premises_public_status` decides what the public API, the map, the land
pages, the third places' spaces and the needs' matching show. The recorded value is never
overwritten (reopening the site, back to "identifié", shows it again as it was recorded).

The same rule is given three ways, all built from `CLOSED_STAGE_STATUS`: Python functions
(one site in hand), ORM expressions (querysets) and, in cartography.sql (rule 12: raw SQL in
one module), `premises_public_status_sql` and `premises_open_sql` for the map layers and the
matching.
"""

from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Expression

from cartography.models import PipelineStage, Premises, PremisesStatus

#: The availabilities that say "on offer".
OFFERED_STATUSES: tuple[str, ...] = (
    PremisesStatus.AVAILABLE,
    PremisesStatus.SOON_AVAILABLE,
    PremisesStatus.UNKNOWN,
)

#: What an offered (or unknown) availability becomes once the pipeline closes the site: an
#: attributed site hosts the project it was attributed to; of an abandoned one the city no
#: longer knows whether it is free.
CLOSED_STAGE_STATUS: dict[str, str] = {
    PipelineStage.ALLOCATED: PremisesStatus.UNDER_PROJECT,
    PipelineStage.ABANDONED: PremisesStatus.UNKNOWN,
}

#: The stages after which a site is no longer on offer.
CLOSED_STAGES: tuple[str, ...] = tuple(CLOSED_STAGE_STATUS)

#: Availabilities that leave a site out of the needs' matching and of a third place's
#: open spaces.
TAKEN_STATUSES: tuple[str, ...] = (PremisesStatus.OCCUPIED, PremisesStatus.RECONVERTED)


def premises_public_status(*, status: str, pipeline_stage: str) -> str:
    """The availability the public sees of a site whose recorded availability is `status` and
    whose pipeline stage is `pipeline_stage` (a `PremisesStatus` value). Pure."""
    if status in OFFERED_STATUSES and pipeline_stage in CLOSED_STAGE_STATUS:
        return CLOSED_STAGE_STATUS[pipeline_stage]
    return status


def premises_public_status_label(site: Premises) -> str:
    """The French label of `site`'s public availability (reads `status` and
    `pipeline_stage`)."""
    value = premises_public_status(status=site.status, pipeline_stage=site.pipeline_stage)
    return PremisesStatus(value).label


def premises_is_open(*, status: str, pipeline_stage: str) -> bool:
    """Whether a site may still be offered to a need: not closed by the pipeline and not
    occupied or reconverted."""
    return pipeline_stage not in CLOSED_STAGES and status not in TAKEN_STATUSES


def premises_public_status_expression() -> Expression:
    """`premises_public_status` as an ORM expression, to annotate or filter querysets."""
    return Case(
        *(
            When(Q(pipeline_stage=stage, status__in=OFFERED_STATUSES), then=Value(public))
            for stage, public in CLOSED_STAGE_STATUS.items()
        ),
        default=F("status"),
    )


def premises_open_q() -> Q:
    """`premises_is_open` as a queryset condition."""
    return ~Q(pipeline_stage__in=CLOSED_STAGES) & ~Q(status__in=TAKEN_STATUSES)
