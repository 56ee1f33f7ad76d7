"""The curated organisations (the seed: funders, support networks...) completed from the
registers, after a `recherche-entreprises` or `sirene` run.

A curated organisation without SIRET is compared with the register's listings (those with a
SIRET and a provenance from a register): by SIREN when the seed gives one, else by name
(`match_score`, trigram similarity of the folded names, the seed's parenthesised part and
the register's acronym counted too) in the same commune when the seed names one. One
register listing scoring AUTO_SCORE or more, and no other reaching PROPOSE_SCORE, is the
same organisation: the register listing is merged into the curated one
(directory.merging.organisations_merge), which keeps every value it had and only fills its
blanks (SIRET, address, point, legal family, NAF...). Otherwise each register listing
reaching PROPOSE_SCORE becomes a possible duplicate "nom et commune" for a moderator
(importers.models.DuplicateCandidate, found_by REGISTER); a pair a person called "pas un
doublon" is never proposed or merged again.
"""

import logging
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Greatest, Lower
from django.utils.translation import gettext as _

from directory.history import history_reason
from directory.merging import MERGE_REASON, MergeRefused, organisations_merge
from directory.models import Organisation, Provenance
from directory.search import ImmutableUnaccent, fold
from importers.models import DuplicateCandidate, DuplicateOrigin, DuplicateStatus

logger = logging.getLogger(__name__)

#: The sources whose listings are registers (a SIRET per établissement).
REGISTERS = ("recherche-entreprises", "sirene")
#: The sources of curated listings completed from the registers.
CURATED = ("seed",)
#: From this score, a unique register listing is the curated organisation ("Nord Actif
#: (France Active Nord)" and "NORD ACTIF" score 1.0 through the name without its brackets).
AUTO_SCORE = 0.8
#: From this score, a register listing is proposed to a moderator.
PROPOSE_SCORE = 0.5
#: At most this many proposals per curated organisation.
PROPOSALS = 3
#: Fields the merge chooses by group (the legal group goes with the legal family, which the
#: seed gives): filled one by one when the curated listing has none.
FILLED_ONE_BY_ONE = ("legal_category_code", "legal_form", "naf_code")
_BRACKETS = re.compile(r"\(([^)]*)\)")


@dataclass
class Completion:
    """What one pass did: the curated listings completed, the proposals opened."""

    completed: list[str]
    proposed: int = 0

    def lines(self) -> list[str]:
        if not self.completed and not self.proposed:
            return []
        return [
            _(
                "fiches choisies complétées par le registre : %(n)s%(names)s ; "
                "rapprochements à confirmer : %(proposed)s"
            )
            % {
                "n": len(self.completed),
                "names": f" ({', '.join(self.completed[:5])})" if self.completed else "",
                "proposed": self.proposed,
            }
        ]


def name_variants(name: str) -> list[str]:
    """The folded forms a curated name is compared under: whole, without its brackets, and
    each bracketed part of 4 letters or more ("URSCOP", "France Active Nord"). Pure."""
    variants = [fold(name), fold(_BRACKETS.sub(" ", name))]
    variants += [fold(part) for part in _BRACKETS.findall(name) if len(part.strip()) >= 4]
    return list(dict.fromkeys(" ".join(v.split()) for v in variants if v.strip()))


def curated_organisations_complete() -> Completion:
    """Complete or propose, for every curated organisation without SIRET (module docstring).

    Side effects: merges (history "fusion", an alias answering 301 for the register
    listing's page) and DuplicateCandidate rows. Runs inside the import's transaction.
    """
    completion = Completion(completed=[])
    for organisation in _curated_without_siret():
        scored = _candidates(organisation)
        if _is_sure(scored) and _merge(organisation, scored[0][0]):
            completion.completed.append(organisation.name)
            continue
        completion.proposed += _propose(organisation, scored)
    return completion


def _with_provenance_from(slugs: tuple[str, ...]) -> QuerySet[Organisation]:
    content_type = ContentType.objects.get_for_model(Organisation)
    ids = Provenance.objects.filter(content_type=content_type, source__slug__in=slugs).values(
        "object_id"
    )
    return Organisation.objects.filter(pk__in=ids)


def _curated_without_siret() -> QuerySet[Organisation]:
    return _with_provenance_from(CURATED).filter(siret="").order_by("pk")


def _candidates(organisation: Organisation) -> list[tuple[Organisation, float]]:
    """The register listings like `organisation`, best first, with their scores."""
    registers = _with_provenance_from(REGISTERS).exclude(siret="").exclude(pk=organisation.pk)
    if organisation.siren:
        return [(found, 1.0) for found in registers.filter(siren=organisation.siren)[:2]]
    place = _same_commune(organisation)
    if place is not None:
        registers = registers.filter(place)
    scores = [
        TrigramSimilarity(ImmutableUnaccent(Lower(field)), Value(variant))
        for variant in name_variants(organisation.name)
        for field in ("name", "acronym")
    ]
    found = (
        registers.annotate(score=Greatest(*scores) if len(scores) > 1 else scores[0])
        .filter(score__gte=PROPOSE_SCORE)
        .exclude(pk__in=_reviewed_partners(organisation))
        .order_by("-score", "pk")[:PROPOSALS]
    )
    return [(item, item.score) for item in found]


def _same_commune(organisation: Organisation) -> Q | None:
    if organisation.insee_code:
        return Q(insee_code=organisation.insee_code)
    if organisation.postcode:
        return Q(postcode=organisation.postcode)
    if organisation.city.strip():
        return Q(city__unaccent__iexact=organisation.city.strip())
    return None  # no place given: any register listing (they are in the territory)


def _reviewed_partners(organisation: Organisation) -> set[int]:
    """Listings a person already judged against this one (different, or merged by hand)."""
    pairs = DuplicateCandidate.objects.filter(
        Q(organisation_a=organisation) | Q(organisation_b=organisation)
    ).exclude(status=DuplicateStatus.PENDING)
    return {
        pk
        for pair in pairs.values_list("organisation_a_id", "organisation_b_id")
        for pk in pair
        if pk != organisation.pk
    }


def _is_sure(scored: list[tuple[Organisation, float]]) -> bool:
    return len(scored) == 1 and scored[0][1] >= AUTO_SCORE


def _merge(curated: Organisation, register: Organisation) -> bool:
    """Fold `register` into `curated`, which keeps its values and fills its blanks."""
    blanks = {
        name: getattr(register, name)
        for name in FILLED_ONE_BY_ONE
        if not getattr(curated, name) and getattr(register, name)
    }
    try:
        survivor = organisations_merge(survivor=curated, absorbed=register)
    except MergeRefused as refused:
        logger.warning("Register listing %s not merged into %s: %s", register.pk, curated, refused)
        return False
    if blanks:
        for name, value in blanks.items():
            setattr(survivor, name, value)
        with history_reason(MERGE_REASON):
            survivor.save(update_fields=list(blanks))
    logger.info("Curated %s completed from register listing %s", curated.pk, register.pk)
    return True


def _propose(organisation: Organisation, scored: list[tuple[Organisation, float]]) -> int:
    """Open a pending pair "nom et commune" for each candidate; returns how many are new."""
    opened = 0
    for candidate, score in scored:
        a, b = sorted((organisation.pk, candidate.pk))
        _pair, created = DuplicateCandidate.objects.get_or_create(
            organisation_a_id=a,
            organisation_b_id=b,
            defaults={"similarity": score, "found_by": DuplicateOrigin.REGISTER},
        )
        opened += created
    return opened
