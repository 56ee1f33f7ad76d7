"""The one personal-data rule for an organisation's published contacts, on every path: the
listing and suggestion forms, the network CSV and API, the imports.

A listing publishes the structure's own mailbox and switchboard, never a person's: an
address whose first word is a role ("contact@", "accueil.lille@", see GENERIC_MAILBOXES)
is published, one that names a person ("jeanne.dupont@", "jdupont@") is not; a French
landline is published (written 03 20 00 00 00), a mobile (06, 07) is not, since it is
usually a person's. Each check answers the value to publish and, when there is none, why,
as a code each path words for its reader (a form field's error, an import's warning).
"""

import re

#: First words of a structure's mailbox ("contact", "accueil"...): anything else may name
#: a person.
GENERIC_MAILBOXES = frozenset(
    {
        "accueil", "admin", "administration", "asso", "association", "atelier", "bonjour",
        "communication", "compta", "comptabilite", "contact", "contacts", "coordination",
        "direction", "emploi", "hello", "info", "infos", "information", "inscription",
        "inscriptions", "insertion", "permanence", "recrutement", "reception", "rh",
        "secretariat", "service", "siae", "standard", "support",
    }
)  # fmt: skip
_EMAIL = re.compile(r"^([^@\s]+)@([a-z0-9.-]+\.[a-z]{2,})$", re.IGNORECASE)
_PHONE_DIGITS = re.compile(r"\D")

#: Why a value is not published.
UNREADABLE, PERSONAL = "unreadable", "personal"


def public_email(value: str) -> tuple[str, str]:
    """(the address to publish, "") when `value` is a structure's mailbox, else ("", why:
    UNREADABLE or PERSONAL); ("", "") for an empty value. Pure."""
    value = value.strip().lower()
    if not value:
        return "", ""
    match = _EMAIL.match(value)
    if not match:
        return "", UNREADABLE
    first_word = re.split(r"[.\-_+0-9]", match[1], maxsplit=1)[0]
    if first_word not in GENERIC_MAILBOXES:
        return "", PERSONAL
    return value[:254], ""


def public_phone(value: str) -> tuple[str, str]:
    """(the number written 03 20 00 00 00, "") for a French landline, else ("", why:
    UNREADABLE or PERSONAL for a mobile); ("", "") for an empty value. Pure."""
    digits = _PHONE_DIGITS.sub("", value)
    if not digits:
        return "", ""
    if digits.startswith("33") and len(digits) == 11:
        digits = f"0{digits[2:]}"
    if len(digits) != 10 or not digits.startswith("0"):
        return "", UNREADABLE
    if digits[1] in "67":
        return "", PERSONAL
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2)), ""
