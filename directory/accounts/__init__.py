"""Owner accounts: sign-up with an e-mail address confirmed by a link (django-allauth), and
the login form that accepts an e-mail address and refuses an unconfirmed one."""
