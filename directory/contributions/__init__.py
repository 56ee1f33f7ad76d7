"""Public suggestions (`/contribuer/`) and their moderation queue (`/moderation/`)."""
