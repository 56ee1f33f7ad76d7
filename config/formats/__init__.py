"""Date formats of the site's languages where Django's differ from what a reader expects
(FORMAT_MODULE_PATH): a language without a module here keeps Django's formats."""
