"""The pathway on a hundred synthetic schemes and offers (`bench/offers_seed.py`): loading
them in one query each, with a memo of verdicts per request (issue 20), says of each one
exactly what judging it alone, loaded through the ORM, says."""

import pytest

from bench.offers_seed import offers_seed
from directory.models import FundingScheme, PublicationStatus, SupportOffer
from directory.pathway.forms import PathwayForm
from directory.pathway.loading import offer_facts
from directory.pathway.places import pathway_context_get
from directory.pathway.selectors import (
    OFFER,
    SCHEME,
    offer_judge,
    project_named,
    vocabulary_from_terms,
)
from tests.directory.pathway.test_pathway_api import PATHWAY_API_QUERIES

pytestmark = pytest.mark.django_db
QUERY = {"stage": "amorcage", "date": "2026-06-01"}
LISTS = ("funding_schemes", "support_offers", "soon", "recurring", "excluded")


def _listed(data: dict) -> dict[tuple[str, str], dict]:
    items = [item for name in LISTS for item in data[name]]
    items += [item for step in data["road_ahead"] for item in step["opening"]]
    return {(item["type"], item["slug"]): item for item in items}


def _judged_alone(kind: str, offer, *, project, today) -> dict:
    context = pathway_context_get(query=project.place, named=project_named(project))
    words = vocabulary_from_terms(project=project, rows=context.terms)
    facts = offer_facts(offer=offer, territory=context.fits.get((kind, offer.pk)))
    match = offer_judge(
        kind=kind, facts=facts, project=project, words=words, place=context.place, today=today
    )
    return {
        "score": match.score,
        "status": match.status,
        "stages": [term.slug for term in match.stages],
        "reasons": [verdict.text for verdict in match.reasons],
        "to_check": [verdict.text for verdict in match.checks],
        "excluded_because": [verdict.text for verdict in match.exclusions],
    }


def test_every_seeded_offer_gets_the_verdicts_it_gets_alone(client, django_assert_max_num_queries):
    offers_seed(count=60)
    with django_assert_max_num_queries(PATHWAY_API_QUERIES):
        data = client.get("/api/v1/pathway/", QUERY).json()
    listed = _listed(data)
    form = PathwayForm(QUERY)
    assert form.is_valid()
    published = PublicationStatus.PUBLISHED
    every = [
        *(
            (SCHEME, "funding-scheme", o)
            for o in FundingScheme.objects.filter(publication_status=published)
        ),
        *(
            (OFFER, "support-offer", o)
            for o in SupportOffer.objects.filter(publication_status=published)
        ),
    ]
    assert len(every) >= 120
    assert len(listed) == len(every)
    for kind, kind_name, offer in every:
        item = listed[(kind_name, offer.slug)]
        alone = _judged_alone(kind, offer, project=form.project(), today=form.today())
        assert {key: item[key] for key in alone} == alone, offer.slug
    assert data["count"] == len(data["funding_schemes"]) + len(data["support_offers"]) > 0
