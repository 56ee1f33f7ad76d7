"""The French message catalogue is complete and compiles: `make messages` keeps it so."""

import gettext
import subprocess
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
