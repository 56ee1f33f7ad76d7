"""Requests a project holder sends to an actor ("Mobiliser", issue 16) or to a place
("Demander un espace", issue 17): the form, the mails, the actors' inbox with its status and
referrals, the anonymised flows and the retention of personal data."""
