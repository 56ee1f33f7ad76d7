#!/usr/bin/env bash
# Refreshes the message catalogues from the code and templates.
#   usage: config/dev/messages.sh   (make messages)
# French: the UI is written in French, so every msgid already is the French text: the
# catalogue exists for what only a catalogue gives, chiefly the French plural rule (0 and 1
# are singular). New entries get their msgid as translation (GNU msgen); existing
# translations are kept. A text changed in the code becomes a new entry, the old one dropped.
# English: written by people in locale/en/LC_MESSAGES/django.po. New texts arrive empty
# (msgmerge's "fuzzy" guesses are emptied too: a guess is another text), and
# tests/test_locale.py fails until each has its English translation.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-.venv/bin/python}

"$python" manage.py makemessages --locale fr --locale en --no-location --no-obsolete \
  --ignore .venv --ignore node_modules --ignore staticfiles --ignore test-artifacts --ignore tests

# A first run writes a template header: state the language and drop its fuzzy mark, without
# which msgfmt would ignore the header and with it the Plural-Forms line. Only the header's
# mark (the one right before `msgid ""`): an entry's mark must reach msgattrib below.
header() {
  local po=$1 language=$2 name=$3 translator=$4
  sed -i \
    -e '/^#, fuzzy$/{N;s/^#, fuzzy\nmsgid ""$/msgid ""/}' \
    -e "s/^\"Language: \\\\n\"$/\"Language: $language\\\\n\"/" \
    -e 's/^"Project-Id-Version: PACKAGE VERSION\\n"$/"Project-Id-Version: Cartess\\n"/' \
    -e "s/^# SOME DESCRIPTIVE TITLE\\.$/# Cartess: $name message catalogue./" \
    -e "s/^\"PO-Revision-Date: .*\\\\n\"$/\"PO-Revision-Date: $(date '+%Y-%m-%d %H:%M%z')\\\\n\"/" \
    -e "s/^\"Last-Translator: .*\\\\n\"$/\"Last-Translator: $translator\\\\n\"/" \
    -e 's/^"Language-Team: .*\\n"$/"Language-Team: Cartess\\n"/' \
    "$po"
}

fr=locale/fr/LC_MESSAGES/django.po
header "$fr" fr French "Cartess (msgen)"
# msgmerge guesses "fuzzy" translations for new msgids from old ones: here they would be
# another text, so they are emptied and filled from their own msgid like every new entry.
msgattrib --clear-fuzzy --empty --output-file "$fr" "$fr"
msgen "$fr" --output-file "$fr"
msgfmt --check --output-file "${fr%.po}.mo" "$fr"

en=locale/en/LC_MESSAGES/django.po
header "$en" en English "Cartess"
msgattrib --clear-fuzzy --empty --output-file "$en" "$en"
msgfmt --check --output-file "${en%.po}.mo" "$en"
