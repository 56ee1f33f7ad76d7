"""The French message catalogue is complete and compiles: `make messages` keeps it so."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entry(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "--output-file", str(tmp_path / "django.mo"), PO],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_catalogue_declares_the_french_plural_rule():
    header = PO.read_text(encoding="utf-8").split("\n\n", 1)[0]

    assert '"Language: fr\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    assert "#, fuzzy" not in header


def test_every_message_is_its_own_french_text(tmp_path):
    """The msgids are French: a msgstr that differs is a wrong guess kept by mistake
    (msgmerge's "fuzzy" matches, e.g. "Notes internes (héritées) :" shown for "Notes
    internes (lecture seule)")."""
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--output-file", str(mo), PO], check=True)
    with mo.open("rb") as stream:
        catalog = gettext.GNUTranslations(stream)._catalog

    wrong = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):  # (msgid, plural index): the singular must be the msgid
            msgid, index = key
            if index != 0:
                continue
        else:
            msgid = key
        msgid = msgid.split("\x04", 1)[-1]  # without its context
        if msgid and text != msgid:
            wrong[msgid] = text
    assert wrong == {}


EN_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_message(tmp_path):
    """Every user-facing text has its English translation: a new text in the code arrives
    empty with `make messages`, and this test names the catalogue until it is translated."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "--output-file", str(tmp_path / "en.mo"), EN_PO],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    header = EN_PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: en\\n"' in header


#: What the catalogues' extraction does not read (config/dev/messages.sh ignores the same).
_NOT_EXTRACTED = shutil.ignore_patterns(
    ".venv",
    "node_modules",
    "staticfiles",
    "test-artifacts",
    ".pgdata",
    ".git",
    "media",
    "__pycache__",
    "*.mo",
)


def test_catalogues_hold_every_text_of_the_code(tmp_path):
    """`make messages` has been run: extracting the texts of the code and templates again
    (into a copy of the project) finds nothing that the committed catalogues lack, so no
    page shows a text that English visitors get in French."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    copy.mkdir()
    for name in (
        "manage.py",
        "config",
        "directory",
        "cartography",
        "importers",
        "bench",
        "templates",
        "locale",
        "static",
    ):
        source = base / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=_NOT_EXTRACTED)
        else:
            shutil.copy2(source, copy / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--no-location",
            "--no-obsolete",
            "--ignore",
            "tests",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ},
    )
    result = subprocess.run(
        [
            "msgattrib",
            "--untranslated",
            "--no-obsolete",
            str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    missing = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
    assert missing[1:] == [], "run `make messages`, then translate the new texts in " + str(EN_PO)
