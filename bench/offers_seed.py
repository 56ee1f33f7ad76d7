"""Synthetic funding schemes and support offers for `manage.py bench_map`, so that the unified
search (`/recherche/`) is timed on organisations, schemes and offers together.

Only for a throw-away database (the command checks its name contains "bench").
"""

import random

from django.db import transaction

from bench.map_search import WORDS
from directory.models import FundingScheme, Stage, SupportOffer
from directory.services import search_words_refresh

#: A few hundred of each: ten times what Lille's seed lists.
OFFER_COUNT = 300
SCHEME_HEADS = ["Prêt d'honneur", "Subvention", "Appel à projets", "Fonds", "Garantie"]
OFFER_HEADS = ["Incubateur", "Accompagnement", "Mentorat", "Formation", "DLA"]


def offers_seed(*, count: int = OFFER_COUNT, seed: int = 59350) -> int:
    """Insert `count` published schemes and `count` published support offers, named and
    described with the bench's ESS words, each covering one or two stages, unless the
    database already holds that many schemes. Deterministic for a `seed`. Side effects:
    writes rows in one transaction, then refreshes the typo dictionary. Returns the number
    of schemes created (0 when already seeded)."""
    if FundingScheme.objects.count() >= count:
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
    stages = list(Stage.objects.all())
    with transaction.atomic():
        for model, heads in ((FundingScheme, SCHEME_HEADS), (SupportOffer, OFFER_HEADS)):
            rows = model.objects.bulk_create(
                [_offer(model, rng, index, heads) for index in range(count)]
            )
            model.stages.through.objects.bulk_create(
                model.stages.through(**{_link_column(model): row}, stage=stage)
                for row in rows
                for stage in rng.sample(stages, rng.choice([1, 2]))
            )
    search_words_refresh()
    return count


def _offer(model, rng: random.Random, index: int, heads: list[str]):
    first, second, third, fourth = rng.sample(WORDS, 4)
    return model(
        name=f"{rng.choice(heads)} {first} et {second} {index}",
        slug=f"bench-{model._meta.model_name}-{index}",
        description=f"Pour les projets de {third} et de {fourth}.",
        eligibility_text=rng.choice(["Associations.", "Coopératives (SCOP, SCIC).", ""]),
    )


def _link_column(model) -> str:
    return model._meta.model_name
