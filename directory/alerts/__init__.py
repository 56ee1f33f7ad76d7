"""Saved searches and e-mail alerts (issue 16): follow the pathway's or the funding
landscape's results with an address confirmed by a link, receive a digest of new schemes and
of deadlines coming, unsubscribe in one click."""
