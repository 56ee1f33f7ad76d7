"""The benchmarks of `make bench` and `make bench-import`: synthetic data, timings, load.

A Django app for its management commands only, listed by the development and test settings
and never by `config.settings.production`: nothing here ships in the running product.
"""
