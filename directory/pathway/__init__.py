"""The pathway (parcours) of a project holder: ranking rules, selectors and the form."""
