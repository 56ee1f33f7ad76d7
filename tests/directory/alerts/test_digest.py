"""`manage.py alerts_digest`: each confirmed follower hears of the new matching schemes and of
the deadlines within 30 days, each once; nothing when there is nothing; every e-mail can be
left in one click."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory.models import FundingScheme, LegalFamily, SavedSearch
from importers.schedule import SCHEDULE
from tests.directory.alerts.helpers import journey_query
from tests.factories import make_pathway_scheme

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _follower(*, page="financements", query="stage=amorcage", days_ago=7) -> SavedSearch:
    confirmed = timezone.now() - timedelta(days=days_ago)
    return SavedSearch.objects.create(
        email="porteuse@exemple.fr", page=page, query=query, confirmed_at=confirmed
    )


def _older(scheme: FundingScheme, days: int = 30) -> FundingScheme:
    """The scheme was in Cartess before the search was followed."""
    FundingScheme.objects.filter(pk=scheme.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return scheme


def _run() -> str:
    out = StringIO()
    call_command("alerts_digest", stdout=out)
    return out.getvalue()


def test_a_new_matching_scheme_is_announced_once_with_the_links_to_leave(client):
    _follower()
    _older(make_pathway_scheme("Fonds déjà connu"))
    make_pathway_scheme("Prêt d'honneur solidaire")
    make_pathway_scheme("Fonds de consolidation", stages=("consolidation",))

    assert "1 courriels envoyés" in _run()
    (message,) = mail.outbox
    assert message.to == ["porteuse@exemple.fr"]
    assert message.subject == "Cartess, votre recherche suivie : 1 nouveau dispositif"
    assert "Prêt d'honneur solidaire" in message.body
    assert "/financements/pret-dhonneur-solidaire-" in message.body
    assert "Fonds déjà connu" not in message.body
    assert "Fonds de consolidation" not in message.body
    assert "/financements/?stage=amorcage" in message.body
    leave = message.extra_headers["List-Unsubscribe"]
    assert leave.startswith("<http")
    assert "/alertes/desabonner/" in leave
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert leave.strip("<>") in message.body
    assert "/alertes/gerer/" in message.body

    assert "0 courriels envoyés" in _run()
    assert len(mail.outbox) == 1


def test_deadlines_within_thirty_days_are_announced_once(client):
    _follower()
    _older(make_pathway_scheme("AAP Ville", closes_on=TODAY + timedelta(days=10)))
    _older(make_pathway_scheme("AAP MEL", closes_on=TODAY + timedelta(days=40)))
    _older(make_pathway_scheme("AAP clos", closes_on=TODAY - timedelta(days=1)))
    make_pathway_scheme("AAP nouveau", closes_on=TODAY + timedelta(days=5))

    _run()
    (message,) = mail.outbox
    assert "1 nouveau dispositif, 1 clôture proche" in message.subject
    assert "AAP Ville" in message.body
    assert "Clôtures dans les 30 jours" in message.body
    assert "AAP nouveau (clôture le" in message.body
    assert "AAP MEL" not in message.body
    assert "AAP clos" not in message.body
    _run()
    assert len(mail.outbox) == 1


def test_nothing_new_sends_nothing_and_unconfirmed_addresses_get_nothing():
    _older(make_pathway_scheme("Fonds déjà connu"))
    _follower()
    SavedSearch.objects.create(email="pas-confirmee@exemple.fr", page="financements", query="")
    make_pathway_scheme("Prêt d'honneur solidaire")
    _older(FundingScheme.objects.get(name="Prêt d'honneur solidaire"))
    _run()
    assert mail.outbox == []


def test_a_followed_pathway_hears_of_the_schemes_the_pathway_would_now_show():
    _follower(page="parcours", query=journey_query(date=""))
    make_pathway_scheme("Entreprendre autrement")
    cooperatives = LegalFamily.objects.exclude(slug="association")
    make_pathway_scheme("Réservé aux coopératives").eligible_legal_families.set(cooperatives)
    _run()
    (message,) = mail.outbox
    assert "Entreprendre autrement" in message.body
    assert "Réservé aux coopératives" not in message.body
    assert "/parcours/?" in message.body


def test_the_digest_is_scheduled_weekly_like_the_imports():
    (entry,) = [entry for entry in SCHEDULE if entry.name == "alerts_digest"]
    assert entry.cron.split()[4] != "*"
