"""Big member files and large API calls run as background jobs (procrastinate), with a
progress page or a 202 and a status URL; the jobs run for real in a procrastinate worker."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from procrastinate.contrib.django import app
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.test import APIClient

from directory.models import Organisation
from directory.services import network_api_token_create
from importers.engine import progress
from importers.models import JobStatus, NetworkImportJob
from importers.web.jobs import network_job_run, network_jobs_housekeeping
from importers.web.uploads import PREVIEW_SHOWN
from tests.roles import world  # noqa: F401

SIRET_NEW = "77500001200010"
SIRET_OTHER = "77500002900006"
HEADER = "reseau,nom,siret,adresse,code_postal,commune,code_insee,types\n"
#: The jobs' tests need rows committed for the worker's connections to see them; the
#: worker writes its progress through the `progress` connection.
in_a_worker = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "progress"]
)


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Two rows make a "big" file here, so that the tests stay fast."""
    settings.CARTESS_JOB_ROWS = 2
    cache.clear()
    yield settings
    cache.clear()


def run_worker() -> None:
    """Run every queued network job in a real procrastinate worker, then stop: with the
    worker's own connector, as `manage.py procrastinate worker` does."""
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=["networks"], wait=False, install_signal_handlers=False, listen_notify=False
        )


def member_file(network: Organisation) -> bytes:
    slug = network.slug
    return (
        HEADER
        + f"{slug},Café solidaire de Moulins,{SIRET_NEW},3 rue de Douai,59000,Lille,59350,\n"
        + f"{slug},Atelier vélo de Fives,{SIRET_OTHER},5 rue Pierre Legrand,59000,Lille,59350,\n"
        + f"{slug},Coopérative mal typée,,,59000,Lille,59350,cooperative\n"
    ).encode()


def send(client, world, content: bytes):  # noqa: F811
    client.force_login(world.users["editeur A"])
    upload = SimpleUploadedFile("adherents.csv", content, content_type="text/csv")
    return client.post(f"/reseaux/{world.network_a.slug}/import/", {"file": upload})


@in_a_worker
def test_a_big_file_is_checked_then_applied_by_jobs_with_a_progress_page(client, world):  # noqa: F811
    sent = send(client, world, member_file(world.network_a))
    job = NetworkImportJob.objects.get()
    page_url = f"/reseaux/{world.network_a.slug}/import/taches/{job.public_id}/"
    assert sent.status_code == 302
    assert sent["Location"] == page_url
    waiting = client.get(page_url)
    assertContains(waiting, "En attente")
    assertContains(waiting, 'role="status" aria-live="polite"')
    assertContains(waiting, "js/import-job.js")
    assertNotContains(waiting, "<script>")

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.SUCCEEDED, 3, 3)
    previewed = client.get(page_url)
    assertContains(previewed, "Terminé : l&#x27;aperçu est prêt")
    assertContains(previewed, "Café solidaire de Moulins")
    assertContains(previewed, "refusée")
    assertContains(previewed, "Confirmer et appliquer le fichier")
    assert not Organisation.objects.filter(siret=SIRET_NEW).exists()
    state = client.get(f"{page_url}etat.json").json()
    assert state["finished"] is True
    assert state["status"] == "termine"

    confirmed = client.post(
        f"/reseaux/{world.network_a.slug}/import/confirmer/", {"token": str(job.public_id)}
    )
    applying = NetworkImportJob.objects.get(confirms=job)
    assert confirmed["Location"].endswith(f"/import/taches/{applying.public_id}/")
    run_worker()

    applied = client.get(confirmed["Location"])
    assertContains(applied, "Fichier appliqué : 2 fiches créées, 0 mises à jour")
    created = Organisation.objects.get(siret=SIRET_NEW)
    assert created.history.first().history_user == world.users["editeur A"]
    assert world.network_a.memberships_as_network.filter(member=created).exists()
    # The map credits the network that sent the file (issue 13).
    assert (created.edited_by, created.edited_by_network) == ("network", world.network_a)
    job.refresh_from_db()
    applying.refresh_from_db()
    assert job.content is None  # the file is not kept
    assert applying.content is None


@in_a_worker
def test_a_large_api_dry_run_answers_202_and_its_status_url_gives_the_result(world):  # noqa: F811
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = [
        {"nom": "Café solidaire de Moulins", "siret": SIRET_NEW, "commune": "Lille"},
        {"nom": "Atelier vélo de Fives", "siret": SIRET_OTHER, "commune": "Lille"},
        {"nom": "Coopérative mal typée", "types": "cooperative"},
    ]
    slug = world.network_a.slug
    before = Organisation.objects.count()

    accepted = api.post(f"/api/v1/networks/{slug}/members/?dry_run=1", {"rows": rows}, "json")

    assert accepted.status_code == 202
    status_url = accepted.json()["status_url"]
    assert accepted["Location"] == status_url
    assert accepted.json()["status"] == "en-attente"
    assert api.get(status_url).json()["finished"] is False
    other = APIClient()
    _other, other_secret = network_api_token_create(
        network=world.network_b, name="CRM", user=world.users["editeur B"]
    )
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert other.get(status_url).status_code == 403

    run_worker()

    done = api.get(status_url).json()
    assert (done["finished"], done["rows_done"], done["rows_total"]) == (True, 3, 3)
    assert done["result"]["counts"] == {
        "new": 2,
        "changed": 0,
        "unchanged": 0,
        "rejected": 1,
        "outside": 0,
    }
    assert [row["status"] for row in done["result"]["rows"]] == ["new", "new", "rejected"]
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_a_small_file_is_still_checked_in_the_request(client, world):  # noqa: F811
    small = HEADER + f"{world.network_a.slug},Café solidaire de Moulins,{SIRET_NEW},,,,,\n"
    answer = send(client, world, small.encode())
    assert answer.status_code == 200
    assertContains(answer, "Café solidaire de Moulins")
    assert not NetworkImportJob.objects.exists()


@pytest.mark.django_db
def test_a_job_that_fails_says_why_in_french_and_writes_nothing(client, world):  # noqa: F811
    before = Organisation.objects.count()
    send(client, world, b"nom;pays\nA;B\nC;D\nE;F\n")
    job = NetworkImportJob.objects.get()

    network_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error
    assert job.content is None
    page = client.get(f"/reseaux/{world.network_a.slug}/import/taches/{job.public_id}/")
    assertContains(page, "Échec : rien n&#x27;a été enregistré.")
    assertContains(page, job.error.split(":")[0][:30])
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_only_the_network_editors_see_a_job_and_only_its_sender_confirms(client, world):  # noqa: F811
    send(client, world, member_file(world.network_a))
    job = NetworkImportJob.objects.get()
    network_job_run(job_id=job.pk)
    page = f"/reseaux/{world.network_a.slug}/import/taches/{job.public_id}/"
    other_network = f"/reseaux/{world.network_b.slug}/import/taches/{job.public_id}/"

    client.force_login(world.users["editeur B"])
    assert client.get(page).status_code == 403
    assert client.get(f"{page}etat.json").status_code == 403
    assert client.get(other_network).status_code == 404

    client.force_login(world.users["moderateur"])
    assertContains(client.get(page), "Seule la personne qui a envoyé ce fichier")
    refused = client.post(
        f"/reseaux/{world.network_a.slug}/import/confirmer/",
        {"token": str(job.public_id)},
        follow=True,
    )
    assertContains(refused, "Seule la personne qui a envoyé ce fichier peut le confirmer.")
    assert NetworkImportJob.objects.count() == 1


@pytest.mark.django_db
def test_housekeeping_closes_interrupted_jobs_and_forgets_unconfirmed_files(client, world):  # noqa: F811
    send(client, world, member_file(world.network_a))
    interrupted = NetworkImportJob.objects.get()
    send(client, world, member_file(world.network_a))
    previewed = NetworkImportJob.objects.exclude(pk=interrupted.pk).get()
    network_job_run(job_id=previewed.pk)
    long_ago = timezone.now() - timedelta(days=2)
    NetworkImportJob.objects.filter(pk=interrupted.pk).update(created_at=long_ago)
    NetworkImportJob.objects.filter(pk=previewed.pk).update(finished_at=long_ago)

    network_jobs_housekeeping()

    interrupted.refresh_from_db()
    previewed.refresh_from_db()
    assert interrupted.status == JobStatus.FAILED
    assert interrupted.error.startswith("Tâche interrompue")
    assert interrupted.content is None
    assert previewed.status == JobStatus.SUCCEEDED
    assert previewed.content is None  # nobody confirmed it within a day


@in_a_worker
def test_the_progress_page_sees_the_rows_go_by_while_the_job_runs(client, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(progress, "EVERY_ROWS", 1)  # a progress report at every row
    slug = world.network_a.slug
    line = "{slug},Adhérent {n},,{n} rue de Douai,59000,Lille,59350,\n"
    rows = "".join(line.format(slug=slug, n=n) for n in range(300))
    send(client, world, (HEADER + rows).encode())
    job = NetworkImportJob.objects.get()
    status_url = f"/reseaux/{slug}/import/taches/{job.public_id}/etat.json"

    worker = threading.Thread(target=run_worker)
    worker.start()
    seen = set()
    while worker.is_alive():
        state = client.get(status_url).json()
        if state["status"] == "en-cours" and 0 < state["rows_done"] < 300:
            seen.add(state["rows_done"])
            assert state["text"] == f"En cours : {state['rows_done']} lignes lues sur 300."
        time.sleep(0.05)
    worker.join()

    assert len(seen) >= 2  # read from outside the import's transaction, while it ran
    assert client.get(status_url).json()["rows_done"] == 300


@in_a_worker
def test_a_big_files_same_structure_answers_are_applied_by_its_job(client, world):  # noqa: F811
    """The editor's "même structure que" answers in a job's preview travel with the file:
    the held row updates the listing it names instead of being left out."""
    jardins = Organisation.objects.create(
        name="Les Jardins de Fives", slug="jardins-fives", postcode="59800", city="Lille"
    )
    world.network_a.members.add(jardins)
    slug = world.network_a.slug
    content = (
        member_file(world.network_a)
        + (
            f"{slug},Association Les Jardins de Fives,,2 rue de Lannoy,59800,Lille,59350,\n"
        ).encode()
    )
    send(client, world, content)
    run_worker()
    job = NetworkImportJob.objects.get()
    assertContains(client.get(f"/reseaux/{slug}/import/taches/{job.public_id}/"), "À confirmer")

    client.post(
        f"/reseaux/{slug}/import/confirmer/",
        {"token": str(job.public_id), "meme_que_5": str(jardins.pk)},
    )
    run_worker()

    jardins.refresh_from_db()
    assert jardins.street == "2 rue de Lannoy"
    assert not Organisation.objects.filter(name="Association Les Jardins de Fives").exists()


@pytest.mark.django_db(databases=["default", "progress"])
def test_a_file_of_20000_copies_of_one_member_is_checked_and_its_preview_stays_light(
    client,
    world,  # noqa: F811
):
    """20,000 lines naming one member: the first kept, every other refused as a duplicate,
    in seconds; the page lists PREVIEW_SHOWN lines and counts them all (100,000 copies made
    a 19 MB page that took longer than the server's timeout)."""
    copies, slug = 20_000, world.network_a.slug
    send(
        client,
        world,
        (
            "reseau,nom,siret\n" + f"{slug},Café solidaire de Moulins,{SIRET_NEW}\n" * copies
        ).encode(),
    )
    job = NetworkImportJob.objects.get()
    started = time.monotonic()
    network_job_run(job_id=job.pk)
    assert time.monotonic() - started < 20
    job.refresh_from_db()
    assert (job.status, job.rows_total) == (JobStatus.SUCCEEDED, copies)
    rows = job.result["rows"]
    assert sum("en double" in row["reason"] for row in rows) == copies - 1
    page = client.get(f"/reseaux/{slug}/import/taches/{job.public_id}/")
    assertContains(page, "1 nouvelles fiches")
    assertContains(page, f"{copies - 1} lignes refusées")
    assertContains(page, f"{copies - PREVIEW_SHOWN} autres lignes ne sont pas affichées")
    assertContains(page, 'class="preview-row ', count=PREVIEW_SHOWN)
    assert not Organisation.objects.filter(siret=SIRET_NEW).exists()
