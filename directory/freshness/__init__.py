"""The freshness cycle of listings (issue 13), as DORA and GoGoCarto run theirs.

- `states`: "à jour" / "à actualiser" / "obsolète", computed in SQL from the period of the
  listing's kinds and the last time a person or a network vouched for it;
- `selectors`, `services`: who is reminded of what, the reminder e-mails, a confirmation
  (the only writer of "Vérifié le");
- `links`: the signed, expiring, single-use links of a reminder ("toujours à jour",
  "modifier la fiche" without a password, for that one listing and that visit);
- `linkcheck`: the check of organisations' websites and funding schemes' pages;
- `views`: the links' pages and an editor's "je confirme" button.
"""
