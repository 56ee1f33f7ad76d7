"""A network editor sends a big member file: the progress page follows the background job
by itself and shows the preview once the worker is done."""

import threading

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect
from procrastinate.contrib.django import app

from directory.models import NetworkEditor
from tests.factories import make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "progress"]
    ),
]

PASSWORD = "mot-de-passe-solide-2026"


def run_worker_beside_the_browser() -> None:
    """A real worker, in its own thread: Playwright's loop holds the main one."""

    def work() -> None:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                queues=["networks"], wait=False, install_signal_handlers=False, listen_notify=False
            )

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)


def test_the_progress_page_shows_the_preview_when_the_job_is_done(
    page: Page, live_server, page_report, artifacts, settings
):
    settings.CARTESS_JOB_ROWS = 2
    apes = make_organisation("APES Hauts-de-France", kinds=("reseau",))
    editor = User.objects.create_user("editrice-apes", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Éditeurs de réseau"))
    NetworkEditor.objects.create(user=editor, network=apes)
    content = (
        "reseau,nom,siret,commune,code_insee\n"
        f"{apes.slug},Café solidaire de Moulins,77500001200010,Lille,59350\n"
        f"{apes.slug},Atelier vélo de Fives,77500002900006,Lille,59350\n"
        f"{apes.slug},Recyclerie de Wazemmes,,Lille,59350\n"
    ).encode()

    page.goto(f"{live_server.url}/compte/connexion/?next=/reseaux/{apes.slug}/import/")
    page.get_by_label("Nom d\u2019utilisateur").fill("editrice-apes")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Fichier CSV des adhérents").set_input_files(
        {"name": "adherents.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("heading", name="Vérification de adherents.csv")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="En attente")).to_be_visible()
    page.screenshot(path=artifacts / "import-job-waiting.png", full_page=True)

    run_worker_beside_the_browser()

    expect(page.get_by_text("Terminé : l'aperçu est prêt")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("rowheader", name="Café solidaire de Moulins")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmer et appliquer le fichier")).to_be_visible()
    assert page.url.endswith("#tache")
    page.screenshot(path=artifacts / "import-job-done.png", full_page=True)
    page_report.assert_clean()
