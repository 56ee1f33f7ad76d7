"""SQL of the import benchmark (`manage.py bench_import`)."""

#: `manage.py bench_import` starts from an empty directory (on a bench database only).
#: Pending foreign-key checks are run first: TRUNCATE refuses to run while some wait.
BENCH_RESET = """
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE directory_organisation, importers_provenance, importers_importrejection,
    importers_importrun CASCADE
"""
